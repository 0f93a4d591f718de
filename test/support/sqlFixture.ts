/**
 * A small Express handler with a critical SQL injection (request input spliced into SQL), and the same
 * file fixed with a bind parameter. Workflow tests review the first, see the gate fail, write the second
 * and see it pass. Plain strings: usable under node --test and inside the extension host bundle.
 */
export const VULNERABLE = [
  "const express = require('express');",
  'const app = express();',
  "app.get('/user', async (req, res) => {",
  '  const rows = await db.query("SELECT * FROM users WHERE id = " + req.query.id);',
  '  res.json(rows);',
  '});',
  '',
].join('\n');

/** {@link VULNERABLE} with the value passed as a bind parameter: no SQL-injection finding. */
export const FIXED = VULNERABLE.replace('"SELECT * FROM users WHERE id = " + req.query.id', '"SELECT * FROM users WHERE id = $1", [req.query.id]');
