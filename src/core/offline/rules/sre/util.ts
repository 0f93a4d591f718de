/** Helpers shared by the SRE rules. */
import type { ParsedFile, ProjectIndex } from '../../rule';
import { isNonProductionPath as isTestLikePath } from '../../paths';
import { isGeneratedOrMinified } from '../../nodes';

/** True for a test-like or listed test file, or a minified/generated one: none of these rules apply there. */
export function isTestFile(file: ParsedFile, project: ProjectIndex): boolean {
  return isTestLikePath(project.relativeToReview(file.file.path)) || project.testFiles.includes(file.file.path) || isGeneratedOrMinified(file);
}
