/**
 * The markdown-it set-up the review panel renders with, shared by the webview (media/panel.ts) and the
 * unit tests. The text comes from a model or a rule pack and is untrusted, so:
 * - `html: false`: raw HTML in the text is escaped, never interpreted;
 * - `linkify: false`: only explicit links become links;
 * - links must be http(s) URLs (`validateLink`); anything else (javascript:, file:, data:, command:)
 *   stays plain text. Clicks are still routed through the extension, which validates again;
 * - the `image` rule is off: `![x](url)` renders as text, so nothing tries to load a remote image (the
 *   Content-Security-Policy would block it anyway).
 */
import MarkdownIt from 'markdown-it';

/** True for an absolute http or https URL (the only links the panel renders or opens). */
export function isWebUrl(href: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(href.trim());
}

/** A markdown-it instance configured as described in this module's comment. */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.disable('image');
  md.validateLink = isWebUrl;
  return md;
}
