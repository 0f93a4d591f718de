/**
 * Offline rules of the concurrency pack (persona `concurrency`): promises and coroutines nobody waits
 * for, shared state written from goroutines/threads without a lock, check-then-act races (in memory and
 * on the file system), locks taken in opposite orders, and Go loop variables captured by goroutines.
 * Each rule reads tree-sitter syntax trees; see `../rule.ts`.
 *
 * References cited: CWE-362 (Concurrent Execution using Shared Resource with Improper Synchronization),
 * CWE-366 (Race Condition within a Thread), CWE-367 (Time-of-check Time-of-use Race Condition),
 * CWE-667 (Improper Locking), CWE-820 (Missing Synchronization), CWE-833 (Deadlock), CWE-248 (Uncaught
 * Exception: an unawaited promise rejection).
 */
import type { OfflineRule } from '../../rule';
import { missingAwait } from './missing-await';
import { asyncForEach } from './async-foreach';
import { sharedState } from './shared-state';
import { checkThenAct } from './check-then-act';
import { toctouFile } from './toctou-file';
import { lockOrder } from './lock-order';
import { goroutineLoopVar } from './goroutine-loop-var';

/** The rules of this pack. */
export const rules: OfflineRule[] = [missingAwait, asyncForEach, sharedState, checkThenAct, toctouFile, lockOrder, goroutineLoopVar];
