// Data access for the fixture shop. Security Engineer finds SQL built from strings here (offline rule
// security/sql-injection); the SRE finds an outbound call with no timeout, which has a quick fix.
import pg from 'pg';
import fetch from 'node-fetch';

const pool = new pg.Pool();

async function findUser(req) {
  const id = req.query.id;
  const result = await pool.query("SELECT * FROM users WHERE id = '" + id + "'");
  return result.rows[0];
}

async function fetchAvatar(url) {
  const response = await fetch(url);
  return response.arrayBuffer();
}

export { findUser, fetchAvatar };
