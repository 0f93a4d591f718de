/**
 * Offline rules of the Data Engineer (`data`) and ML Engineer (`ml`) personas: `SELECT *` in queries,
 * row-by-row pandas code, model and array files loaded through pickle, and random data splits
 * without a seed.
 */
import type { OfflineRule } from '../../rule';
import { selectStar } from './select-star';
import { pandasRowLoop } from './pandas-row-iteration';
import { unsafeModelLoad } from './unsafe-model-load';
import { unseededSplit } from './unseeded-split';

/** The rules of this pack. */
export const rules: OfflineRule[] = [selectStar, pandasRowLoop, unsafeModelLoad, unseededSplit];
