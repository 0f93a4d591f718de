/**
 * Offline rules of the performance pack (persona `performance`): work per loop iteration that should be
 * done once (queries and awaited I/O, linear scans, string rebuilding, regex compilation, accumulator
 * copies) and blocking calls on request paths. Each rule reads tree-sitter syntax trees; see `../rule.ts`.
 *
 * References cited: CWE-1050 (Excessive Platform Resource Consumption within a Loop), CWE-1073 (Non-SQL
 * Invokable Control Element with Excessive Number of Data Resource Accesses), CWE-407 (Inefficient
 * Algorithmic Complexity), CWE-1046 (Creation of Immutable Text Using String Concatenation), CWE-1176
 * (Inefficient CPU Computation).
 */
import type { OfflineRule } from '../../rule';
import { nPlusOne } from './n-plus-one';
import { quadraticLookup } from './quadratic-lookup';
import { stringConcatInLoop } from './string-concat-in-loop';
import { spreadAccumulator } from './spread-accumulator';
import { blockingIo } from './blocking-io';
import { regexInLoop } from './regex-in-loop';

/** The rules of this pack. */
export const rules: OfflineRule[] = [nPlusOne, quadraticLookup, stringConcatInLoop, spreadAccumulator, blockingIo, regexInLoop];
