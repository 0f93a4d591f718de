/** Registry of every offline rule, by pack. Rule ids are unique; a test checks it. */
import type { OfflineRule } from '../rule';
import { rules as security } from './security';
import { rules as secrets } from './security/secrets';
import { rules as sre } from './sre';
import { rules as performance } from './performance';
import { rules as concurrency } from './concurrency';
import { rules as architecture } from './architecture';
import { rules as quality } from './quality';
import { rules as qa } from './qa';
import { rules as data } from './data';

/** All offline rules. */
export const ALL_RULES: readonly OfflineRule[] = [...security, ...secrets, ...sre, ...performance, ...concurrency, ...architecture, ...quality, ...qa, ...data];

/** The rules a persona runs. */
export function rulesForPersona(personaId: string): OfflineRule[] {
  return ALL_RULES.filter((r) => r.personas.includes(personaId));
}
