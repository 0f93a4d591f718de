/**
 * Rule family: unsafe deserialization (CWE-502).
 */
import { type SyntaxNode } from '../../syntax';
import type { FileRule, RuleHit } from '../../rule';
import { callArguments, nodesOfType } from '../../lang';
import { callsOf, code } from '../../nodes';
import { definitionsOf, resolvedCallee } from '../../bindings';

import { requestInput } from '../security-util';
import { unwrapArg, keywordArg } from './common';

// ---------------------------------------------------------------------------------------------
// Unsafe deserialization

/** The `security/unsafe-deserialization` rule (see its `description`). */
export const unsafeDeserialization: FileRule = {
  kind: 'file',
  id: 'security/unsafe-deserialization',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python', 'java'],
  severity: 'high',
  category: 'unsafe-deserialization',
  title: 'Unsafe deserialization',
  description:
    'Flags deserializers that can run code while decoding: Python `yaml.load` without a safe loader, and `pickle`/`dill`/`jsonpickle` decoding of request data; Java `ObjectInputStream.readObject`/`XMLDecoder` without a class filter; JS `node-serialize`. Data from outside the process can instantiate arbitrary classes or call functions. Use a data-only format (JSON, `yaml.safe_load`) or an allow-list filter. Critical when request input is decoded.',
  references: ['CWE-502', 'OWASP A08:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const hits: RuleHit[] = [];
    const add = (node: SyntaxNode, data: SyntaxNode | undefined, api: string, why: string, fix: string, baseSeverity: 'high' | 'medium') => {
      const req = data ? requestInput(data, file) : undefined;
      hits.push({
        node,
        severity: req ? 'critical' : baseSeverity,
        confidence: req ? 0.85 : baseSeverity === 'high' ? 0.75 : 0.5,
        title: req ? 'Deserialization of request input' : 'Unsafe deserialization',
        message: `\`${api}\` ${why}${req ? ` Here it decodes request input ${code(req)}, so any client can run code on the server.` : ' Only use it on data this process wrote itself.'} ${fix}`,
        suggestion: { description: fix },
      });
    };
    if (lang === 'python') {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        const a0 = callArguments(call).map(unwrapArg)[0];
        // Unpickling the process's own files and caches is routine; only request data is reported.
        if (/^(pickle|cPickle|_pickle|dill|cloudpickle|jsonpickle)\.(loads|load|decode)$/.test(name) && a0 && requestInput(a0, file)) {
          add(call, a0, name, 'can execute arbitrary code while decoding (a pickle stream is a small program).', 'Use JSON (or another data-only format) for data from clients; if you must unpickle, sign the data with HMAC and verify it before loading.', 'high');
        } else if (/^(yaml\.(load|load_all)|yaml\.unsafe_load|yaml\.unsafe_load_all)$/.test(name)) {
          const loaderArg = keywordArg(call, 'Loader') ?? callArguments(call)[1];
          const loader = loaderArg?.text ?? '';
          if (/unsafe_load/.test(name) || !loaderArg || /(^|\.)(Loader|UnsafeLoader)$/.test(loader)) {
            add(call, a0, name, `${loaderArg ? `with \`${loader}\`` : 'without a safe `Loader`'} can construct arbitrary Python objects from YAML tags such as \`!!python/object/apply\`.`, 'Use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader`).', 'high');
          }
        }
      }
    } else if (lang === 'java') {
      const filtered = nodesOfType(file.root, ['method_declaration', 'method_invocation']).some((n) => /^(resolveClass|setObjectInputFilter)$/.test(n.childForFieldName('name')?.text ?? ''));
      if (filtered) return hits;
      for (const call of callsOf(file)) {
        if (call.type !== 'method_invocation' || call.childForFieldName('name')?.text !== 'readObject') continue;
        const obj = call.childForFieldName('object');
        if (!obj) continue;
        let creation: SyntaxNode | undefined;
        if (obj.type === 'object_creation_expression') creation = obj;
        else if (obj.type === 'identifier') creation = definitionsOf(obj.text, call, file).map((d) => d.value).find((v) => v.type === 'object_creation_expression');
        const type = creation?.childForFieldName('type')?.text ?? '';
        if (!creation || !/^(ObjectInputStream|XMLDecoder)$/.test(type)) continue;
        const src = callArguments(creation)[0];
        add(call, src, `${type}.readObject`, 'instantiates whatever classes the stream names; gadget chains on the classpath turn that into remote code execution.', 'Prefer JSON; otherwise install an allow-list with `ObjectInputFilter` (`ois.setObjectInputFilter(...)`) or override `resolveClass`.', 'high');
      }
    } else {
      for (const call of callsOf(file)) {
        const name = resolvedCallee(call, file);
        if (/^node-serialize\.unserialize$/.test(name)) {
          add(call, callArguments(call)[0], 'node-serialize.unserialize', 'evaluates functions embedded in the serialized data (`_$$ND_FUNC$$_`), so crafted input runs code.', 'Use `JSON.parse` and rebuild objects explicitly.', 'high');
        }
      }
    }
    return hits;
  },
};
