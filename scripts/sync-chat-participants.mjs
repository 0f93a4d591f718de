// Regenerates the chat contributions in package.json from personas/*.md (VS Code reads chat participants and
// language model tools from package.json only, so they must be declared statically):
// - `contributes.chatParticipants`: one `personaReview.<id>` participant per persona (name = the persona's
//   `chat` front-matter field, fullName = its name, commands = its front-matter commands, disambiguation from
//   its description and review questions), plus `personaReview.team` (@team: several personas at once);
// - `contributes.languageModelTools`: the `persona_review` tool (agent mode asks a persona for a review);
// - the hidden command `personaReview.applyFindingFix` (the chat's "Apply fix" button).
// Keys it does not own are left as they are. `test/unit/chat-participants.test.ts` fails when package.json is
// out of date.
// Usage: node scripts/sync-chat-participants.mjs [--check]   (--check: exit 1 instead of writing)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** Chat participant id prefix; the participant of persona `sre` is `personaReview.sre`. */
export const PARTICIPANT_PREFIX = 'personaReview.';
/** The @team participant's id. */
export const TEAM_ID = 'personaReview.team';
/** The language model tool's name. */
export const TOOL_NAME = 'persona_review';
/** The command behind the chat's "Apply fix" button. */
export const APPLY_FIX_COMMAND = 'personaReview.applyFindingFix';

/** Every persona of `dir` with what the chat needs: [{ id, name, description, chat, commands, questions, reviews }], sorted by id. */
export function chatPersonas(dir) {
  const out = [];
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(path.join(dir, file), 'utf8'));
    if (!m) throw new Error(`${file}: no YAML front matter between --- lines`);
    const fm = YAML.parse(m[1]);
    const id = fm.id ?? file.replace(/\.md$/, '');
    if (typeof fm.chat !== 'string' || !/^[a-z][a-z0-9-]*$/.test(fm.chat)) throw new Error(`${file}: field "chat": expected a participant name like "sre"`);
    if (typeof fm.name !== 'string' || typeof fm.description !== 'string') throw new Error(`${file}: fields "name" and "description" must be strings`);
    const commands = Array.isArray(fm.commands) ? fm.commands.map((c) => ({ name: String(c.name), description: String(c.description) })) : [];
    const questions = Array.isArray(fm.questions) ? fm.questions.map(String) : [];
    out.push({ id, name: fm.name, description: fm.description, chat: fm.chat, commands, questions, reviews: fm.reviews !== false });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function participant(p) {
  const examples = [`@${p.chat} /review`, ...p.questions.slice(0, 2)];
  return {
    id: `${PARTICIPANT_PREFIX}${p.chat}`,
    name: p.chat,
    fullName: p.name,
    description: p.description,
    isSticky: false,
    commands: p.commands,
    disambiguation: [
      {
        category: `persona_review_${p.id.replace(/-/g, '_')}`,
        description: `The user wants a ${p.name} to look at their code: ${p.description}`,
        examples,
      },
    ],
  };
}

/** The `contributes` keys this script owns, computed from the personas in `dir`. */
export function chatContributions(dir) {
  const personas = chatPersonas(dir);
  const reviewing = personas.filter((p) => p.reviews);
  const team = {
    id: TEAM_ID,
    name: 'team',
    fullName: 'Review Team',
    description: 'Several personas review at once (Architect, Senior Engineer, QA, Security, Performance, SRE by default; name others in the prompt).',
    isSticky: false,
    commands: [
      { name: 'review', description: 'Review the current file or selection with the whole team' },
      { name: 'changes', description: 'Review your uncommitted changes with the whole team' },
      { name: 'explain', description: 'Explain a finding from the last review (or the one under the cursor)' },
    ],
    disambiguation: [
      {
        category: 'persona_review_team',
        description: 'The user wants a review of their code from several angles at once (design, security, tests, performance, operations).',
        examples: ['@team /review', 'Have the whole team review this file', 'Is this change ready to merge?'],
      },
    ],
  };
  const tool = {
    name: TOOL_NAME,
    displayName: 'Persona Review',
    toolReferenceName: 'personaReview',
    canBeReferencedInPrompt: true,
    icon: '$(person)',
    tags: ['code-review', 'security', 'sre'],
    userDescription: 'Review files or line ranges as one or more reviewer personas (Security Engineer, SRE, Architect, ...) and return their findings.',
    modelDescription:
      'Runs a code review of workspace files (or line ranges of them) as the given reviewer personas and returns the findings as text: ' +
      'for each finding its persona, severity (critical, high, medium, low), file and 1-based lines, title, message, the quoted code, ' +
      'a suggested fix where there is one, and references (CWE, OWASP). Use it when the user asks for a review, a security check, ' +
      'a production-readiness check or similar of specific code. Persona ids: ' +
      reviewing.map((p) => p.id).join(', ') +
      '.',
    inputSchema: {
      type: 'object',
      properties: {
        personas: {
          type: 'array',
          items: { type: 'string', enum: reviewing.map((p) => p.id) },
          minItems: 1,
          description: 'Persona ids to review as (several: a team review).',
        },
        files: {
          type: 'array',
          items: { type: 'string' },
          description: 'Files to review, workspace-relative (src/app.ts) or absolute.',
        },
        ranges: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              file: { type: 'string', description: 'Workspace-relative or absolute path.' },
              startLine: { type: 'integer', minimum: 1, description: 'First line, 1-based.' },
              endLine: { type: 'integer', minimum: 1, description: 'Last line, 1-based, inclusive.' },
            },
            required: ['file', 'startLine', 'endLine'],
          },
          description: 'Line ranges of files to review (only findings inside them are reported).',
        },
      },
      required: ['personas'],
    },
  };
  return {
    chatParticipants: [...personas.map(participant), team],
    languageModelTools: [tool],
    command: { command: APPLY_FIX_COMMAND, title: 'Apply Finding Fix', category: 'Persona Review', icon: '$(lightbulb-autofix)' },
  };
}

/** `pkg` with the owned keys replaced by `c` (a new object; other keys keep their order and values). */
export function applyContributions(pkg, c) {
  const next = JSON.parse(JSON.stringify(pkg));
  next.contributes ??= {};
  next.contributes.chatParticipants = c.chatParticipants;
  next.contributes.languageModelTools = c.languageModelTools;
  const commands = (next.contributes.commands ?? []).filter((x) => x.command !== c.command.command);
  // Before the generated per-persona "Review as" commands, which sync-persona-commands.mjs keeps last.
  const at = commands.findIndex((x) => x.command.startsWith('personaReview.reviewAs.'));
  commands.splice(at < 0 ? commands.length : at, 0, c.command);
  next.contributes.commands = commands;
  next.contributes.menus ??= {};
  const palette = (next.contributes.menus.commandPalette ?? []).filter((x) => x.command !== c.command.command);
  palette.push({ command: c.command.command, when: 'false' });
  next.contributes.menus.commandPalette = palette;
  return next;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const pkgPath = path.join(root, 'package.json');
  const raw = readFileSync(pkgPath, 'utf8');
  const next = JSON.stringify(applyContributions(JSON.parse(raw), chatContributions(path.join(root, 'personas'))), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    if (next !== raw) {
      console.error('package.json: the chat participants or the persona_review tool are out of date; run node scripts/sync-chat-participants.mjs');
      process.exit(1);
    }
  } else if (next !== raw) {
    writeFileSync(pkgPath, next);
    console.log('package.json: chat participants, persona_review tool, and applyFindingFix command written');
  }
}
