/**
 * Rule family: SQL injection (CWE-89, OWASP A03:2021). Request input that reaches the SQL text of a
 * database call (JDBC, JPA/Hibernate, `database/sql`, DB-API `execute`, Node drivers, Sequelize/Knex
 * raw queries) without a bind parameter is critical. A SQL statement built here from non-constant
 * values that do not come from request input is reported as medium: the value's origin is outside
 * this file, so the statement may still be injectable.
 */
import type { FileRule, RuleHit } from '../../rule';
import { ALL_LANGS } from '../../lang';
import { code } from '../../nodes';
import { SQL_TEXT } from '../../taint/models/js';
import { builtFlows, fam, requestFlows, taintHit } from './flows';

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
  severity: 'critical',
  category: 'sql-injection',
  title: 'SQL injection from request input',
  description:
    'Follows request input (query, body, headers, cookies, path parameters) through assignments, string building, collections and calls into the SQL text of database calls (`executeQuery`, `cursor.execute`, `db.Query`, `sequelize.query`, ...). Input spliced into SQL can rewrite the statement; pass it as a bind parameter instead. Parameterised queries, numeric conversion and allow-list checks end the taint. SQL built from other non-constant values is reported at medium severity.',
  references: ['CWE-89', 'OWASP A03:2021'],
  confidence: 0.85,
  check(file, project) {
    const fix = SQL_FIX[fam(file.language)];
    const hits: RuleHit[] = [];
    for (const f of requestFlows(file, 'sql', project)) {
      hits.push(taintHit(f, { title: 'SQL injection from request input', what: 'SQL text is built from request input', impact: 'An attacker can rewrite the statement: read or change other rows, or bypass checks.', fix }));
    }
    for (const f of builtFlows(file, 'sql', project)) {
      // Bind parameters passed alongside: what is spliced in is most likely an identifier or a placeholder list.
      if (f.info?.params) continue;
      if (!SQL_TEXT.test(f.value.built!.node.text)) continue;
      hits.push({
        node: f.node,
        severity: 'medium',
        confidence: 0.55,
        title: 'SQL built from strings',
        message: `${code(f.api)} runs SQL built from non-constant values (${code(f.value.built!.node.text, 50)}) that this file does not trace to request input. If any of them can come from a user, the statement can be rewritten. ${fix}`,
        suggestion: { description: fix },
      });
    }
    return hits;
  },
};
