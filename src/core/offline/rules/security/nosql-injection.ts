/**
 * Rule family: NoSQL injection (CWE-943, OWASP A03:2021): request data used as a MongoDB filter or
 * filter value without being converted to a string (a JSON body or `qs`-parsed query can be an object
 * such as `{"$ne": null}`: operator injection), and request input in `$where` / `.where()` JavaScript.
 */
import type { FileRule, RuleHit } from '../../rule';
import { code } from '../../nodes';
import { builtFlows, requestFlows, taintHit } from './flows';

const FIX = 'Convert each filter value to the type you expect (`String(x)`, `Number(x)`) or validate the body with a schema that rejects objects, and never build `$where` JavaScript from input (use query operators instead).';

/** The `security/nosql-injection` rule (see its `description`). */
export const nosqlInjection: FileRule = {
  kind: 'file',
  id: 'security/nosql-injection',
  personas: ['security'],
  languages: ['javascript', 'typescript', 'tsx', 'python'],
  severity: 'critical',
  category: 'nosql-injection',
  title: 'NoSQL injection',
  description:
    'Follows request data into MongoDB queries (`find`, `findOne`, `update*`, `delete*`, `count*`, `where`): a filter or filter value taken from a JSON body or query object unconverted lets a client send operators such as `{"$ne": null}` or `{"$gt": ""}` (bypassing a password check), and input in `$where` runs as JavaScript in the database. Convert values to strings or numbers, or validate with a schema.',
  references: ['CWE-943', 'OWASP A03:2021'],
  confidence: 0.75,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'nosql', project)) {
      const where = f.info?.how === '$where';
      hits.push(
        taintHit(f, {
          title: where ? 'NoSQL injection in $where' : 'NoSQL operator injection',
          what: where ? 'JavaScript evaluated by the database (`$where`) contains request input' : `A query ${f.info?.field ? `value (\`${f.info.field}\`)` : 'filter'} is request data that may be an object`,
          impact: where ? 'An attacker can run JavaScript in the database and read or match any document.' : 'A client can send `{"$ne": null}` or `{"$gt": ""}` instead of a string and match any document, for example to log in without a password.',
          fix: FIX,
        }),
      );
    }
    // `$where` JavaScript built from a parameter of the function: its callers decide what runs in the database.
    for (const f of builtFlows(file, 'nosql', project)) {
      if (f.info?.how !== '$where') continue;
      hits.push({ node: f.node, severity: 'high', confidence: 0.6, title: 'NoSQL $where built from strings', message: `${code(f.api)} runs \`$where\` JavaScript built from the parameter \`${f.value.param}\` (${code(f.value.built!.node.text, 50)}). If a caller passes request input, a quote in it injects JavaScript that the database runs (\`0';while(true){}'\`). ${FIX}`, suggestion: { description: FIX } });
    }
    return hits;
  },
};
