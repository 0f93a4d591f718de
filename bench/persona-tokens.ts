// Prints each shipped persona's system-prompt size in Claude tokens (counted with @anthropic-ai/tokenizer),
// plus the total and the largest, and flags any prompt over the 1,500-token budget of DESIGN.md.
// Run: node --import tsx bench/persona-tokens.ts  (exit code 1 when a persona fails to load or is over budget)
import { countTokens } from '@anthropic-ai/tokenizer';
import { builtinPersonaDir, loadPersonas } from '../src/core/personas';

const LIMIT = 1500;

async function main(): Promise<number> {
  const dir = builtinPersonaDir();
  const { personas, errors } = await loadPersonas([dir]);
  for (const e of errors) console.error(e.message);

  const rows = personas.map((p) => ({ id: p.id, tokens: countTokens(p.prompt) }));
  const idWidth = Math.max(7, ...rows.map((r) => r.id.length));
  const line = (id: string, tokens: string, note = ''): string => `${id.padEnd(idWidth)}  ${tokens.padStart(6)}  ${note}`.trimEnd();

  console.log(`Persona prompt sizes (${dir})`);
  console.log(line('persona', 'tokens'));
  console.log(`${'-'.repeat(idWidth)}  ------`);
  for (const r of rows) console.log(line(r.id, String(r.tokens), r.tokens > LIMIT ? `OVER ${LIMIT}` : ''));
  console.log(`${'-'.repeat(idWidth)}  ------`);
  const total = rows.reduce((s, r) => s + r.tokens, 0);
  const max = rows.reduce((m, r) => (r.tokens > m.tokens ? r : m), { id: '-', tokens: 0 });
  console.log(line('total', String(total), `${rows.length} personas`));
  console.log(line('max', String(max.tokens), `${max.id} (limit ${LIMIT})`));

  return errors.length > 0 || rows.some((r) => r.tokens > LIMIT) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
