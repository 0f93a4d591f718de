/**
 * Rule family: unsafe deserialization (CWE-502, OWASP A08:2021). Request data decoded by a
 * deserializer that can run code (`pickle`, `yaml.load` with an unsafe loader, `node-serialize`,
 * Java `ObjectInputStream`/`XMLDecoder`) is critical. Unsafe YAML loading and Java object streams
 * of data not traced to a request are high: they are safe only on data this process wrote itself.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { flowsOf } from '../../taint';
import { fam, requestFlows, taintHit } from './flows';

const FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: 'Use `JSON.parse` and rebuild objects explicitly.',
  python: 'Use JSON (or `yaml.safe_load`) for data from clients; if you must unpickle, sign the data with HMAC and verify it before loading.',
  go: 'Decode into concrete types with a data-only format.',
  java: 'Prefer JSON; otherwise install an allow-list with `ObjectInputFilter` (`ois.setObjectInputFilter(...)`) or override `resolveClass`.',
};

/** The `security/unsafe-deserialization` rule (see its `description`). */
export const unsafeDeserialization: FileRule = {
  kind: 'file',
  id: 'security/unsafe-deserialization',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'critical',
  category: 'unsafe-deserialization',
  title: 'Deserialization of request data',
  description:
    'Follows request input into deserializers that can run code while decoding: Python `pickle`/`dill`/`jsonpickle`/`marshal` and `yaml.load` without a safe loader, JS `node-serialize`, Java `ObjectInputStream.readObject`/`XMLDecoder`. Crafted data instantiates arbitrary classes or calls functions. Use a data-only format (JSON, `yaml.safe_load`) or an allow-list filter. `yaml.load` with an unsafe loader and Java object streams on other data are reported at high severity.',
  references: ['CWE-502', 'OWASP A08:2021'],
  confidence: 0.8,
  check(file, project) {
    const fix = FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'deserialize', project)) {
      hits.push(taintHit(f, { title: 'Deserialization of request input', what: 'Request data is deserialized', impact: 'A crafted payload instantiates arbitrary classes or calls functions: any client can run code on the server.', fix }));
    }
    const javaFiltered = file.language === 'java' && /\b(setObjectInputFilter|resolveClass)\b/.test(file.file.text);
    for (const f of flowsOf(file, 'deserialize')) {
      if (f.taint && (f.taint.source.kind ?? 'request') === 'request') continue;
      const unsafeYaml = f.info?.loader !== undefined;
      const javaStream = file.language === 'java' && f.info?.reader && !javaFiltered;
      if (!unsafeYaml && !javaStream) continue;
      // A document known at analysis time (a constant, or a branch that always picks one) carries no attacker tags.
      if (f.value.c !== undefined) continue;
      hits.push({
        node: f.node,
        severity: 'high',
        confidence: 0.6,
        title: 'Unsafe deserialization',
        message: unsafeYaml
          ? `${code(f.api)} ${f.info!.loader === 'default' ? 'without a safe `Loader`' : `with \`${f.info!.loader}\``} can construct arbitrary Python objects from YAML tags such as \`!!python/object/apply\`. Use \`yaml.safe_load(...)\` (or \`Loader=yaml.SafeLoader\`).`
          : `${code(f.api)} instantiates whatever classes the stream names; gadget chains on the classpath turn that into remote code execution. Only use it on data this process wrote itself. ${fix}`,
        suggestion: { description: unsafeYaml ? 'Use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader`).' : fix },
      });
    }
    return hits;
  },
};
