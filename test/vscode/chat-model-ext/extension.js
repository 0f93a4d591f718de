// Test only: loaded beside the extension under test by test/vscode/chat-ui.ts and by the `lm` session of
// test/vscode/runner.ts, never shipped. Registers a language model (vendor "persona-review-test") so that
// code-server has a `vscode.lm` model without a network. It answers a Persona Review prompt that holds
// `const response = await fetch(url);` (test/vscode/workspace/src/db.js) with a short review and one
// ```finding block about that line (a missing timeout, with a replacement), streamed in small parts; any other
// request gets a fixed one-line reply.
/* global require, exports, setTimeout */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS test extension, not bundled
const vscode = require('vscode');

const QUOTE = 'const response = await fetch(url);';

function textOf(messages) {
  return messages
    .map((m) => (Array.isArray(m.content) ? m.content.map((p) => (typeof p.value === 'string' ? p.value : '')).join('') : String(m.content ?? '')))
    .join('\n');
}

function review(prompt) {
  const line = prompt.split('\n').find((l) => l.includes(QUOTE));
  const lineNo = line ? Number((/^\s*(\d+)\D?\|/.exec(line) ?? [])[1]) || 15 : 15;
  const finding = {
    file: 'src/db.js',
    line: lineNo,
    quote: QUOTE,
    severity: 'high',
    category: 'missing-timeout',
    title: 'No timeout on the avatar fetch (test model)',
    message: 'A slow avatar host holds this request open with no limit.',
    suggestion: { description: 'Abort the fetch after 5 seconds.', replacement: 'const response = await fetch(url, { signal: AbortSignal.timeout(5000) });' },
    references: ['CWE-400'],
    confidence: 0.9,
  };
  return `## Security review (test model)\n\nStreamed by the Persona Review Test Model: \`fetchAvatar\` waits forever on a slow host.\n\n\`\`\`finding\n${JSON.stringify(finding)}\n\`\`\`\n\nThat is all.\n`;
}

exports.activate = (context) => {
  const info = {
    id: 'persona-review-test-model',
    name: 'Persona Review Test Model',
    family: 'test',
    version: '1',
    maxInputTokens: 200000,
    maxOutputTokens: 8000,
    isUserSelectable: true,
    isDefault: true,
    capabilities: {},
  };
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider('persona-review-test', {
      provideLanguageModelChatInformation: async () => [info],
      provideLanguageModelChatResponse: async (_model, messages, _options, progress, token) => {
        const prompt = textOf(messages);
        if (!prompt.includes('<code_under_review') || !prompt.includes(QUOTE)) {
          const asked = messages.length;
          progress.report(new vscode.LanguageModelTextPart(`Test model reply (${asked} message${asked === 1 ? '' : 's'}).`));
          return;
        }
        const text = review(prompt);
        for (let i = 0; i < text.length && !token.isCancellationRequested; i += 24) {
          progress.report(new vscode.LanguageModelTextPart(text.slice(i, i + 24)));
          await new Promise((r) => setTimeout(r, 2));
        }
      },
      provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text.length : 100) / 4),
    }),
  );
};
exports.deactivate = () => undefined;
