/** Cases for the security pack (src/core/offline/rules/security/). */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- sql-injection
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'template literal with req.query (critical)',
    code: `app.get('/u', async (req, res) => {
  const rows = await db.query(\`SELECT * FROM users WHERE id = \${req.query.id}\`);
  res.json(rows);
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/sql-injection',
    language: 'typescript',
    name: 'via a local variable built with +=',
    code: `export async function find(name: string) {
  let sql = 'SELECT * FROM users';
  sql += " WHERE name = '" + name + "'";
  return pool.query(sql);
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'placeholders with bind parameters',
    code: `async function find(id) {
  return db.query('SELECT * FROM users WHERE id = $1', [id]);
}
async function list(table) {
  return db.query(\`SELECT * FROM \${TABLE} WHERE id = ?\`, [table]);
}`,
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'tagged template and non-SQL strings',
    code: `const rows = await sql\`SELECT * FROM users WHERE id = \${id}\`;
const m = re.exec('prefix' + line);
cache.get('user:' + id);`,
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: 'f-string from request.args',
    code: `@app.route("/u")
def user():
    uid = request.args.get("id")
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")
    return jsonify(cur.fetchall())`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: '% formatting of a parameter',
    code: `def find(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: 'parameterised query',
    code: `def find(cur, name):
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))`,
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'go',
    name: 'fmt.Sprintf with r.URL.Query()',
    code: `package main
func h(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	rows, err := db.Query(fmt.Sprintf("SELECT * FROM users WHERE id = '%s'", id))
	_ = rows
	_ = err
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/sql-injection',
    language: 'go',
    name: 'numeric verb only and placeholders',
    code: `package main
func page(n int, id string) {
	db.Query(fmt.Sprintf("SELECT * FROM users LIMIT %d", n))
	db.Query("SELECT * FROM users WHERE id = $1", id)
}`,
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'java',
    name: 'concatenation of getParameter',
    code: `class Dao {
  void find(HttpServletRequest request, Connection conn) throws Exception {
    String id = request.getParameter("id");
    Statement st = conn.createStatement();
    ResultSet rs = st.executeQuery("SELECT * FROM users WHERE id = '" + id + "'");
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/sql-injection',
    language: 'java',
    name: 'prepared statement',
    code: `class Dao {
  void find(Connection conn, String id) throws Exception {
    PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE id = ?");
    ps.setString(1, id);
  }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- command-injection
  {
    rule: 'security/command-injection',
    language: 'javascript',
    name: 'exec with template literal',
    code: `const { exec } = require('child_process');
function convert(file) {
  exec(\`convert \${file} out.png\`, () => {});
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/command-injection',
    language: 'typescript',
    name: 'namespace import and request input',
    code: `import * as cp from 'node:child_process';
export function ping(req: Request) {
  cp.execSync('ping -c 1 ' + req.query.host);
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/command-injection',
    language: 'javascript',
    name: 'execFile with argument array, regex exec',
    code: `const { execFile } = require('child_process');
execFile('convert', [file, 'out.png']);
const m = /x(\\d+)/.exec('a' + s);`,
    expect: 0,
  },
  {
    rule: 'security/command-injection',
    language: 'python',
    name: 'os.system and subprocess shell=True',
    code: `import os, subprocess
def run(name):
    os.system("tar czf backup.tgz " + name)
    subprocess.run(f"ls {name}", shell=True)`,
    expect: 2,
    line: 3,
  },
  {
    rule: 'security/command-injection',
    language: 'python',
    name: 'subprocess with a list',
    code: `import subprocess
def run(name):
    subprocess.run(["ls", name], check=True)
    subprocess.run(f"ls {name}".split())`,
    expect: 0,
  },
  {
    rule: 'security/command-injection',
    language: 'go',
    name: 'sh -c with built string',
    code: `package main
func run(dir string) {
	cmd := exec.Command("sh", "-c", "ls "+dir)
	cmd.Run()
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/command-injection',
    language: 'go',
    name: 'program with separate arguments',
    code: `package main
func run(dir string) {
	exec.Command("ls", dir).Run()
}`,
    expect: 0,
  },
  {
    rule: 'security/command-injection',
    language: 'java',
    name: 'Runtime.exec with concatenation',
    code: `class Tool {
  void run(String host) throws Exception {
    Runtime.getRuntime().exec("ping -c 1 " + host);
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/command-injection',
    language: 'java',
    name: 'ProcessBuilder with separate arguments',
    code: `class Tool {
  void run(String host) throws Exception {
    new ProcessBuilder("ping", "-c", "1", host).start();
  }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- code-injection
  {
    rule: 'security/code-injection',
    language: 'javascript',
    name: 'eval of request input (critical)',
    code: `app.post('/calc', (req, res) => {
  const result = eval('(' + req.body.expr + ')');
  res.json({ result });
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/code-injection',
    language: 'tsx',
    name: 'new Function with template',
    code: `export const getter = (path: string) => new Function('obj', \`return obj.\${path}\`);`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/code-injection',
    language: 'javascript',
    name: 'constant code and function timers',
    code: `const g = new Function('return this')();
setTimeout(() => tick(), 100);
const v = JSON.parse(text);`,
    expect: 0,
  },
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'eval of f-string',
    code: `def compute(expr):
    return eval(f"1 + {expr}")`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'literal_eval',
    code: `import ast
def compute(expr):
    return ast.literal_eval(expr)`,
    expect: 0,
  },
  {
    rule: 'security/code-injection',
    language: 'java',
    name: 'ScriptEngine.eval of built string',
    code: `import javax.script.ScriptEngine;
class Calc {
  Object run(ScriptEngine engine, String expr) throws Exception {
    return engine.eval("var x = " + expr + ";");
  }
}`,
    expect: 1,
    line: 4,
  },

  // ---------------------------------------------------------------- path-traversal
  {
    rule: 'security/path-traversal',
    language: 'javascript',
    name: 'sendFile with req.params',
    code: `const path = require('path');
app.get('/files/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'uploads', req.params.name));
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/path-traversal',
    language: 'typescript',
    name: 'fs.readFile via local variable',
    code: `import fs from 'node:fs';
export function handler(req: any, res: any) {
  const name = req.query.file;
  const p = './data/' + name;
  fs.readFile(p, 'utf8', (err, data) => res.send(data));
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/path-traversal',
    language: 'javascript',
    name: 'basename and root option',
    code: `const fs = require('fs');
app.get('/f', (req, res) => {
  fs.readFile(path.join(dir, path.basename(req.query.f)), cb);
  res.sendFile(req.params.name, { root: dir });
  fs.readFile(path.join(__dirname, 'config.json'), cb);
});`,
    expect: 0,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'open with request.args',
    code: `@app.route("/read")
def read():
    name = request.args["name"]
    with open(os.path.join("/srv/data", name)) as f:
        return f.read()`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'secure_filename',
    code: `@app.route("/read")
def read():
    name = secure_filename(request.args["name"])
    with open(os.path.join("/srv/data", name)) as f:
        return f.read()`,
    expect: 0,
  },
  {
    rule: 'security/path-traversal',
    language: 'go',
    name: 'os.ReadFile with FormValue',
    code: `package main
func h(w http.ResponseWriter, r *http.Request) {
	data, _ := os.ReadFile(filepath.Join("/srv", r.FormValue("f")))
	w.Write(data)
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/path-traversal',
    language: 'go',
    name: 'filepath.Base',
    code: `package main
func h(w http.ResponseWriter, r *http.Request) {
	data, _ := os.ReadFile(filepath.Join("/srv", filepath.Base(r.FormValue("f"))))
	w.Write(data)
}`,
    expect: 0,
  },
  {
    rule: 'security/path-traversal',
    language: 'java',
    name: 'new File with @RequestParam',
    code: `class Files {
  byte[] get(@RequestParam String name) throws Exception {
    return Files.readAllBytes(new File("/srv/" + name).toPath());
  }
}`,
    expect: 1,
    line: 3,
  },

  // ---------------------------------------------------------------- xss
  {
    rule: 'security/xss',
    language: 'javascript',
    name: 'innerHTML with concatenation',
    code: `function show(el, name) {
  el.innerHTML = '<b>' + name + '</b>';
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/xss',
    language: 'tsx',
    name: 'dangerouslySetInnerHTML with template',
    code: `export const Card = ({ title }: { title: string }) => (
  <div dangerouslySetInnerHTML={{ __html: \`<h1>\${title}</h1>\` }} />
);`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/xss',
    language: 'javascript',
    name: 'res.send echoing req.query (critical)',
    code: `app.get('/hi', (req, res) => {
  res.send('<p>Hello ' + req.query.name + '</p>');
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/xss',
    language: 'javascript',
    name: 'textContent, escaped and constant HTML',
    code: `el.textContent = 'Hello ' + name;
el.innerHTML = '<b>' + escapeHtml(name) + '</b>';
el.innerHTML = '<hr>';
res.send('Saved ' + count);`,
    expect: 0,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'Flask handler returning f-string with request input',
    code: `@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/xss',
    language: 'go',
    name: 'Fprintf of FormValue to ResponseWriter',
    code: `package main
func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "<h1>Hello %s</h1>", r.FormValue("name"))
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/xss',
    language: 'java',
    name: 'getWriter().println with getParameter',
    code: `class Hello extends HttpServlet {
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.getWriter().println("<h1>Hello " + request.getParameter("name") + "</h1>");
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'template rendering',
    code: `@app.route("/hello")
def hello():
    return render_template("hello.html", name=request.args.get("name"))`,
    expect: 0,
  },

  // ---------------------------------------------------------------- weak-crypto
  {
    rule: 'security/weak-crypto',
    language: 'javascript',
    name: 'md5 of a password (high)',
    code: `const crypto = require('crypto');
function hashPassword(password) {
  return crypto.createHash('md5').update(password).digest('hex');
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/weak-crypto',
    language: 'typescript',
    name: 'DES cipher',
    code: `const c = crypto.createCipheriv('des-ede3-cbc', key, iv);`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/weak-crypto',
    language: 'javascript',
    name: 'sha256, md5 for an ETag, sha1 for a cache key',
    code: `const h = crypto.createHash('sha256').update(body).digest('hex');
const etag = crypto.createHash('md5').update(body).digest('hex');
function cacheKey(url) { return crypto.createHash('sha1').update(url).digest('hex'); }`,
    expect: 0,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'hashlib.sha1',
    code: `import hashlib
def sign(data):
    return hashlib.sha1(data).hexdigest()`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'usedforsecurity=False',
    code: `import hashlib
def key(data):
    return hashlib.md5(data, usedforsecurity=False).hexdigest()`,
    expect: 0,
  },
  {
    rule: 'security/weak-crypto',
    language: 'go',
    name: 'md5.Sum',
    code: `package main
import "crypto/md5"
func sign(b []byte) [16]byte { return md5.Sum(b) }`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'MessageDigest MD5 of a password and AES default mode',
    code: `class H {
  byte[] hash(String password) throws Exception { return MessageDigest.getInstance("MD5").digest(password.getBytes()); }
  Cipher c() throws Exception { return Cipher.getInstance("AES"); }
}`,
    expect: 2,
    line: 2,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'SHA-256 and AES/GCM',
    code: `class H {
  byte[] h(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }
  Cipher c() throws Exception { return Cipher.getInstance("AES/GCM/NoPadding"); }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- insecure-random
  {
    rule: 'security/insecure-random',
    language: 'javascript',
    name: 'Math.random for a reset token',
    code: `function createResetToken() {
  return Math.random().toString(36).slice(2);
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/insecure-random',
    language: 'typescript',
    name: 'Math.random for jitter and ids',
    code: `const jitter = Math.random() * 100;
const id = Math.random().toString(36).slice(2);`,
    expect: 0,
  },
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'random.choice for a password',
    code: `import random, string
def make_password(n=12):
    return "".join(random.choice(string.ascii_letters) for _ in range(n))`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'secrets module',
    code: `import secrets
def make_token():
    return secrets.token_urlsafe(32)`,
    expect: 0,
  },
  {
    rule: 'security/insecure-random',
    language: 'go',
    name: 'math/rand for a session id',
    code: `package main
import "math/rand"
func sessionID() int64 { return rand.Int63() }`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/insecure-random',
    language: 'go',
    name: 'crypto/rand',
    code: `package main
import "crypto/rand"
func sessionID(b []byte) { rand.Read(b) }`,
    expect: 0,
  },
  {
    rule: 'security/insecure-random',
    language: 'java',
    name: 'java.util.Random for an OTP',
    code: `class Otp {
  int otp = new Random().nextInt(1000000);
}`,
    expect: 1,
    line: 2,
  },

  // ---------------------------------------------------------------- tls-verification-disabled
  {
    rule: 'security/tls-verification-disabled',
    language: 'javascript',
    name: 'rejectUnauthorized false and env var',
    code: `const agent = new https.Agent({ rejectUnauthorized: false });
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';`,
    expect: 2,
    line: 1,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'typescript',
    name: 'verification on',
    code: `const agent = new https.Agent({ rejectUnauthorized: true, ca });
const strict = { rejectUnauthorized: !opts.insecure };`,
    expect: 0,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'python',
    name: 'requests verify=False',
    code: `import requests
r = requests.get(url, verify=False, timeout=5)`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'python',
    name: 'verify with a CA bundle',
    code: `import requests
r = requests.get(url, verify="/etc/ssl/ca.pem", timeout=5)`,
    expect: 0,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'go',
    name: 'InsecureSkipVerify',
    code: `package main
var tr = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'java',
    name: 'trust-all manager and lambda verifier',
    code: `class TrustAll implements X509TrustManager {
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}
  void setup(HttpsURLConnection c) { c.setHostnameVerifier((h, s) -> true); }
}`,
    expect: 2,
    line: 2,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'java',
    name: 'trust manager that delegates',
    code: `class Pinning implements X509TrustManager {
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- unsafe-deserialization
  {
    rule: 'security/unsafe-deserialization',
    language: 'python',
    name: 'yaml.load without loader, pickle.loads of request data',
    code: `import yaml, pickle
from flask import request
def load(text):
    return yaml.load(text)
@app.route("/state", methods=["POST"])
def state():
    return pickle.loads(request.data)`,
    expect: 2,
    line: 4,
  },
  {
    rule: 'security/unsafe-deserialization',
    language: 'python',
    name: 'safe_load and SafeLoader',
    code: `import yaml
a = yaml.safe_load(text)
b = yaml.load(text, Loader=yaml.SafeLoader)`,
    expect: 0,
  },
  {
    rule: 'security/unsafe-deserialization',
    language: 'java',
    name: 'ObjectInputStream.readObject',
    code: `class Load {
  Object read(InputStream in) throws Exception {
    ObjectInputStream ois = new ObjectInputStream(in);
    return ois.readObject();
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/unsafe-deserialization',
    language: 'java',
    name: 'with an object input filter',
    code: `class Load {
  Object read(InputStream in) throws Exception {
    ObjectInputStream ois = new ObjectInputStream(in);
    ois.setObjectInputFilter(filter);
    return ois.readObject();
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/unsafe-deserialization',
    language: 'javascript',
    name: 'node-serialize',
    code: `const serialize = require('node-serialize');
app.post('/p', (req, res) => { const o = serialize.unserialize(req.body.data); });`,
    expect: 1,
    line: 2,
  },
  // ---------------------------------------------------------------- regressions from real code
  {
    rule: 'security/code-injection',
    language: 'javascript',
    name: 'setTimeout with a callback that reads request.url',
    code: `function send(request) {
  const t = setTimeout(function () { abort(new Error('timeout ' + request.url)); }, 1000);
}`,
    expect: 0,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'outgoing request object in a non-web module',
    code: `class LocalFSAdapter:
    def send(self, request):
        pathname = url_to_path(request.url)
        return open(pathname, "rb")`,
    expect: 0,
  },
  {
    rule: 'security/template-injection',
    language: 'python',
    name: 'render_template_string of a template built from request.url (SSTI)',
    code: `from flask import Flask, request, render_template_string
app = Flask(__name__)

@app.errorhandler(404)
def not_found(e):
    template = "<h1>Not found: %s</h1>" % request.url
    return render_template_string(template), 404`,
    expect: 1,
    line: 7,
  },
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'random token for a MIME boundary',
    code: `import random, sys
def _make_boundary():
    token = random.randrange(sys.maxsize)
    return "=" * 15 + str(token)`,
    expect: 0,
  },
  {
    rule: 'security/tls-verification-disabled',
    language: 'python',
    name: 'ssl.CERT_NONE on a context',
    code: `import ssl
ctx = ssl.create_default_context()
ctx.verify_mode = ssl.CERT_NONE`,
    expect: 1,
    line: 3,
  },
];
