/**
 * Offline rules of the Senior Engineer (`engineer`), Code Reviewer (`reviewer`), Documentation
 * (`documentation`) and Specification (`specification`) personas: long, deeply nested and complex
 * functions, vague names, undocumented public API, public signatures without types, and private functions
 * and variables nothing uses and unused imports (dead code). Seed 000 ranks
 * code quality Medium and style/documentation Low.
 */
import type { OfflineRule } from '../../rule';
import { longFunction } from './long-function';
import { deepNesting } from './deep-nesting';
import { complexFunction } from './complex-function';
import { vagueName } from './vague-name';
import { undocumentedExport } from './undocumented-export';
import { anyTypedApi } from './any-typed-api';
import { untypedPythonApi } from './untyped-python-api';
import { unusedPrivateFunction } from './unused-private-function';
import { unusedPrivateVariable } from './unused-private-variable';
import { unusedImport } from './unused-import';

/** The rules of this pack. */
export const rules: OfflineRule[] = [longFunction, deepNesting, complexFunction, vagueName, undocumentedExport, anyTypedApi, untypedPythonApi, unusedPrivateFunction, unusedPrivateVariable, unusedImport];
