// Test only: loaded by test/vscode/chat-ui.ts next to the extension under test, never shipped. Registers a
// language model (vendor "persona-review-test") so that the Chat view in code-server has a model to offer;
// it answers every request with a short fixed markdown reply (no network).
/* global require, exports */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS test extension, not bundled
const vscode = require('vscode');

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
      provideLanguageModelChatResponse: async (_model, messages, _options, progress) => {
        const asked = messages.length;
        progress.report(new vscode.LanguageModelTextPart(`Test model reply (${asked} message${asked === 1 ? '' : 's'}).`));
      },
      provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text.length : 100) / 4),
    }),
  );
};
exports.deactivate = () => undefined;
