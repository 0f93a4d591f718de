/**
 * Offline rules of the QA Engineer (`qa`): modules with public logic that no test references, and
 * public functions whose error paths no test exercises. Seed 000 ranks missing tests High.
 *
 * Test files are not parsed (they may be outside the review); their text is searched for import
 * specifiers and names, which is enough to tell whether a module or an error type is mentioned at all.
 */
import type { OfflineRule } from '../../rule';
import { untestedModule } from './untested-module';
import { untestedErrorPath } from './untested-error-path';

/** The rules of this pack. */
export const rules: OfflineRule[] = [untestedModule, untestedErrorPath];
