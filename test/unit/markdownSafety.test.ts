// The markdown sanitiser (src/shared/markdownSafety.ts) against every payload of issue 11 that got a remote
// image or a command link past the old regex sanitiser, plus HTML, and a 64 KB adversarial line. The
// output is judged the way a renderer would see it: rendered by a PERMISSIVE markdown-it (HTML on, any
// link scheme), so anything dangerous left in the markdown would show up as <img>, a raw tag or an href.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { SafeMarkdownStream, isSafeLinkUrl, safeMarkdownPlugin, sanitizeInline, sanitizeMarkdown } from '../../src/shared/markdownSafety';

const permissive = new MarkdownIt({ html: true, linkify: true });
permissive.validateLink = () => true;

/** Every URL a renderer would load or link from `html`, and whether a raw tag outside the markdown set appears. */
function judge(markdown: string): { imgs: number; hrefs: string[]; rawTags: string[] } {
  const html = permissive.render(markdown);
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  const allowed = new Set(['p', 'em', 'strong', 'code', 'pre', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's']);
  const rawTags = [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()).filter((t) => !allowed.has(t));
  return { imgs: (html.match(/<img\b/g) ?? []).length, hrefs, rawTags };
}

function assertSafe(markdown: string, label: string): void {
  const j = judge(markdown);
  assert.equal(j.imgs, 0, `${label}: no <img> in ${JSON.stringify(markdown)}`);
  assert.deepEqual(j.rawTags, [], `${label}: no raw HTML`);
  for (const h of j.hrefs) assert.ok(/^https?:\/\//.test(h), `${label}: only http(s) links, got ${h}`);
}

// The payloads of issue 11 ("A hostile reply reaches the user"), and relatives.
const PAYLOADS: Array<[string, string]> = [
  ['reference-style image', 'Look: ![x][r]\n\n[r]: https://evil.example/pixel.png'],
  ['reference-style image, collapsed and shortcut', '![r][] and ![r]\n\n[r]: https://evil.example/p.png "t"'],
  ['a line starting with a one-line fence', '```x``` ![a](https://evil.example/p.png)'],
  ['a fence inside a list item', '- item\n  ```\n  code\n  ```\n  ![i](https://evil.example/p.png)\n- two ![b](https://evil.example/q.png)'],
  ['a fence in a list item hiding the rest from a line-based scan', '1. ```\n   open\n2. ![c](https://evil.example/c.png)'],
  ['nested brackets in alt text', '![a [b] c](https://evil.example/1.png)'],
  ['escaped brackets in alt text', '![a \\] b](https://evil.example/2.png)'],
  ['alt text over two lines', '![alt\ntext](https://evil.example/3.png)'],
  ['image inside a link', '[![badge](https://evil.example/b.svg)](https://owasp.org/)'],
  ['command link', '[Run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)'],
  ['command link in angle brackets', '[Run](<command:workbench.action.openSettings>)'],
  ['command autolink', '<command:workbench.action.openSettings>'],
  ['command reference link', '[Run][c]\n\n[c]: command:persona.dismiss'],
  ['command link with nested brackets in its text', '[a [b] c](command:x)'],
  ['command link whose text spans two lines', '[click\nhere](command:x)'],
  ['vscode, file, javascript and data links', '[a](vscode://file/etc/passwd) [b](file:///etc/passwd) [c](javascript:alert(1)) [d](data:text/html,<script>x</script>)'],
  ['credentials in a link', '[owasp](https://owasp.org@evil.example/)'],
  ['raw HTML inline and as a block', 'a <img src=https://evil.example/x.png> b\n\n<div><img src=x onerror=alert(1)></div>\n\n<script>alert(1)</script>'],
  ['entity-encoded HTML', '&lt;img src=https://evil.example/x.png&gt; &#60;b&#62;'],
  ['an image in a table cell and in a heading', '| a | ![t](https://evil.example/t.png) |\n| - | - |\n| 1 | 2 |\n\n# ![h](https://evil.example/h.png)'],
  ['an image in a blockquote in a list', '- > ![q](https://evil.example/q.png)'],
  ['an unclosed fence followed by an image', '```ts\nconst a = 1;\n\n![after](https://evil.example/a.png)'],
  ['html comment and CDATA', '<!-- x --> <![CDATA[ y ]]>'],
  ['bare URLs and emails (autolink literals)', 'see https://evil.example/x.png and www.evil.example and a@b.example'],
];

for (const [name, payload] of PAYLOADS) {
  void test(`sanitised markdown is safe: ${name}`, () => {
    const out = sanitizeMarkdown(payload);
    assertSafe(out, name);
    assert.equal(sanitizeMarkdown(out), out, 'sanitising twice changes nothing');
    // The panel's markdown-it with the plugin renders the original safely too.
    const html = new MarkdownIt().use(safeMarkdownPlugin).render(payload);
    assert.doesNotMatch(html, /<img\b/, `${name}: panel renders no <img>`);
    for (const m of html.matchAll(/href="([^"]*)"/g)) assert.ok(isSafeLinkUrl(m[1]!), `${name}: panel link ${m[1]}`);
    assert.doesNotMatch(html, /<(script|div|img)\b/i);
  });
}

void test('what is kept: text, emphasis, code, headings, lists, quotes, tables and http(s) links, readable', () => {
  const md = [
    '## SQL injection',
    '',
    'The `id` from **the request** reaches *the query*; see [CWE-89](https://cwe.mitre.org/data/definitions/89.html).',
    '',
    '1. Use a parameter.',
    '2. Add a test.',
    '',
    '> Quoted advice',
    '',
    '```ts',
    'db.query("SELECT * FROM t WHERE id = $1", [id]);',
    '```',
    '',
    '| Risk | Level |',
    '| --- | :-: |',
    '| SQLi | high |',
  ].join('\n');
  const out = sanitizeMarkdown(md);
  assert.equal(
    out,
    [
      '## SQL injection',
      '',
      'The `id` from **the request** reaches *the query*; see [CWE-89](https://cwe.mitre.org/data/definitions/89.html).',
      '',
      '1. Use a parameter.',
      '2. Add a test.',
      '',
      '> Quoted advice',
      '',
      '```ts',
      'db.query("SELECT * FROM t WHERE id = $1", [id]);',
      '```',
      '',
      '| Risk | Level |',
      '| --- | :---: |',
      '| SQLi | high |',
    ].join('\n'),
  );
});

void test('images become their alt text; unsafe links become their text; HTML becomes visible text', () => {
  assert.equal(sanitizeMarkdown('![a diagram](https://evil.example/x.png)'), '(image: a diagram)');
  assert.equal(sanitizeMarkdown('[Run](command:x)'), '\\[Run\\](command:x)');
  assert.equal(judge(sanitizeMarkdown('[Run](command:x)')).hrefs.length, 0);
  assert.match(permissive.render(sanitizeMarkdown('<b>bold?</b>')), /&lt;b&gt;bold\?&lt;\/b&gt;/);
  assert.equal(sanitizeInline('**T** <b>x</b> ![i](https://e.example/x.png)\n# second'), '**T** \\<b\\>x\\</b\\> (image: i) # second');
});

void test('fences: code is kept exactly and a fence is always closed, even when the code holds backtick runs', () => {
  const out = sanitizeMarkdown('````md\n```\n![x](https://evil.example/x.png)\n```\n````');
  assert.equal(out, '````md\n```\n![x](https://evil.example/x.png)\n```\n````');
  assert.equal(judge(out).imgs, 0, 'the image syntax inside code stays code');
  assert.equal(sanitizeMarkdown('```\nopen'), '```\nopen\n```');
});

void test('headings can be shifted under a report heading', () => {
  assert.equal(sanitizeMarkdown('# A\n\n## B\n\ntext', { headingTop: 4 }), '#### A\n\n##### B\n\ntext');
  assert.equal(sanitizeMarkdown('### A', { headingTop: 4 }), '#### A');
  assert.equal(sanitizeMarkdown('##### A', { headingTop: 4 }), '##### A', 'deeper headings are not raised');
});

void test('a 64 KB adversarial line ([a]( repeated) is sanitised completely and safely', () => {
  const line = '[a]('.repeat(16 * 1024);
  assert.equal(line.length, 64 * 1024);
  const out = sanitizeMarkdown(line);
  assertSafe(out.slice(0, 4000), '64 KB line');
  assert.equal(out.replace(/\\/g, ''), line, 'all of the text is kept, escaped');
  const images = sanitizeMarkdown('![x]('.repeat(13108) + '![x](https://evil.example/p.png)');
  assert.equal(judge(images).imgs, 0);
});

void test('the stream gives the same safe blocks whatever the deltas, and never holds back a finished block for long', () => {
  const reply = PAYLOADS.map(([, p]) => p).join('\n\n') + '\n\nEnd.\n';
  const whole = (() => {
    const s = new SafeMarkdownStream();
    return s.push(reply) + s.end();
  })();
  assertSafe(whole, 'stream, whole');
  let seed = 11;
  for (let round = 0; round < 20; round++) {
    const s = new SafeMarkdownStream();
    let out = '';
    for (let i = 0; i < reply.length; ) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = 1 + (seed % 40);
      out += s.push(reply.slice(i, i + n));
      i += n;
    }
    out += s.end();
    assertSafe(out, `stream, round ${round}`);
    assert.equal(judge(out).hrefs.length, judge(whole).hrefs.length, 'the same links survive');
  }
  const s = new SafeMarkdownStream();
  assert.equal(s.push('First paragraph.\n'), '');
  assert.equal(s.push('\nSecond'), 'First paragraph.\n\n', 'the first paragraph is out once the second began');
  assert.equal(s.push(' paragraph.\n'), '');
  assert.equal(s.end(), 'Second paragraph.\n\n');
  const cr = new SafeMarkdownStream();
  assert.equal(cr.push('a\r') + cr.push('\nb\r\rc') + cr.end(), 'a\nb\n\nc\n\n', 'CR and CRLF split across deltas are one line break');
});

void test('isSafeLinkUrl: http(s) with a host and no credentials only', () => {
  for (const ok of ['https://owasp.org/Top10/', 'http://cwe.mitre.org/data/definitions/89.html', 'HTTPS://EXAMPLE.COM']) assert.ok(isSafeLinkUrl(ok), ok);
  for (const bad of ['command:x', 'vscode://x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', '//evil.example', '/relative', 'https://user:pw@evil.example', 'https://a@evil.example', 'https://', 'https://ex ample.com', '']) {
    assert.equal(isSafeLinkUrl(bad), false, bad);
  }
});
