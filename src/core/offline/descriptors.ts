/** SARIF rule descriptors of the offline rules (help text, references, personas), for the renderers. */
import type { RuleDescriptor } from '../render';
import { INVALID_SUPPRESSION_DESCRIPTOR } from '../triage';
import { ALL_RULES } from './rules';

/** One descriptor per offline rule, in registry order, then the triage's rule on malformed suppressions. */
export function ruleDescriptors(): RuleDescriptor[] {
  return [
    ...ALL_RULES.map((r) => ({ id: r.id, title: r.title, description: r.description, severity: r.severity, references: r.references, personas: r.personas })),
    INVALID_SUPPRESSION_DESCRIPTOR,
  ];
}
