/**
 * Persona import and export: personas written for other tools become Persona Review personas, and ours
 * can be taken to those tools. Formats (each mapped by {@link importPersonaText}):
 *
 * - `claude-agent`: Claude Code subagents, `.claude/agents/*.md` (front matter `name`, `description`,
 *   `tools`, `model`, `color`; body = system prompt; Claude Code docs "Subagents").
 * - `claude-command`: Claude Code slash commands written as personas, `.claude/commands/*.md` (front
 *   matter `allowed-tools`, `description`, `argument-hint`, `model`; `$ARGUMENTS`; context lines
 *   `` !`cmd` `` that Claude Code runs in a shell: here they are NEVER run, only reported as dropped).
 * - `vscode-agent` / `vscode-chatmode`: VS Code custom agents `.github/agents/*.agent.md` and the older
 *   chat modes `.github/chatmodes/*.chatmode.md` (front matter `description`, `tools`, `model`, `name`,
 *   `handoffs`, ...; VS Code docs "Custom agents").
 * - `roo`: Roo Code custom modes, `.roomodes` (YAML or JSON `customModes: [{slug, name, roleDefinition,
 *   whenToUse, description, customInstructions, groups, source}]`; Roo Code docs "Custom Modes").
 * - `bmad`: BMAD-METHOD agents (`.bmad-core/agents/*.md`: a fenced YAML block with `agent` {name, id,
 *   title, icon, whenToUse} and `persona` {role, style, identity, focus, core_principles}, `commands`,
 *   `dependencies`, `activation-instructions`).
 * - `markdown`: a plain markdown persona without front matter (seed 001): name from the first heading.
 * - `persona-review`: our own format (DESIGN.md "Persona file format"), taken as is.
 *
 * Every import returns a report of what was **kept** as is, **mapped** (changed to fit our schema, and how)
 * and **dropped** (and why). The result is always a persona file in our format, validated by
 * `parsePersona`, so an imported persona behaves exactly as one written by hand.
 *
 * Imported and discovered personas are files of a repository: their prompt goes after our system prompt,
 * whose rules on untrusted code (DATA_PREAMBLE) they cannot replace, and any `<code_under_review>` tag in
 * them is neutralised. Tools lists never give a persona tools: reviewers run no commands.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { escapeDelimiters } from './context';
import { parsePersona, type LoadedPersona } from './personas';
import { estimateTokens } from './tokens';
import type { Persona, PersonaCategory } from './types';

/** The formats {@link importPersonaText} understands. */
export const IMPORT_FORMATS = ['persona-review', 'claude-agent', 'claude-command', 'vscode-agent', 'vscode-chatmode', 'roo', 'bmad', 'markdown'] as const;
/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** The formats {@link exportPersona} writes. */
export const EXPORT_FORMATS = ['claude-agent', 'vscode-agent', 'roo'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What became of each part of an imported file. Each entry is one sentence for the user. */
export interface ImportReport {
  kept: string[];
  mapped: string[];
  dropped: string[];
}

/** One persona imported from a file (a `.roomodes` file gives several). */
export interface ImportedPersona {
  persona: LoadedPersona;
  format: ImportFormat;
  /** The file it came from, as given. */
  source: string;
  report: ImportReport;
  /** The persona as a file in our format (what `persona-review import` writes to `.personas/<id>.md`). */
  text: string;
}

/** A file that could not be imported, with the reason. */
export interface ImportError {
  file: string;
  message: string;
}

/** Key under which exports keep the fields other tools have no place for, so an export imports back unchanged. */
export const EXPORT_KEY = 'personaReview';

/** Above this many estimated tokens an imported prompt is flagged (DESIGN.md caps shipped prompts at 1,500). */
const LONG_PROMPT_TOKENS = 1500;

/** Codicon per category for imported personas (https://microsoft.github.io/vscode-codicons/). */
const CATEGORY_ICON: Record<PersonaCategory, string> = {
  process: 'list-ordered',
  design: 'symbol-structure',
  quality: 'checklist',
  security: 'shield',
  performance: 'dashboard',
  operations: 'pulse',
};

/**
 * Keyword rules that map an imported persona to a category and to the built-in persona whose offline rule
 * pack it runs with the offline provider. First match wins, on the name, then the description, then the prompt.
 */
const ROLE_RULES: Array<{ re: RegExp; category: PersonaCategory; rules: string }> = [
  { re: /\b(security|secure|vulnerab|pentest|penetration|threat|owasp|appsec|auth(?:entication|orization)?)\b/i, category: 'security', rules: 'security' },
  { re: /\b(sre|site reliability|reliability|on-?call|incident|observability|slo|devops|kubernetes|infrastructure)\b/i, category: 'operations', rules: 'sre' },
  { re: /\b(performance|latency|optimi[sz]|profil|throughput|scalab)/i, category: 'performance', rules: 'performance' },
  { re: /\b(concurren|thread|race condition|deadlock|async)/i, category: 'performance', rules: 'concurrency' },
  { re: /\b(test|qa|quality assurance|tdd|coverage|vitest|jest|playwright)/i, category: 'quality', rules: 'qa' },
  { re: /\b(architect|architecture|design review|system design)/i, category: 'design', rules: 'architect' },
  { re: /\b(review|reviewer|code quality|lint|style|standards)/i, category: 'quality', rules: 'reviewer' },
  { re: /\b(engineer|developer|implementation|refactor|clean code)/i, category: 'design', rules: 'engineer' },
];

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** kebab-case id from any text: `🧪 Test Architect & Quality` → `test-architect-quality`. */
export function toId(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** Display name from an id or name: `code-reviewer` → `Code Reviewer`; emoji and symbols at the start are removed. */
function displayName(text: string): string {
  const cleaned = text.replace(/^[^\p{L}\p{N}]+/u, '').trim();
  if (/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(cleaned)) {
    return cleaned
      .split(/[-_]/)
      .map((w) => (['qa', 'sre', 'api', 'ui', 'ux', 'ai', 'ml', 'pr'].includes(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
      .join(' ');
  }
  return cleaned;
}

function splitFrontMatter(text: string): { data: Record<string, unknown>; body: string } | undefined {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---[ \t]*\n(?:([\s\S]*?)\n)?---[ \t]*(?:\n|$)/.exec(normalized);
  if (!m) return undefined;
  const data: unknown = YAML.parse(m[1] ?? '') ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('the front matter is not a YAML mapping of fields');
  return { data: data as Record<string, unknown>, body: normalized.slice(m[0].length) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).filter(Boolean);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** The first markdown heading's text, and the first paragraph after it (for name and description). */
function headingAndLead(body: string): { heading?: string; lead?: string } {
  const lines = body.split('\n');
  const h = lines.findIndex((l) => /^#{1,3}\s+\S/.test(l));
  const heading = h >= 0 ? lines[h]!.replace(/^#+\s+/, '').trim() : undefined;
  const para: string[] = [];
  for (const l of lines.slice(h + 1)) {
    if (/^\s*$/.test(l)) {
      if (para.length) break;
      continue;
    }
    if (/^(#|```|[-*]\s|\d+\.\s|<!--|\||>)/.test(l.trim())) {
      if (para.length) break;
      continue;
    }
    para.push(l.trim());
  }
  const lead = para.join(' ').replace(/\*\*/g, '').trim();
  return { heading, lead: lead ? (lead.length > 200 ? `${lead.slice(0, 197).replace(/\s+\S*$/, '')}…` : lead) : undefined };
}

/** Review questions found in the prompt: bullet items that end with "?" (at most 8, as written). */
function questionsIn(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/^\s*[-*]\s+"?(.{10,200}?\?)"?\s*$/gm)) {
    const q = m[1]!.replace(/\*\*/g, '').trim();
    if (!out.includes(q)) out.push(q);
    if (out.length === 8) break;
  }
  return out;
}

/** The fields of our format that an import fills in (front matter of the file it writes). */
interface Draft {
  id: string;
  name: string;
  shortName?: string;
  description: string;
  category?: PersonaCategory;
  icon?: string;
  chat?: string;
  commands?: Array<{ name: string; description: string }>;
  questions?: string[];
  reviews?: boolean;
  model?: string;
  offlineRules?: string[];
  prompt: string;
}

/** Fills category, icon, chat, questions and offline rules that a foreign format has no field for, reporting each. */
function complete(d: Draft, report: ImportReport): void {
  const haystacks = [d.name, d.description, d.prompt];
  let role: (typeof ROLE_RULES)[number] | undefined;
  let via = '';
  for (const [i, h] of haystacks.entries()) {
    role = ROLE_RULES.find((r) => r.re.test(h));
    if (role) {
      via = ['name', 'description', 'prompt'][i]!;
      break;
    }
  }
  if (!d.category) {
    d.category = role?.category ?? 'quality';
    report.mapped.push(role ? `category: "${d.category}" (from the ${via})` : 'category: "quality" (no role recognised; edit it if the persona is about something else)');
  }
  if (!d.icon) {
    d.icon = CATEGORY_ICON[d.category];
    report.mapped.push(`icon: codicon "${d.icon}" for the ${d.category} category`);
  }
  if (!d.offlineRules) {
    d.offlineRules = [role?.rules ?? 'reviewer'];
    report.mapped.push(`offlineRules: [${d.offlineRules[0]}] (with the offline provider it runs the built-in ${d.offlineRules[0]} rule pack${role ? ` matched by its ${via}` : ', the general code review'})`);
  }
  if (!d.chat) {
    d.chat = d.id.replace(/-/g, '_').slice(0, 30).replace(/_+$/, '');
    report.mapped.push(`chat: "@${d.chat}" (from the id)`);
  }
  if (!d.questions) {
    d.questions = questionsIn(d.prompt);
    if (d.questions.length) report.mapped.push(`questions: ${d.questions.length} review question(s) taken from the prompt's bullet points`);
  }
  const safe = escapeDelimiters(d.prompt);
  if (safe !== d.prompt) {
    d.prompt = safe;
    report.mapped.push('prompt: "<code_under_review" in the text neutralised (it could forge the delimiters of reviewed code)');
  }
  const tokens = estimateTokens(d.prompt);
  if (tokens > LONG_PROMPT_TOKENS) {
    report.mapped.push(`prompt: kept whole, ~${tokens.toLocaleString('en-US')} tokens (over the ${LONG_PROMPT_TOKENS.toLocaleString('en-US')} of the built-in personas: it is sent with every request of this persona; shorten it to save cost)`);
  }
}

/** Model names kept: Claude model ids the Messages API takes. Others (sonnet, inherit, GPT-4o, ...) are dropped. */
function takeModel(model: unknown, report: ImportReport): string | undefined {
  const m = str(model);
  if (!m) return undefined;
  if (/^claude-[a-z0-9.-]+$/.test(m)) {
    report.kept.push(`model: "${m}"`);
    return m;
  }
  report.dropped.push(`model: "${m}" (not a Claude model id; the review model is chosen by --model or the personaReview.model setting)`);
  return undefined;
}

function dropTools(field: string, v: unknown, report: ImportReport): void {
  const tools = list(v);
  if (tools.length) report.dropped.push(`${field}: ${tools.join(', ')} (reviewers run no tools or commands; they read the code they are given)`);
}

/** Fields of our own persona format kept under {@link EXPORT_KEY} by an export. */
function fromExportKey(v: unknown): Partial<Draft> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return v as Partial<Draft>;
}

/** Front matter keys each format uses that we map or deliberately drop; any other key is reported as dropped. */
function dropUnknown(data: Record<string, unknown>, handled: string[], report: ImportReport): void {
  for (const k of Object.keys(data)) {
    if (handled.includes(k)) continue;
    const v = data[k];
    const shown = typeof v === 'string' ? `"${v.length > 40 ? v.slice(0, 37) + '…' : v}"` : Array.isArray(v) ? 'a list' : typeof v === 'object' && v ? 'a mapping' : JSON.stringify(v);
    report.dropped.push(`${k}: ${shown} (no counterpart in Persona Review)`);
  }
}

/** Claude Code commands: `!`cmd`` context lines are removed (never run), `$ARGUMENTS` mapped, invocation sections dropped. */
function cleanCommandBody(body: string, report: ImportReport): string {
  const commands: string[] = [];
  let lines = body.split('\n').filter((l) => {
    const m = l.match(/!`([^`]*)`/g);
    if (!m) return true;
    for (const c of m) commands.push(c.slice(2, -1));
    return false;
  });
  if (commands.length) {
    report.dropped.push(
      `${commands.length} shell context line(s), never run: ${commands.map((c) => `\`${c.length > 60 ? c.slice(0, 57) + '…' : c}\``).join(', ')} (Claude Code runs these to fill the prompt; a reviewer runs nothing)`,
    );
  }
  // Sections about invoking the slash command make no sense for a reviewer.
  const out: string[] = [];
  let skipping: string | undefined;
  for (const l of lines) {
    const h = /^(#{1,3})\s+(.*)$/.exec(l);
    if (h) {
      skipping = /^(usage|examples?)$/i.test(h[2]!.trim()) ? h[2]!.trim() : undefined;
      if (skipping) {
        report.dropped.push(`section "${skipping}" (how to invoke the slash command)`);
        continue;
      }
    }
    if (!skipping) out.push(l);
  }
  lines = out;
  let text = lines.join('\n');
  if (/\$ARGUMENTS\b/.test(text)) {
    text = text.replace(/\$ARGUMENTS\b/g, 'the review task');
    report.mapped.push('$ARGUMENTS → "the review task" (the code and task come from the review)');
  }
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

/** Maps one markdown file with front matter (Claude agent/command, VS Code agent/chat mode, our own). */
function fromFrontMatterFile(format: ImportFormat, data: Record<string, unknown>, body: string, file: string, report: ImportReport): Draft {
  const ours = fromExportKey(data[EXPORT_KEY]);
  const base = path.basename(file).replace(/\.(agent|chatmode)\.md$/i, '').replace(/\.md$/i, '');
  const lead = headingAndLead(body);
  let prompt = body.trim();
  if (format === 'claude-command') prompt = cleanCommandBody(prompt, report);
  if ((format === 'vscode-agent' || format === 'vscode-chatmode') && /<!--[\s\S]*?-->/.test(prompt)) {
    prompt = prompt.replace(/<!--[\s\S]*?-->/g, '').trim();
    report.dropped.push('HTML comments in the body (metadata for people, not part of the prompt)');
  }
  const name = str(data['name']);
  let id: string;
  let display: string;
  if (ours?.id) {
    id = ours.id;
    display = ours.name ?? name ?? displayName(id);
    report.kept.push(`id, name and every Persona Review field from "${EXPORT_KEY}" (a Persona Review export)`);
  } else {
    display = name && !ID_RE.test(name) ? name : format === 'claude-command' && lead.heading ? lead.heading.replace(/\s+persona$/i, '') : displayName(name ?? base);
    id = toId(format === 'claude-command' && !name && lead.heading ? display : (name ?? base));
    if (name) report[ID_RE.test(name) ? 'mapped' : 'kept'].push(ID_RE.test(name) ? `name: "${name}" → id "${id}", display name "${display}"` : `name: "${name}" (id "${id}")`);
    else report.mapped.push(`id "${id}" and name "${display}" from the ${format === 'claude-command' && lead.heading ? 'first heading and the file name' : 'file name'}`);
  }
  let description = str(data['description']);
  if (description) report.kept.push('description');
  else {
    description = lead.lead ?? `Reviews code as ${display}.`;
    report.mapped.push('description: from the first paragraph of the body');
  }
  dropTools(format === 'claude-command' ? 'allowed-tools' : 'tools', format === 'claude-command' ? data['allowed-tools'] : data['tools'], report);
  const model = ours?.model ?? takeModel(data['model'], report);
  dropUnknown(data, ['name', 'description', 'tools', 'allowed-tools', 'model', EXPORT_KEY], report);
  report.kept.push(`prompt: the body (${prompt.split('\n').length} lines)`);
  return {
    ...(ours ?? {}),
    id,
    name: display,
    description,
    ...(model ? { model } : {}),
    prompt,
  } as Draft;
}

/** Maps a plain markdown persona (no front matter, as seed 001). */
function fromMarkdown(body: string, file: string, report: ImportReport): Draft {
  const { heading, lead } = headingAndLead(body);
  const name = (heading ?? displayName(path.basename(file).replace(/\.[^.]+$/, ''))).replace(/\s+persona$/i, '').replace(/\s*\(.*\)\s*$/, '').trim() || 'Imported persona';
  const id = toId(name);
  report.mapped.push(`id "${id}" and name "${name}" from the first heading`);
  report.mapped.push('description: from the first paragraph');
  report.kept.push(`prompt: the whole text (${body.trim().split('\n').length} lines)`);
  return { id, name, description: lead ?? `Reviews code as the ${name}.`, prompt: body.trim() };
}

/** Maps one Roo Code custom mode. */
function fromRooMode(mode: Record<string, unknown>, report: ImportReport): Draft {
  const ours = fromExportKey(mode[EXPORT_KEY]);
  const slug = str(mode['slug']) ?? 'roo-mode';
  const rawName = str(mode['name']) ?? slug;
  const name = ours?.name ?? displayName(rawName);
  const id = ours?.id ?? toId(slug);
  if (ours) report.kept.push(`id, name and every Persona Review field from "${EXPORT_KEY}" (a Persona Review export)`);
  else {
    report.mapped.push(`slug: "${slug}" → id "${id}"`);
    report[name === rawName ? 'kept' : 'mapped'].push(name === rawName ? `name: "${name}"` : `name: "${rawName}" → "${name}" (emoji removed)`);
  }
  const role = str(mode['roleDefinition']) ?? '';
  const custom = str(mode['customInstructions']);
  const prompt = ours ? role : [role, custom ? `## Instructions\n\n${custom}` : ''].filter(Boolean).join('\n\n');
  report[ours ? 'kept' : 'mapped'].push(ours ? 'prompt: roleDefinition' : `prompt: roleDefinition${custom ? ' + customInstructions (as "## Instructions")' : ''}`);
  let description = ours?.description ?? str(mode['description']) ?? str(mode['whenToUse']);
  if (!ours) report.mapped.push(`description: from ${str(mode['description']) ? 'description' : 'whenToUse'}`);
  description ??= `Reviews code as ${name}.`;
  const groups = list(mode['groups']);
  if (groups.length && !ours) report.dropped.push(`groups: ${groups.map((g) => (g.startsWith('[') ? 'edit (restricted to some files)' : g)).join(', ')} (Roo tool permissions; reviewers run no tools)`);
  const handled = ['slug', 'name', 'roleDefinition', 'customInstructions', 'description', 'whenToUse', 'groups', EXPORT_KEY];
  if (!ours && str(mode['whenToUse']) && str(mode['description'])) report.dropped.push('whenToUse (the description says it)');
  for (const k of Object.keys(mode)) if (!handled.includes(k)) report.dropped.push(`${k} (no counterpart in Persona Review)`);
  return { ...(ours ?? {}), id, name, description, prompt } as Draft;
}

/** Maps a BMAD agent (markdown with a fenced YAML block, or a bare `.agent.yaml`). */
function fromBmad(doc: Record<string, unknown>, report: ImportReport): Draft {
  const agent = (doc['agent'] ?? {}) as Record<string, unknown>;
  const persona = (doc['persona'] ?? {}) as Record<string, unknown>;
  const meta = ((agent['metadata'] as Record<string, unknown> | undefined) ?? agent) as Record<string, unknown>;
  const title = str(meta['title']) ?? str(meta['name']) ?? 'BMAD agent';
  const id = toId(str(meta['id'])?.split('/').pop()?.replace(/\.md$/, '') ?? title);
  report.mapped.push(`agent.id → id "${id}", agent.title → name "${title}"`);
  if (str(meta['name'])) report.mapped.push(`agent.name "${str(meta['name'])}" → mentioned in the prompt`);
  if (str(meta['icon'])) report.dropped.push(`agent.icon "${str(meta['icon'])}" (an emoji; a codicon is used)`);
  const whenToUse = str(meta['whenToUse']);
  const section = (label: string, v: unknown) => {
    const items = Array.isArray(v) ? v.map((x) => `- ${String(x)}`).join('\n') : str(v);
    return items ? `## ${label}\n\n${items}` : '';
  };
  const p = (agent['persona'] as Record<string, unknown> | undefined) ?? persona;
  const prompt = [
    `# ${title}`,
    str(meta['name']) ? `You are ${str(meta['name'])}, the team's ${title}.` : '',
    section('IDENTITY', [str(p['role']), str(p['identity'])].filter(Boolean).join('. ')),
    section('COMMUNICATION STYLE', p['style'] ?? p['communication_style']),
    section('FOCUS', p['focus']),
    section('PRINCIPLES', p['core_principles'] ?? p['principles']),
  ]
    .filter(Boolean)
    .join('\n\n');
  report.mapped.push('persona (role, identity, style, focus, core_principles) → prompt sections IDENTITY, COMMUNICATION STYLE, FOCUS, PRINCIPLES');
  for (const k of Object.keys(doc)) {
    if (k === 'agent' || k === 'persona') continue;
    report.dropped.push(`${k} (BMAD ${/command/i.test(k) ? 'commands run BMAD tasks and edit files' : /depend/i.test(k) ? 'task and template files' : 'activation and workflow rules'}; a reviewer only reviews)`);
  }
  for (const k of ['menu', 'critical_actions', 'prompts']) if (agent[k]) report.dropped.push(`agent.${k} (BMAD workflow; a reviewer only reviews)`);
  return { id, name: title, description: (whenToUse ?? `Reviews code as the ${title}.`).replace(/\s+/g, ' '), prompt };
}

/** Guesses the format of a file from its path and text. */
export function detectFormat(file: string, text: string): ImportFormat | undefined {
  const p = file.replace(/\\/g, '/');
  const base = path.basename(p);
  if (base === '.roomodes' || /custom_modes\.(ya?ml|json)$/.test(base)) return 'roo';
  if (/\.agent\.ya?ml$/.test(base) || /(^|\/)(\.bmad-core|\.?_?bmad[^/]*)\/.*agents\//.test(p) || /```ya?ml\s*\n[\s\S]*?^agent:\s*$[\s\S]*?^persona:/m.test(text)) return 'bmad';
  if (base.endsWith('.chatmode.md')) return 'vscode-chatmode';
  if (base.endsWith('.agent.md') || /(^|\/)\.github\/agents\//.test(p)) return 'vscode-agent';
  if (/\.(json|ya?ml|js|ts|py|go|java)$/i.test(base)) return undefined;
  let fm: { data: Record<string, unknown> } | undefined;
  try {
    fm = splitFrontMatter(text);
  } catch {
    return undefined;
  }
  if (!fm) return /^#\s+\S/m.test(text) ? 'markdown' : undefined;
  if (/(^|\/)\.claude\/commands\//.test(p) || 'allowed-tools' in fm.data || /!`[^`]+`/.test(text)) return 'claude-command';
  if (/(^|\/)\.claude\/agents\//.test(p)) return 'claude-agent';
  if ('category' in fm.data || 'chat' in fm.data || 'questions' in fm.data) return 'persona-review';
  return 'claude-agent';
}

/** Serialises a draft as a persona file of our format (front matter + body). */
function toPersonaFile(d: Draft): string {
  const fm: Record<string, unknown> = { id: d.id, name: d.name };
  if (d.shortName && d.shortName !== d.name) fm['shortName'] = d.shortName;
  fm['description'] = d.description.replace(/\s+/g, ' ').trim();
  for (const k of ['category', 'icon', 'chat', 'commands', 'questions', 'reviews', 'model', 'offlineRules'] as const) {
    const v = d[k];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0 && k !== 'questions')) fm[k] = v;
  }
  return `---\n${YAML.stringify(fm, { lineWidth: 0 })}---\n\n${d.prompt.trim()}\n`;
}

/**
 * Imports one file's text. `file` is its path (for format detection, messages and `source`); `format`
 * forces a format. Returns the personas (several for a `.roomodes`), each with its report and the file
 * text in our format, and an error per persona or file that could not be imported. Never throws.
 */
export function importPersonaText(text: string, file: string, format?: ImportFormat): { personas: ImportedPersona[]; errors: ImportError[] } {
  const personas: ImportedPersona[] = [];
  const errors: ImportError[] = [];
  const fmt = format ?? detectFormat(file, text);
  if (!fmt) return { personas, errors: [{ file, message: `${file}: not a persona file of a known format (Claude Code agent or command, VS Code agent or chat mode, Roo .roomodes, BMAD agent, or markdown with a heading)` }] };
  const finish = (draft: Draft, report: ImportReport, suffix = '') => {
    // A Persona Review export carries every field already: completing it would change it.
    if (fmt !== 'persona-review' && !report.kept.some((k) => k.includes(EXPORT_KEY))) complete(draft, report);
    const out = toPersonaFile(draft);
    const parsed = parsePersona(out, `${file}${suffix}`);
    if (!parsed.persona) {
      errors.push({ file, message: `${file}${suffix}: could not be mapped to a persona: ${parsed.errors.map((e) => e.message).join('; ')}` });
      return;
    }
    personas.push({ persona: { ...parsed.persona, source: file }, format: fmt, source: file, report, text: out });
  };
  try {
    if (fmt === 'roo') {
      const doc = YAML.parse(text) as { customModes?: unknown } | null;
      const modes = doc && Array.isArray(doc.customModes) ? doc.customModes : undefined;
      if (!modes) return { personas, errors: [{ file, message: `${file}: expected "customModes:" with a list of modes (Roo Code .roomodes)` }] };
      for (const [i, m] of modes.entries()) {
        if (!m || typeof m !== 'object') {
          errors.push({ file, message: `${file}: customModes[${i}] is not a mapping` });
          continue;
        }
        const report: ImportReport = { kept: [], mapped: [], dropped: [] };
        finish(fromRooMode(m as Record<string, unknown>, report), report, ` (mode ${String((m as Record<string, unknown>)['slug'] ?? i)})`);
      }
      return { personas, errors };
    }
    const report: ImportReport = { kept: [], mapped: [], dropped: [] };
    if (fmt === 'bmad') {
      const block = /```ya?ml\s*\n([\s\S]*?)\n```/.exec(text)?.[1] ?? text;
      const doc = YAML.parse(block) as Record<string, unknown> | null;
      if (!doc || typeof doc !== 'object' || !doc['agent']) return { personas, errors: [{ file, message: `${file}: expected a BMAD agent (a YAML block with "agent:" and "persona:")` }] };
      if (block !== text) report.dropped.push('the text around the YAML block (BMAD activation notices)');
      finish(fromBmad(doc, report), report);
      return { personas, errors };
    }
    if (fmt === 'markdown') {
      finish(fromMarkdown(text.replace(/\r\n?/g, '\n'), file, report), report);
      return { personas, errors };
    }
    const fm = splitFrontMatter(text);
    if (!fm) {
      finish(fromMarkdown(text.replace(/\r\n?/g, '\n'), file, report), report);
      return { personas, errors };
    }
    if (fmt === 'persona-review') {
      const parsed = parsePersona(text, file);
      if (!parsed.persona) return { personas, errors: parsed.errors.map((e) => ({ file, message: e.message })) };
      report.kept.push('every field (already a Persona Review persona)');
      personas.push({ persona: parsed.persona, format: fmt, source: file, report, text });
      return { personas, errors };
    }
    finish(fromFrontMatterFile(fmt, fm.data, fm.body, file, report), report);
  } catch (e) {
    errors.push({ file, message: `${file}: could not be read as ${fmt}: ${(e as Error).message.split('\n')[0]}` });
  }
  return { personas, errors };
}

/** Persona files under a folder, as {@link importPath} walks it (bounded; skips node_modules and .git). */
async function walk(dir: string, out: string[], budget = { n: 2000 }): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return;
  }
  for (const n of names) {
    if (--budget.n < 0) return;
    if (n === 'node_modules' || n === '.git') continue;
    const p = path.join(dir, n);
    const st = await stat(p).catch(() => undefined);
    if (st?.isDirectory()) await walk(p, out, budget);
    else if (st?.isFile() && (n === '.roomodes' || /\.(md|ya?ml)$/i.test(n)) && !/^readme\.md$/i.test(n)) out.push(p);
  }
}

/**
 * Imports a file, or every persona-looking file under a folder (`.md`, `.yaml`, `.roomodes`). Files of
 * unknown shape found in a folder are skipped silently; a file named explicitly that cannot be imported is
 * an error. Never throws.
 */
export async function importPath(p: string): Promise<{ personas: ImportedPersona[]; errors: ImportError[] }> {
  const st = await stat(p).catch(() => undefined);
  if (!st) return { personas: [], errors: [{ file: p, message: `${p}: no such file or folder` }] };
  const files: string[] = [];
  if (st.isDirectory()) await walk(p, files);
  else files.push(p);
  const personas: ImportedPersona[] = [];
  const errors: ImportError[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => undefined);
    if (text === undefined) {
      errors.push({ file: f, message: `${f}: cannot be read` });
      continue;
    }
    if (st.isDirectory() && !detectFormat(f, text)) continue;
    const r = importPersonaText(text, f);
    personas.push(...r.personas);
    if (!st.isDirectory() || r.personas.length > 0 || detectFormat(f, text) !== 'markdown') errors.push(...r.errors);
  }
  return { personas, errors };
}

/** Our fields that other formats have no place for, kept under {@link EXPORT_KEY}. */
function exportExtras(p: Persona & { shortName?: string }): Record<string, unknown> {
  const extra: Record<string, unknown> = { id: p.id, name: p.name };
  if (p.shortName && p.shortName !== p.name) extra['shortName'] = p.shortName;
  Object.assign(extra, { category: p.category, icon: p.icon, chat: p.chat, commands: p.commands, questions: p.questions });
  if (!p.reviews) extra['reviews'] = false;
  if (p.model) extra['model'] = p.model;
  if (p.offlineRules) extra['offlineRules'] = p.offlineRules;
  return extra;
}

/**
 * Writes `persona` in another tool's format. Returns the file's text and where that tool looks for it,
 * relative to the workspace root: `claude-agent` → `.claude/agents/<id>.md`; `vscode-agent` →
 * `.github/agents/<id>.agent.md`; `roo` → `.roomodes` (one mode; see {@link mergeRooModes} to add it to an
 * existing file). The fields those tools have no place for go under {@link EXPORT_KEY}, so the file imports
 * back unchanged. Tools lists are never written: the Roo mode gets only the `read` group.
 */
export function exportPersona(persona: Persona, to: ExportFormat): { path: string; text: string } {
  const extras = exportExtras(persona);
  const description = persona.description.replace(/\s+/g, ' ').trim();
  if (to === 'roo') {
    const mode = { slug: persona.id, name: persona.name, roleDefinition: persona.prompt.trim(), whenToUse: description, description, groups: ['read'], [EXPORT_KEY]: extras };
    return { path: '.roomodes', text: YAML.stringify({ customModes: [mode] }, { lineWidth: 0 }) };
  }
  const fm = to === 'claude-agent' ? { name: persona.id, description, ...(persona.model ? { model: persona.model } : {}), [EXPORT_KEY]: extras } : { name: persona.name, description, [EXPORT_KEY]: extras };
  const file = to === 'claude-agent' ? `.claude/agents/${persona.id}.md` : `.github/agents/${persona.id}.agent.md`;
  return { path: file, text: `---\n${YAML.stringify(fm, { lineWidth: 0 })}---\n\n${persona.prompt.trim()}\n` };
}

/** Adds or replaces (by slug) modes in the text of an existing `.roomodes` (YAML or JSON), keeping the others. */
export function mergeRooModes(existing: string | undefined, exported: string[]): string {
  const modes: Array<Record<string, unknown>> = [];
  if (existing?.trim()) {
    const doc = YAML.parse(existing) as { customModes?: Array<Record<string, unknown>> } | null;
    if (doc && Array.isArray(doc.customModes)) modes.push(...doc.customModes);
  }
  for (const t of exported) {
    for (const m of (YAML.parse(t) as { customModes: Array<Record<string, unknown>> }).customModes) {
      const at = modes.findIndex((x) => x['slug'] === m['slug']);
      if (at >= 0) modes[at] = m;
      else modes.push(m);
    }
  }
  return YAML.stringify({ customModes: modes }, { lineWidth: 0 });
}

/** Where other tools keep personas in a workspace, relative to its root (searched by {@link discoverPersonas}). */
export const DISCOVERY_LOCATIONS: ReadonlyArray<{ dir: string; match: RegExp; format: ImportFormat }> = [
  { dir: '.claude/agents', match: /\.md$/i, format: 'claude-agent' },
  { dir: '.claude/commands', match: /persona.*\.md$/i, format: 'claude-command' },
  { dir: '.github/agents', match: /\.agent\.md$/i, format: 'vscode-agent' },
  { dir: '.github/chatmodes', match: /\.chatmode\.md$/i, format: 'vscode-chatmode' },
  { dir: '.', match: /^\.roomodes$/, format: 'roo' },
  { dir: '.bmad-core/agents', match: /\.md$/i, format: 'bmad' },
];

/** A source of workspace files for discovery: the working tree, or the base commit of a change review. */
export interface DiscoveryReader {
  /** File names (not paths) directly in `dir` (root-relative), or [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** The text of a root-relative file, or undefined. */
  read(rel: string): Promise<string | undefined>;
}

/**
 * Finds personas of other tools in a workspace ({@link DISCOVERY_LOCATIONS}) and imports them. A persona
 * whose id (or chat name) is already taken by one in `taken` gets a suffix naming its format
 * (`security` → `security-claude`), reported as mapped, so a repository file never replaces a built-in or
 * a `.personas/` persona. Never throws.
 */
export async function discoverPersonas(reader: DiscoveryReader, taken: ReadonlyArray<Pick<Persona, 'id' | 'chat'>> = []): Promise<{ personas: ImportedPersona[]; errors: ImportError[] }> {
  const personas: ImportedPersona[] = [];
  const errors: ImportError[] = [];
  const ids = new Set(taken.map((p) => p.id));
  const chats = new Set(taken.map((p) => p.chat));
  for (const loc of DISCOVERY_LOCATIONS) {
    const names = (await reader.list(loc.dir).catch(() => [])).filter((n) => loc.match.test(n)).sort();
    for (const n of names) {
      const rel = loc.dir === '.' ? n : `${loc.dir}/${n}`;
      const text = await reader.read(rel).catch(() => undefined);
      if (text === undefined) continue;
      const r = importPersonaText(text, rel, loc.format);
      errors.push(...r.errors);
      for (const imp of r.personas) {
        const short = loc.format.split('-')[0]!;
        if (ids.has(imp.persona.id) || chats.has(imp.persona.chat)) {
          const id = `${imp.persona.id}-${short}`;
          imp.report.mapped.push(`id "${imp.persona.id}" → "${id}" (a persona with that id or chat name already exists; a repository file never replaces it)`);
          imp.persona = { ...imp.persona, id, chat: `${imp.persona.chat}_${short}` };
        }
        if (ids.has(imp.persona.id)) continue;
        ids.add(imp.persona.id);
        chats.add(imp.persona.chat);
        personas.push(imp);
      }
    }
  }
  return { personas, errors };
}

/** The report as markdown-ish plain text lines (CLI and notices): kept, mapped, dropped. */
export function formatImportReport(imp: ImportedPersona): string {
  const lines = [`${imp.source}: ${imp.format} → persona "${imp.persona.id}" (${imp.persona.name}, ${imp.persona.category})`];
  for (const [label, items] of [['kept', imp.report.kept], ['mapped', imp.report.mapped], ['dropped', imp.report.dropped]] as const) {
    for (const i of items) lines.push(`  ${label.padEnd(7)} ${i}`);
  }
  return lines.join('\n');
}

