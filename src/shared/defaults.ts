/**
 * Defaults the CLI, the language server and the extension share, defined once (package.json's setting
 * defaults repeat them for the Settings UI; test/unit/shared-defaults.test.ts checks they agree).
 */

/** The Claude model used when none is configured (`--model`, `personaReview.model`). */
export const DEFAULT_MODEL = 'claude-sonnet-4-6';

/** Maximum output tokens per model request when none is configured (`--max-tokens`, `personaReview.maxOutputTokens`). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/** The chat commands every persona participant has (DESIGN.md): a review, a change review and an explanation. */
export const COMMON_COMMAND_NAMES = ['review', 'changes', 'explain'] as const;
