/**
 * Team memory and personas from the repository in the sidebar (issue 13), in the real extension host: "Add to
 * Team Memory" writes a dated entry to `.personas/memory/<persona>.md`, the Personas view shows it under "Team
 * Memory" with its count, "Edit Team Memory" opens the file (created from its template when missing); a Claude
 * Code subagent in `.claude/agents/` is listed under "From this repository". In Restricted Mode neither group
 * shows and nothing is written. "Dismiss Finding with a Reason" dismisses and adds the reason to the memory of the
 * persona that reported the finding. Each test removes what it wrote, so later suites see the fixture as it was.
 */
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { check, extensionApi, openFile, waitFor, workspaceUri } from '../../support/vscodeHost';

const AGENT = '---\nname: api-reviewer\ndescription: Reviews the HTTP API for consistency.\ntools: Read, Grep, Bash\nmodel: sonnet\n---\nYou review HTTP handlers for consistent status codes and error bodies.\n';
const DECISION = 'We use parameterised queries through pg; raw SQL in migrations is reviewed by hand.';

export const tests: Array<{ name: string; run: () => Promise<void> }> = [
  {
    name: 'team memory: "Add to Team Memory" writes a dated entry, the Personas view lists it under Team Memory, "Edit Team Memory" opens the file',
    run: async () => {
      const { api } = await extensionApi();
      const file = workspaceUri('.personas/memory/security.md').fsPath;
      try {
        const added = await vscode.commands.executeCommand<{ path: string; entries: number } | undefined>('personaReview.addMemoryEntry', { personaId: 'security', text: DECISION, about: 'security/sql-injection' });
        check(added?.entries === 1, `one entry (got ${JSON.stringify(added)})`);
        const text = await fs.readFile(file, 'utf8');
        check(text.startsWith('# Team memory: Security Engineer'), `the file starts with its template heading (got ${text.slice(0, 60)})`);
        check(new RegExp(`^- \\d{4}-\\d{2}-\\d{2}.*on security/sql-injection: ${DECISION.replace(/[.;]/g, '\\$&')}$`, 'm').test(text), `the dated entry (got ${text})`);
        const group = await waitFor('the Personas view lists the memory under Team Memory', async () => {
          const g = (await api.personaTree()).find((n) => n.label === 'Team Memory');
          return g?.children.some((c) => c.label === 'Security Engineer' && c.description === '1 entry') ? g : undefined;
        });
        check(group.children.some((c) => c.label === 'Add a decision...'), 'the group offers to add a decision');
        const opened = await vscode.commands.executeCommand<string | undefined>('personaReview.openTeamMemory', 'sre');
        check(opened !== undefined && opened.endsWith('sre.md'), `the SRE's memory file was created and opened (got ${opened})`);
        check(vscode.window.activeTextEditor?.document.uri.fsPath === opened, 'it is the active editor, ready to edit');
        check((await fs.readFile(opened, 'utf8')).includes('Decisions the team has made that the Site Reliability Engineer should know'), 'created from the template');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        await fs.rm(workspaceUri('.personas/memory').fsPath, { recursive: true, force: true });
      }
    },
  },
  {
    name: '"Dismiss Finding with a Reason" dismisses the finding and puts the reason in the reporting persona\'s team memory',
    run: async () => {
      const { api } = await extensionApi();
      await api.setApiKeyForTesting(undefined);
      // A file of its own: src/db.js's findings were dismissed and fixed by earlier tests.
      const file = workspaceUri('src/users.js');
      try {
        await fs.writeFile(file.fsPath, 'export async function findUser(req, pool) {\n  return pool.query("SELECT * FROM users WHERE name = \'" + req.query.name + "\'");\n}\n');
        await openFile('src/users.js');
        await vscode.commands.executeCommand('personaReview.reviewAs.security');
        const uri = file.toString();
        const f = await waitFor('a Security Engineer finding on src/users.js', () => api.views().tree.find((t) => t.uri === uri && t.severity === 'critical'));
        const reason = 'The id is checked against a UUID pattern by the router before it gets here.';
        const added = await vscode.commands.executeCommand<{ path: string; entries: number } | undefined>('personaReview.dismissFindingWithReason', { uri, fingerprint: f.fingerprint, reason, addToMemory: true });
        check(added?.entries === 1, `the reason was added (got ${JSON.stringify(added)})`);
        await waitFor('the finding is dismissed', () => !api.views().tree.some((t) => t.fingerprint === f.fingerprint));
        const text = await fs.readFile(workspaceUri('.personas/memory/security.md').fsPath, 'utf8');
        check(/on security\/sql-injection: The id is checked against a UUID pattern/.test(text), `the entry names the rule (got ${text})`);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await fs.rm(file.fsPath, { force: true });
        await fs.rm(workspaceUri('.personas/memory').fsPath, { recursive: true, force: true });
        await vscode.commands.executeCommand('personaReview.clearFindings');
      }
    },
  },
  {
    name: 'a Claude Code subagent in .claude/agents is listed under "From this repository", with its format',
    run: async () => {
      const { api } = await extensionApi();
      const dir = workspaceUri('.claude').fsPath;
      try {
        await fs.mkdir(workspaceUri('.claude/agents').fsPath, { recursive: true });
        await fs.writeFile(workspaceUri('.claude/agents/api-reviewer.md').fsPath, AGENT);
        await vscode.commands.executeCommand('personaReview.restartServer');
        const ids = await api.personaIds();
        check(ids.includes('api-reviewer'), `the subagent loads as a persona (got ${ids.join(', ')})`);
        const tree = await api.personaTree();
        const group = tree.find((n) => n.label === 'From this repository');
        check(group, `a "From this repository" group (got ${tree.map((n) => n.label).join(', ')})`);
        check(group.children.some((c) => /api/i.test(c.label)), `it lists the subagent (got ${JSON.stringify(group.children)})`);
        check(group.children.every((c) => (c.description ?? '').includes('claude-agent')), 'with the format it was imported from');
        check(!tree.filter((n) => n !== group).some((n) => n.children.some((c) => /api/i.test(c.label))), 'and not among the built-in categories');
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
        await vscode.commands.executeCommand('personaReview.restartServer');
      }
    },
  },
  {
    name: '[restricted] no "Team Memory" or "From this repository" group, and "Add to Team Memory" writes nothing',
    run: async () => {
      const { api } = await extensionApi();
      await fs.mkdir(workspaceUri('.claude/agents').fsPath, { recursive: true });
      await fs.writeFile(workspaceUri('.claude/agents/api-reviewer.md').fsPath, AGENT);
      await fs.mkdir(workspaceUri('.personas/memory').fsPath, { recursive: true });
      await fs.writeFile(workspaceUri('.personas/memory/security.md').fsPath, `- ${DECISION}\n`);
      await vscode.commands.executeCommand('personaReview.restartServer');
      const tree = await api.personaTree();
      check(!tree.some((n) => n.label === 'From this repository' || n.label === 'Team Memory'), `neither group (got ${tree.map((n) => n.label).join(', ')})`);
      check(!(await api.personaIds()).includes('api-reviewer'), 'the subagent is not loaded');
      const added = await vscode.commands.executeCommand('personaReview.addMemoryEntry', { personaId: 'sre', text: 'Anything.' });
      check(added === undefined, 'nothing added');
      check((await fs.stat(workspaceUri('.personas/memory/sre.md').fsPath).catch(() => undefined)) === undefined, 'no file written');
    },
  },
];
