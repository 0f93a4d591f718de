/**
 * The markdown-it set-up the review panel renders with, shared by the webview (media/panel.ts) and the
 * unit tests. The text comes from a model or a rule pack and is untrusted, so it goes through the one
 * sanitiser of the project, `safeMarkdownPlugin` of src/shared/markdownSafety.ts (the same token rules chat
 * and markdown reports use; a pure module that imports only markdown-it, so the webview bundle can hold it):
 * - raw HTML is escaped, never interpreted (`html: false`), and bare text is not linkified;
 * - links only to http(s) URLs with a host and no credentials; anything else (javascript:, file:, data:,
 *   command:, vscode:) stays plain text. Clicks are still routed through the extension, which validates again;
 * - an image (inline or reference-style) becomes its alt text, so nothing tries to load a remote image (the
 *   Content-Security-Policy would block it anyway).
 */
import MarkdownIt from 'markdown-it';
import { isSafeLinkUrl, safeMarkdownPlugin } from '../src/shared/markdownSafety';

/** True for a link the panel renders or opens: `isSafeLinkUrl` of src/shared/markdownSafety.ts. */
export const isWebUrl = isSafeLinkUrl;

/** A markdown-it instance configured as described in this module's comment. */
export function createMarkdown(): MarkdownIt {
  return new MarkdownIt({ typographer: false, breaks: false }).use(safeMarkdownPlugin);
}
