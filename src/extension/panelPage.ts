/**
 * The review panel's page (HTML), as a pure function of its parts so the unit tests render the same page the
 * extension serves (test/unit/panel-l10n.test.ts loads it with the webview script in happy-dom).
 *
 * - Security: the Content-Security-Policy allows scripts only with the page's nonce; the string table is a
 *   JSON data block (`<script type="application/json">`, never executed) with `<`, `>` and `&` written as
 *   `\u003c`, `\u003e`, `\u0026`, so a translation cannot end the block or inject markup; the static text is
 *   HTML-escaped before it goes into the page.
 * - Localisation: every visible word comes from `strings` (src/shared/panelStrings.ts), and `<html lang>` is
 *   the display language, so screen readers pronounce it right.
 */
import { format, type PanelStrings } from '../shared/panelStrings';

/** What {@link panelPage} needs. URLs are webview resource URLs (`webview.asWebviewUri`). */
export interface PanelPageParts {
  /** A fresh random value per page (base64), for the CSP's `script-src 'nonce-…'`. */
  nonce: string;
  /** `webview.cspSource`: the origin of the extension's webview resources. */
  cspSource: string;
  codiconsHref: string;
  cssHref: string;
  /** The webview bundle's code, with `</script` already escaped. */
  script: string;
  strings: PanelStrings;
}

/** `s` safe as HTML text and attribute values (double-quoted). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `value` as JSON that can sit inside a `<script>` element: no `<`, `>` or `&` appears in it literally. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The panel's HTML document: its markup, the string table (`#panel-strings`) and the inlined script. */
export function panelPage(p: PanelPageParts): string {
  const s = p.strings;
  const e = escapeHtml;
  const csp = ["default-src 'none'", `img-src ${p.cspSource} data:`, `style-src ${p.cspSource}`, `font-src ${p.cspSource}`, `script-src 'nonce-${p.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="${e(s.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(p.codiconsHref)}">
<link rel="stylesheet" href="${e(p.cssHref)}">
<title>${e(s.title)}</title>
</head>
<body>
<div id="restricted" class="banner" role="status" hidden><i class="codicon codicon-workspace-untrusted" aria-hidden="true"></i> <strong>${e(s.restrictedTitle)}</strong> ${format(e(s.restrictedBody), '<code>.personas/</code>')}</div>
<p id="empty">${format(e(s.empty), `<strong>${e(s.emptyCommand)}</strong>`)}</p>
<header id="header" hidden>
<h1 id="title"></h1><span id="provider"></span><span id="status" role="status"></span><span class="spacer"></span>
<button id="stop" class="secondary" title="${e(s.stopTooltip)}" hidden><i class="codicon codicon-debug-stop" aria-hidden="true"></i> ${e(s.stop)}</button>
</header>
<section id="explain" hidden></section>
<section id="findings" hidden><h2>${e(s.findingsHeading)} <span id="findings-count" class="badge"></span></h2><ul id="findings-list"></ul></section>
<section id="reviews"></section>
<ul id="notices"></ul>
<section id="summary"></section>
<script type="application/json" id="panel-strings" nonce="${p.nonce}">${scriptJson(s)}</script>
<script nonce="${p.nonce}">${p.script}</script>
</body>
</html>`;
}
