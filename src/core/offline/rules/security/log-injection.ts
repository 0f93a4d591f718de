/**
 * Rule family: log injection (CWE-117, OWASP A09:2021): request input written to a log line
 * (`console.log`, `logger.info`, `logging.info`, `log.Printf`, SLF4J/JUL loggers) as a string. A
 * value with a newline forges log entries (or terminal escapes corrupt the viewer). Structured
 * logging of objects (JSON escapes newlines) is not reported.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { requestFlows, taintHit } from './flows';

const FIX = 'Log request values as structured fields (JSON loggers escape them) or strip CR/LF before logging (`value.replace(/[\\r\\n]/g, "")`); never let input start a new log line.';

/** The `security/log-injection` rule (see its `description`). */
export const logInjection: FileRule = {
  kind: 'file',
  id: 'security/log-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'medium',
  category: 'log-injection',
  title: 'Request input written to a log line',
  description:
    'Follows request input into log calls (`console.log`, `logger.info`, `logging.info`, `log.Printf`, SLF4J/JUL) as text. A value containing a newline forges extra log entries that mislead incident response; escape sequences can corrupt terminals. Log input as structured fields or strip CR/LF first.',
  references: ['CWE-117', 'OWASP A09:2021'],
  confidence: 0.7,
  check(file, project) {
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'log', project)) {
      // Python `print` (standard output) is judged by security/sensitive-data-logged only, so that debug
      // prints of input do not drown the findings on the application's loggers.
      if (f.info?.stdout) continue;
      hits.push(taintHit(f, { title: 'Log injection', what: 'A log line contains request input', impact: 'A value with `\\n` forges log entries (for example a fake successful login) and can hide an attack.', fix: FIX }));
    }
    return hits;
  },
};
