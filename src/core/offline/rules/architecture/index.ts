/**
 * Offline rules of the Software Architect (`architect`): import cycles among the reviewed modules,
 * god modules/classes, and modules that depend on too many others. Seed 000 ranks poor architecture
 * (tight coupling) as High severity.
 */
import type { OfflineRule } from '../../rule';
import { cyclicImports } from './cyclic-imports';
import { godModule } from './god-module';
import { highFanOut } from './high-fan-out';

/** The rules of this pack. */
export const rules: OfflineRule[] = [cyclicImports, godModule, highFanOut];
