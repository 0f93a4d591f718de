/**
 * The review panel's streaming renderer (media/streamRender.ts) and markdown set-up (media/markdown.ts),
 * run under Node: what a reader sees after any sequence of deltas equals the whole text rendered at once,
 * total render work stays linear in the review's length however the text is split, frames coalesce
 * deltas, and untrusted markdown cannot produce HTML, scripts, images or non-web links.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMarkdown, isWebUrl } from '../../media/markdown';
import { FrameThrottle, START_CREDIT, StreamingMarkdown, TAIL_CREDIT } from '../../media/streamRender';

const md = createMarkdown();
const render = (s: string) => md.render(s);

/**
 * Feeds `text` in pieces of `size` characters with a flush after each, building the panel's content as
 * media/panel.ts does (completed HTML + tail HTML + raw text since the tail's last render). `onFlush` sees
 * the content's plain text after each flush.
 */
function stream(text: string, size: number, renderFn = render, onFlush?: (visible: string, sent: string) => void): { html: string; doc: StreamingMarkdown; flushes: number } {
  const doc = new StreamingMarkdown(renderFn);
  let done = '';
  let tail = '';
  let raw = '';
  let flushes = 0;
  for (let i = 0; i < text.length; i += size) {
    doc.append(text.slice(i, i + size));
    const out = doc.flush();
    flushes++;
    done += out.append;
    if (out.tail !== undefined) {
      tail = out.tail;
      raw = '';
    }
    raw += out.raw ?? '';
    onFlush?.(done + tail + raw, text.slice(0, i + size));
  }
  doc.finish();
  const out = doc.flush();
  done += out.append;
  tail = out.tail ?? tail;
  return { html: done + tail, doc, flushes };
}

const REVIEW = [
  '## Security Engineer review of `server.js`',
  '',
  'The handler builds SQL from **request input**. See [CWE-89](https://cwe.mitre.org/data/definitions/89.html).',
  '',
  '```js',
  "const sql = \"SELECT * FROM users WHERE name = '\" + req.query.name + \"'\";",
  '',
  'await db.query(sql);',
  '```',
  '',
  '> Parameterise every query.',
  '',
  '| severity | count |',
  '| --- | --- |',
  '| critical | 2 |',
  '',
  '### Next steps',
  '',
  'Fix the injection first, then the secret.',
  '',
].join('\n');

test('streamed in any piece size, the panel shows exactly what rendering the whole review at once shows', () => {
  const whole = render(REVIEW);
  for (const size of [1, 2, 3, 7, 16, 64, REVIEW.length]) {
    assert.equal(stream(REVIEW, size).html, whole, `piece size ${size}`);
  }
});

test('a blank line inside a code fence does not end the block', () => {
  const text = '```py\ndef f():\n\n    return 1\n```\n\nafter\n';
  assert.equal(stream(text, 1).html, render(text));
  assert.match(stream(text, 1).html, /<pre><code class="language-py">def f\(\):\n\n {4}return 1\n<\/code><\/pre>/);
});

test('indented continuation after a blank line stays in its list item', () => {
  const text = '- first item\n\n  continued paragraph of the first item\n- second\n';
  assert.equal(stream(text, 1).html, render(text));
});

test('completed blocks are rendered once and appended; only the tail is re-rendered', () => {
  const doc = new StreamingMarkdown(render);
  doc.append('# Title\n\nfirst para');
  let out = doc.flush();
  assert.equal(out.append, '<h1>Title</h1>\n');
  assert.equal(out.tail, '<p>first para</p>\n');
  doc.append('graph continues\n\nsecond');
  out = doc.flush();
  assert.equal(out.append, '<p>first paragraph continues</p>\n');
  assert.equal(out.tail, '<p>second</p>\n');
  out = doc.flush();
  assert.deepEqual(out, { append: '' }, 'nothing new: nothing rendered');
  doc.finish();
  out = doc.flush();
  assert.deepEqual(out, { append: '<p>second</p>\n', tail: '' });
});

/** The bound the module documents: every character rendered once in its block, plus credit-paid tails. */
const bound = (n: number) => (1 + TAIL_CREDIT) * n + START_CREDIT;

test('total render work is linear in the review length, however small the deltas', () => {
  // 2,000 paragraphs streamed one character at a time, with a flush after every character.
  const para = 'A finding about this code, with some explanation of why it matters.\n\n';
  for (const copies of [500, 2000]) {
    const text = para.repeat(copies);
    const { doc, flushes } = stream(text, 1, (s) => s); // Work is measured by the renderer's own counter.
    assert.equal(flushes, text.length);
    assert.ok(doc.renderedChars <= bound(text.length), `rendered ${doc.renderedChars} chars for ${text.length}`);
  }
});

test('one huge block (a long code fence) costs O(its size), not O(size²)', () => {
  const line = 'console.log("a line of code inside a long fenced block");\n';
  const text = '```js\n' + line.repeat(5000) + '```\n';
  const { doc, html } = stream(text, 3, (s) => s);
  // Re-rendering the whole tail on each of the ~97,000 flushes would render about 1.4e10 characters.
  assert.ok(doc.renderedChars <= bound(text.length), `rendered ${doc.renderedChars} chars for ${text.length}`);
  assert.equal(html, text, 'with an identity renderer the content is exactly the text');
  assert.equal(stream(text, 50).html, render(text));
});

test('the reader sees every character as soon as it is flushed, rendered or as raw text', () => {
  const text = '# Heading\n\n' + 'word '.repeat(3000) + '\n\n```\n' + 'code line\n'.repeat(800) + '```\n';
  const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, '');
  let checks = 0;
  stream(text, 11, render, (visible, sent) => {
    if (checks++ % 97 !== 0) return; // Sample: comparing the whole content every flush would be quadratic in the test itself.
    assert.equal(plain(visible), plain(sent).replace(/^#/, '').replace(/```/g, ''), `after ${sent.length} characters`);
  });
  assert.ok(checks > 100);
});

test('small tails are re-rendered on every flush that changed them', () => {
  const doc = new StreamingMarkdown(render);
  const tails: string[] = [];
  for (const piece of ['Hel', 'lo', ' world']) {
    doc.append(piece);
    tails.push(doc.flush().tail ?? '(not re-rendered)');
  }
  assert.deepEqual(tails, ['<p>Hel</p>\n', '<p>Hello</p>\n', '<p>Hello world</p>\n']);
});

test('FrameThrottle runs the work once per frame however many requests arrive', () => {
  const frames: Array<() => void> = [];
  let runs = 0;
  const t = new FrameThrottle((cb) => frames.push(cb), () => runs++);
  for (let i = 0; i < 1000; i++) t.request();
  assert.equal(frames.length, 1, 'one frame scheduled for 1000 requests');
  frames.shift()!();
  assert.equal(runs, 1);
  t.request();
  t.request();
  assert.equal(frames.length, 1, 'a new request after the frame schedules the next one');
  frames.shift()!();
  assert.equal(runs, 2);
  assert.equal(t.frames, 2);
  // now(): runs at once; the frame asked for before it then does nothing.
  t.request();
  t.now();
  assert.equal(runs, 3, 'now() ran the work at once');
  frames.shift()!();
  assert.equal(runs, 3, 'the frame asked for before now() did not run it again');
  t.request();
  assert.equal(frames.length, 1, 'a request after now() schedules a frame');
});

test('markdown from a model cannot inject HTML, scripts or images', () => {
  const html = render('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n![pixel](https://evil.example/p.png)\n');
  assert.ok(!/<script|<img/i.test(html), html);
  assert.match(html, /&lt;script&gt;/);
  assert.match(html, /\(image: pixel\)/, 'an image is its alt text (the one sanitiser, src/shared/markdownSafety.ts), never loaded nor linked');
  assert.doesNotMatch(html, /evil\.example/);
  const reference = render('![x][r] [Run](command:workbench.action.quit)\n\n[r]: https://evil.example/r.png\n');
  assert.doesNotMatch(reference, /<img|evil\.example|href="command:/, 'reference-style images and command links too');
});

test('only http(s) links become links; bare URLs are not linkified', () => {
  const html = render('[a](https://owasp.org/Top10/) [b](javascript:alert(1)) [c](command:workbench.action.quit) [d](file:///etc/passwd) see https://example.com');
  assert.match(html, /<a href="https:\/\/owasp\.org\/Top10\/">a<\/a>/);
  assert.ok(!/href="(javascript|command|file):/i.test(html), html);
  assert.ok(!/<a href="https:\/\/example\.com/.test(html), 'no linkify');
  assert.ok(isWebUrl('http://x.test/a'));
  assert.ok(!isWebUrl('vscode://x'));
});

test('a long tail is re-rendered only as credit allows; in between, new characters come back as raw text', () => {
  const doc = new StreamingMarkdown((s) => s);
  const big = 'x'.repeat(20_000); // one paragraph still being written
  doc.append(big);
  assert.equal(doc.flush().tail, big, 'the first render of a tail is always done');
  let renders = 0;
  let raw = '';
  for (let i = 0; i < 1000; i++) {
    doc.append('y');
    const out = doc.flush();
    if (out.tail !== undefined) {
      renders++;
      raw = '';
    } else raw += out.raw ?? '';
  }
  // 1,000 one-character deltas earn 8,000 characters of credit: far fewer than 1,000 renders of 20,000.
  assert.ok(renders > 0 && renders <= 10, `${renders} re-renders`);
  assert.ok(raw.length > 0 && /^y+$/.test(raw), 'characters since the last re-render are handed out raw');
  assert.deepEqual(doc.flush(), { append: '' }, 'nothing new, nothing returned');
});
