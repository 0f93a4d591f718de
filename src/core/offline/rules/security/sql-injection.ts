/**
 * Rule family: SQL injection (CWE-89).
 */

import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS, callArguments, calleeMethod, isJs } from '../../lang';
import { callsOf, compactText, literalText } from '../../nodes';
import { resolvedCallee } from '../../bindings';

import { taintOf, describeTaint, unwrapArg, isTaggedTemplate, family } from './common';

// ---------------------------------------------------------------------------------------------
// SQL injection

const SQL_TEXT = /\b(select\b[\s\S]*\bfrom\b|insert\s+into\b|update\b[\s\S]*\bset\b|delete\s+from\b|merge\s+into\b|replace\s+into\b|(create|drop|alter|truncate)\s+(table|index|view|database|schema)\b|\bwhere\b[\s\S]*(=|\blike\b|\bin\b))/i;

const SQL_METHODS: Record<'js' | 'python' | 'go' | 'java', RegExp> = {
  js: /^(query|execute|exec|raw|run|all|get|each|prepare|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|fromRaw|many|one|none|any|oneOrNone|manyOrNone)$/,
  python: /^(execute|executemany|executescript|raw|text|read_sql|read_sql_query|exec_driver_sql|query|extra)$/,
  go: /^(Query|QueryRow|QueryContext|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Raw|Select|Get|MustExec|Queryx|QueryRowx|NamedExec|NamedQuery)$/,
  java: /^(executeQuery|executeUpdate|executeLargeUpdate|execute|addBatch|prepareStatement|prepareCall|createQuery|createNativeQuery|createSQLQuery|query|queryForObject|queryForList|queryForMap|queryForRowSet|update|batchUpdate)$/,
};

const SQL_FIX: Record<'js' | 'python' | 'go' | 'java', string> = {
  js: "Pass values as bind parameters instead of splicing them into the SQL text, e.g. `db.query('SELECT * FROM users WHERE id = $1', [id])` (or `?` placeholders, or a tagged-template API such as `sql\\`...${id}\\``).",
  python: 'Pass values as query parameters instead of formatting them into the SQL text, e.g. `cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))` (the placeholder style depends on the driver).',
  go: 'Pass values as arguments with placeholders instead of formatting them into the SQL text, e.g. `db.Query("SELECT * FROM users WHERE id = $1", id)` (or `?` for MySQL/SQLite).',
  java: 'Use a `PreparedStatement` with `?` placeholders and `setString`/`setInt` (or named parameters in JPA/JdbcTemplate) instead of concatenating values into the SQL text.',
};

/** The `security/sql-injection` rule (see its `description`). */
export const sqlInjection: FileRule = {
  kind: 'file',
  id: 'security/sql-injection',
  personas: ['security'],
  languages: ALL_LANGS,
  severity: 'high',
  category: 'sql-injection',
  title: 'SQL built from strings',
  description:
    'Flags database calls (`query`, `execute`, `executeQuery`, `db.Query`, ...) whose SQL text is built by concatenation, template literals, f-strings or format calls, directly or through a local variable. Values spliced into SQL can change the statement itself; pass them as bind parameters instead. Critical when request input reaches the SQL text.',
  references: ['CWE-89', 'OWASP A03:2021'],
  confidence: 0.7,
  check(file) {
    const lang = file.language;
    const fam = family(lang);
    const hits: RuleHit[] = [];
    for (const call of callsOf(file)) {
      if (isJs(lang) && isTaggedTemplate(call)) continue;
      const method = calleeMethod(resolvedCallee(call, file));
      if (!SQL_METHODS[fam].test(method)) continue;
      const args = callArguments(call).map(unwrapArg);
      const index = /Context$/.test(method) ? 1 : 0;
      const arg = args[index];
      if (!arg) continue;
      const t = taintOf(arg, file);
      if (!t.built) continue;
      if (!SQL_TEXT.test(t.built.literal || literalText(arg, lang))) continue;
      // Bind parameters are passed: what is spliced in is most likely an identifier or placeholder list.
      const hasParams = fam !== 'java' && args.length > index + 1;
      if (hasParams && !t.request) continue;
      const sink = compactText(method);
      hits.push({
        node: call,
        severity: t.request ? 'critical' : 'high',
        confidence: t.request ? 0.85 : 0.65,
        title: t.request ? 'SQL injection from request input' : 'SQL built from strings',
        message: `\`${sink}\` runs SQL ${describeTaint(t, lang)}. ${t.request ? 'An attacker can rewrite the statement: read or change other rows, or bypass checks.' : 'If any spliced value can come from a user, the statement can be rewritten (SQL injection).'} ${SQL_FIX[fam]}`,
        suggestion: { description: SQL_FIX[fam] },
      });
    }
    return hits;
  },
};

