/** SARIF rule descriptors of the offline rules (help text, references, personas), for the renderers. */
import type { RuleDescriptor } from '../render';
import { ALL_RULES } from './rules';

/** One descriptor per offline rule, in registry order. */
export function ruleDescriptors(): RuleDescriptor[] {
  return ALL_RULES.map((r) => ({ id: r.id, title: r.title, description: r.description, severity: r.severity, references: r.references, personas: r.personas }));
}
