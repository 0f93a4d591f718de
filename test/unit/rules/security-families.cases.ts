/**
 * Cases for the security rule families added with the taint engine (src/core/offline/rules/security/):
 * a positive and a negative case per supported language for each family.
 */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- nosql-injection
  {
    rule: 'security/nosql-injection',
    language: 'javascript',
    name: 'login filter from the JSON body (operator injection)',
    code: `app.post('/login', async (req, res) => {
  const user = await User.findOne({ username: req.body.username, password: req.body.password });
  res.json({ ok: !!user });
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/nosql-injection',
    language: 'javascript',
    name: '$where built from a query parameter',
    code: `router.get('/stocks', (req, res) => {
  db.collection('stocks').find({ $where: \`this.price > '\${req.query.threshold}'\` }).toArray();
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/nosql-injection',
    language: 'typescript',
    name: 'values converted to strings',
    code: `app.post('/login', async (req: Request, res: Response) => {
  const user = await User.findOne({ username: String(req.body.username), password: \`\${req.body.password}\` });
  res.json({ ok: !!user });
});`,
    expect: 0,
  },
  {
    rule: 'security/nosql-injection',
    language: 'python',
    name: 'pymongo filter from request.json',
    code: `from flask import request
@app.route("/find", methods=["POST"])
def find():
    doc = db.users.find_one({"name": request.json["name"]})
    return str(doc)`,
    expect: 0,
  },
  // ---------------------------------------------------------------- ssrf
  {
    rule: 'security/ssrf',
    language: 'javascript',
    name: 'fetch of a URL from the query string',
    code: `const axios = require('axios');
app.get('/preview', async (req, res) => {
  const r = await axios.get(req.query.url);
  res.send(r.data);
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/ssrf',
    language: 'javascript',
    name: 'fixed host, input only in the path',
    code: `const axios = require('axios');
app.get('/quote', async (req, res) => {
  const r = await axios.get('https://api.example.com/quotes/' + encodeURIComponent(req.query.symbol));
  res.json(r.data);
});`,
    expect: 0,
  },
  {
    rule: 'security/ssrf',
    language: 'python',
    name: 'requests.get of a form field',
    code: `import requests
from flask import request
@app.route("/fetch", methods=["POST"])
def fetch():
    url = request.form["url"]
    return requests.get(url).text`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/ssrf',
    language: 'python',
    name: 'host checked against an allow-list after parsing',
    code: `import requests
from urllib.parse import urlparse
from flask import request
ALLOWED = ["api.example.com"]
@app.route("/fetch")
def fetch():
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED:
        return "no", 400
    parsed = urlparse(url)
    if parsed.netloc not in ALLOWED:
        return "no", 400
    return requests.get(url).text`,
    expect: 0,
  },
  {
    rule: 'security/ssrf',
    language: 'go',
    name: 'http.Get of a query parameter',
    code: `package main
import "net/http"
func proxy(w http.ResponseWriter, r *http.Request) {
	resp, _ := http.Get(r.URL.Query().Get("target"))
	_ = resp
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/ssrf',
    language: 'go',
    name: 'constant URL',
    code: `package main
import "net/http"
func health(w http.ResponseWriter, r *http.Request) {
	resp, _ := http.Get("https://status.example.com/ping")
	_ = resp
}`,
    expect: 0,
  },
  {
    rule: 'security/ssrf',
    language: 'java',
    name: 'new URL(getParameter).openConnection()',
    code: `class Proxy {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    java.net.URL u = new java.net.URL(request.getParameter("u"));
    u.openConnection().getInputStream();
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/ssrf',
    language: 'java',
    name: 'constant URL',
    code: `class Proxy {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    java.net.URL u = new java.net.URL("https://status.example.com/");
    u.openConnection().getInputStream();
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- open-redirect
  {
    rule: 'security/open-redirect',
    language: 'javascript',
    name: 'res.redirect of req.query.url',
    code: `app.get('/go', (req, res) => {
  res.redirect(req.query.url);
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/open-redirect',
    language: 'javascript',
    name: 'same-site path prefix',
    code: `app.get('/go', (req, res) => {
  res.redirect('/user/' + encodeURIComponent(req.query.name));
});`,
    expect: 0,
  },
  {
    rule: 'security/open-redirect',
    language: 'python',
    name: 'flask redirect of next',
    code: `from flask import request, redirect
@app.route("/login")
def login():
    return redirect(request.args.get("next"))`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/open-redirect',
    language: 'python',
    name: 'next checked against an allow-list',
    code: `from flask import request, redirect
SAFE = ["/home", "/account"]
@app.route("/login")
def login():
    nxt = request.args.get("next")
    if nxt not in SAFE:
        nxt = "/home"
    return redirect(nxt)`,
    expect: 0,
  },
  {
    rule: 'security/open-redirect',
    language: 'go',
    name: 'http.Redirect to a form value',
    code: `package main
import "net/http"
func back(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.FormValue("return"), http.StatusFound)
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/open-redirect',
    language: 'go',
    name: 'redirect to a fixed path',
    code: `package main
import "net/http"
func back(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/dashboard", http.StatusFound)
}`,
    expect: 0,
  },
  {
    rule: 'security/open-redirect',
    language: 'java',
    name: 'sendRedirect of a parameter',
    code: `class Go {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    response.sendRedirect(request.getParameter("to"));
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/open-redirect',
    language: 'java',
    name: 'sendRedirect to a same-site path',
    code: `class Go {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    response.sendRedirect("/items/" + Integer.parseInt(request.getParameter("id")));
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- xxe
  {
    rule: 'security/xxe',
    language: 'javascript',
    name: 'libxmljs with noent on an upload',
    code: `const libxmljs = require('libxmljs');
app.post('/import', (req, res) => {
  const doc = libxmljs.parseXmlString(req.files.data.data.toString('utf8'), { noent: true });
  res.send(doc.root().name());
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/xxe',
    language: 'javascript',
    name: 'libxmljs without entity substitution',
    code: `const libxmljs = require('libxmljs');
app.post('/import', (req, res) => {
  const doc = libxmljs.parseXmlString(req.body.xml, { noblanks: true });
  res.send(doc.root().name());
});`,
    expect: 0,
  },
  {
    rule: 'security/xxe',
    language: 'python',
    name: 'lxml parser that resolves entities',
    code: `from lxml import etree
from flask import request
@app.route("/xml", methods=["POST"])
def xml():
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.data, parser)
    return root.tag`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/xxe',
    language: 'python',
    name: 'sax parser with external entities on a constant document',
    code: `import xml.sax
import xml.dom.minidom
parser = xml.sax.make_parser()
parser.setFeature(xml.sax.handler.feature_external_ges, True)
doc = xml.dom.minidom.parseString("<a/>", parser)`,
    expect: 0,
  },
  {
    rule: 'security/xxe',
    language: 'java',
    name: 'DocumentBuilder without disallow-doctype-decl',
    code: `class Import {
  void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory dbf = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    javax.xml.parsers.DocumentBuilder db = dbf.newDocumentBuilder();
    db.parse(request.getInputStream());
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/xxe',
    language: 'java',
    name: 'DocumentBuilder with disallow-doctype-decl',
    code: `class Import {
  void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory dbf = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    javax.xml.parsers.DocumentBuilder db = dbf.newDocumentBuilder();
    db.parse(request.getInputStream());
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- redos
  {
    rule: 'security/redos',
    language: 'javascript',
    name: 'nested quantifier in a literal',
    code: `const re = /^([0-9]+)+#$/;
module.exports = (s) => re.test(s);`,
    expect: 1,
    line: 1,
  },
  {
    rule: 'security/redos',
    language: 'javascript',
    name: 'linear patterns and one quantifier',
    code: `const a = /^[a-z0-9_-]{3,32}$/;
const b = /\\d+/g;
const c = new RegExp('^(?:[a-z]+\\\\.)?example\\\\.com$');`,
    expect: 0,
  },
  {
    rule: 'security/redos',
    language: 'typescript',
    name: 'new RegExp of request input',
    code: `app.get('/search', (req: Request, res: Response) => {
  const re = new RegExp(req.query.q as string);
  res.json(items.filter((i) => re.test(i.name)));
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/redos',
    language: 'python',
    name: 're.compile with an exponential pattern',
    code: `import re
WORDS = re.compile(r"^(\\w+\\s?)*$")`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/redos',
    language: 'python',
    name: 'plain patterns',
    code: `import re
WORD = re.compile(r"^\\w+$")
NUM = re.compile(r"(\\d+)-(\\d+)")`,
    expect: 0,
  },
  {
    rule: 'security/redos',
    language: 'java',
    name: 'Pattern.compile with (a+)+',
    code: `class V {
  static final java.util.regex.Pattern P = java.util.regex.Pattern.compile("^(a+)+$");
}`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/redos',
    language: 'java',
    name: 'linear Pattern.compile',
    code: `class V {
  static final java.util.regex.Pattern P = java.util.regex.Pattern.compile("^[A-Z]{2}\\\\d{4}$");
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- log-injection
  {
    rule: 'security/log-injection',
    language: 'javascript',
    name: 'console.log of a body field',
    code: `app.post('/login', (req, res) => {
  console.log('failed login for ' + req.body.user);
  res.sendStatus(401);
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/log-injection',
    language: 'javascript',
    name: 'structured logger and numbers',
    code: `app.post('/login', (req, res) => {
  req.log.info({ user: req.body.user }, 'failed login');
  console.log('attempt', Number(req.body.count));
  res.sendStatus(401);
});`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'python',
    name: 'logging.info of a form field',
    code: `import logging
from flask import request
@app.route("/login", methods=["POST"])
def login():
    logging.info("login " + request.form["user"])
    return "no", 401`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/log-injection',
    language: 'python',
    name: 'logging of a constant',
    code: `import logging
from flask import request
@app.route("/login", methods=["POST"])
def login():
    logging.info("login attempt")
    return "no", 401`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'go',
    name: 'log.Printf of a query parameter',
    code: `package main
import ("log"; "net/http")
func h(w http.ResponseWriter, r *http.Request) {
	log.Printf("user %s", r.URL.Query().Get("user"))
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/log-injection',
    language: 'go',
    name: 'log.Printf of a parsed number',
    code: `package main
import ("log"; "net/http"; "strconv")
func h(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	log.Printf("n %d", n)
}`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'java',
    name: 'logger.info of a header',
    code: `class L {
  static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(L.class);
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    logger.info("agent " + request.getHeader("User-Agent"));
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/log-injection',
    language: 'java',
    name: 'logger.info of an encoded header',
    code: `class L {
  static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(L.class);
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    logger.info("agent " + java.net.URLEncoder.encode(request.getHeader("User-Agent"), "UTF-8"));
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'python',
    name: 'aiohttp: the encoded request target (rel_url) logged when a CSRF token mismatches',
    code: `import logging
from aiohttp import web
log = logging.getLogger(__name__)
@web.middleware
async def csrf_middleware(request, handler):
    if request.method == "POST":
        formdata = await request.post()
        if formdata.get('_csrf_token') != "x":
            log.error('Request to %s was aborted', request.rel_url)
            raise web.HTTPForbidden()
    return await handler(request)`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'python',
    name: 'aiohttp: the decoded path (request.path) and a form field logged',
    code: `import logging
from aiohttp import web
log = logging.getLogger(__name__)
async def handler(request: web.Request):
    formdata = await request.post()
    log.error('Request to ' + request.path + ' by ' + formdata.get('user'))
    return web.Response(text="no")`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/log-injection',
    language: 'javascript',
    name: 'Express: req.originalUrl logged (percent-encoded, no line break possible)',
    code: `app.use((req, res, next) => {
  console.log('request ' + req.method + ' ' + req.originalUrl);
  next();
});`,
    expect: 0,
  },
  {
    rule: 'security/log-injection',
    language: 'javascript',
    name: 'Express: req.originalUrl passed through decodeURIComponent before logging',
    code: `app.use((req, res, next) => {
  console.log('request ' + decodeURIComponent(req.originalUrl));
  next();
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/log-injection',
    language: 'java',
    name: 'servlet: the undecoded request URI logged',
    code: `class L {
  static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(L.class);
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    logger.info("GET " + request.getRequestURI() + "?" + request.getQueryString());
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- template-injection
  {
    rule: 'security/template-injection',
    language: 'javascript',
    name: 'ejs.render of a body field',
    code: `const ejs = require('ejs');
app.post('/preview', (req, res) => {
  res.send(ejs.render(req.body.template, { user: req.user }));
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/template-injection',
    language: 'javascript',
    name: 'constant template, input as data',
    code: `const ejs = require('ejs');
app.post('/preview', (req, res) => {
  res.send(ejs.render('<p><%= name %></p>', { name: req.body.name }));
});`,
    expect: 0,
  },
  {
    rule: 'security/template-injection',
    language: 'python',
    name: 'jinja2.Template of a query parameter',
    code: `import jinja2
from flask import request
@app.route("/t")
def t():
    return jinja2.Template(request.args["t"]).render()`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/template-injection',
    language: 'python',
    name: 'render_template_string with a constant template',
    code: `from flask import request, render_template_string
@app.route("/t")
def t():
    return render_template_string("<p>{{ name }}</p>", name=request.args["name"])`,
    expect: 0,
  },
  {
    rule: 'security/template-injection',
    language: 'go',
    name: 'template.New().Parse of a form value',
    code: `package main
import ("net/http"; "text/template")
func h(w http.ResponseWriter, r *http.Request) {
	t, _ := template.New("x").Parse(r.FormValue("tpl"))
	t.Execute(w, nil)
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/template-injection',
    language: 'go',
    name: 'constant template',
    code: `package main
import ("net/http"; "text/template")
func h(w http.ResponseWriter, r *http.Request) {
	t, _ := template.New("x").Parse("<p>{{.}}</p>")
	t.Execute(w, r.FormValue("name"))
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- ldap-injection
  {
    rule: 'security/ldap-injection',
    language: 'java',
    name: 'DirContext.search with a parameter in the filter',
    code: `class Dir {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.naming.directory.DirContext ctx = new javax.naming.directory.InitialDirContext();
    String filter = "(uid=" + request.getParameter("user") + ")";
    ctx.search("ou=people,dc=example,dc=com", filter, new javax.naming.directory.SearchControls());
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/ldap-injection',
    language: 'java',
    name: 'encoded for LDAP',
    code: `class Dir {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.naming.directory.DirContext ctx = new javax.naming.directory.InitialDirContext();
    String filter = "(uid=" + org.owasp.esapi.ESAPI.encoder().encodeForLDAP(request.getParameter("user")) + ")";
    ctx.search("ou=people,dc=example,dc=com", filter, new javax.naming.directory.SearchControls());
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/ldap-injection',
    language: 'python',
    name: 'search_s with a request value in the filter',
    code: `import ldap
from flask import request
@app.route("/who")
def who():
    conn = ldap.initialize("ldap://dir")
    return str(conn.search_s("dc=example", ldap.SCOPE_SUBTREE, "(uid=%s)" % request.args["u"]))`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/ldap-injection',
    language: 'python',
    name: 'escaped filter value',
    code: `import ldap
from ldap.filter import escape_filter_chars
from flask import request
@app.route("/who")
def who():
    conn = ldap.initialize("ldap://dir")
    return str(conn.search_s("dc=example", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(request.args["u"])))`,
    expect: 0,
  },
  // ---------------------------------------------------------------- xpath-injection
  {
    rule: 'security/xpath-injection',
    language: 'java',
    name: 'XPath.evaluate of a built expression',
    code: `class X {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    String expr = "/users/user[@name='" + request.getParameter("name") + "']";
    xp.evaluate(expr, doc);
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/xpath-injection',
    language: 'java',
    name: 'value checked to contain no quote',
    code: `class X {
  void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    String name = request.getParameter("name");
    if (name.contains("'")) return;
    String expr = "/users/user[@name='" + name + "']";
    xp.evaluate(expr, doc);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/xpath-injection',
    language: 'python',
    name: 'lxml xpath of an f-string',
    code: `from lxml import etree
from flask import request
@app.route("/emp")
def emp():
    root = etree.parse("emp.xml")
    return str(root.xpath(f"/emps/emp[@id='{request.args['id']}']"))`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/xpath-injection',
    language: 'python',
    name: 'xpath variable',
    code: `from lxml import etree
from flask import request
@app.route("/emp")
def emp():
    root = etree.parse("emp.xml")
    return str(root.xpath("/emps/emp[@id=$id]", id=request.args["id"]))`,
    expect: 0,
  },
  // ---------------------------------------------------------------- trust-boundary
  {
    rule: 'security/trust-boundary',
    language: 'java',
    name: 'session attribute from a parameter',
    code: `class S {
  void doPost(HttpServletRequest request, HttpServletResponse response) {
    request.getSession().setAttribute("role", request.getParameter("role"));
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/trust-boundary',
    language: 'java',
    name: 'session attribute from an allow-listed value',
    code: `class S {
  static final java.util.List<String> ROLES = java.util.Arrays.asList("user", "viewer");
  void doPost(HttpServletRequest request, HttpServletResponse response) {
    String role = request.getParameter("role");
    if (!ROLES.contains(role)) return;
    request.getSession().setAttribute("role", role);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/trust-boundary',
    language: 'python',
    name: 'flask session from a form field',
    code: `from flask import request, session
@app.route("/prefs", methods=["POST"])
def prefs():
    session["theme"] = request.form["theme"]
    return "ok"`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/trust-boundary',
    language: 'javascript',
    name: 'express session from a numeric field',
    code: `app.post('/prefs', (req, res) => {
  req.session.page = parseInt(req.body.page, 10);
  res.end();
});`,
    expect: 0,
  },
  // ---------------------------------------------------------------- plaintext-password
  {
    rule: 'security/plaintext-password',
    language: 'javascript',
    name: 'sign-up stores the body password',
    code: `app.post('/signup', async (req, res) => {
  await users.insertOne({ name: req.body.name, password: req.body.password });
  res.redirect('/login');
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/plaintext-password',
    language: 'javascript',
    name: 'sign-up stores a bcrypt hash',
    code: `const bcrypt = require('bcrypt');
app.post('/signup', async (req, res) => {
  const hash = await bcrypt.hash(req.body.password, 12);
  await users.insertOne({ name: req.body.name, password: hash });
  res.redirect('/login');
});`,
    expect: 0,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: 'model field set from request.POST',
    code: `from django.http import HttpResponse
def signup(request):
    user = Account(username=request.POST["username"], password=request.POST["password"])
    user.save()
    return HttpResponse("ok")`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: 'make_password',
    code: `from django.http import HttpResponse
from django.contrib.auth.hashers import make_password
def signup(request):
    user = Account(username=request.POST["username"], password=make_password(request.POST["password"]))
    user.save()
    return HttpResponse("ok")`,
    expect: 0,
  },
  {
    rule: 'security/plaintext-password',
    language: 'java',
    name: 'setPassword of a parameter',
    code: `class Reg {
  void doPost(HttpServletRequest request, HttpServletResponse response) {
    User u = new User();
    u.setPassword(request.getParameter("password"));
    repo.save(u);
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/plaintext-password',
    language: 'java',
    name: 'setPassword of an encoded password',
    code: `class Reg {
  void doPost(HttpServletRequest request, HttpServletResponse response) {
    User u = new User();
    u.setPassword(passwordEncoder.encode(request.getParameter("password")));
    repo.save(u);
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- insecure-cookie
  {
    rule: 'security/insecure-cookie',
    language: 'javascript',
    name: 'express-session with secure: false',
    code: `const session = require('express-session');
app.use(session({ secret: process.env.S, cookie: { secure: false } }));`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'javascript',
    name: 'express-session with secure and httpOnly',
    code: `const session = require('express-session');
app.use(session({ secret: process.env.S, cookie: { secure: true, httpOnly: true } }));
res.cookie('theme', 'dark');`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'set_cookie with secure=False',
    code: `def login(request):
    response = HttpResponse("ok")
    response.set_cookie("sessionid", token, secure=False)
    return response`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'set_cookie with secure and httponly',
    code: `def login(request):
    response = HttpResponse("ok")
    response.set_cookie("sessionid", token, secure=True, httponly=True)
    return response`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'session cookie overwritten with None (cleared) and one expired at once',
    code: `def login(request):
    response = render(request, "login.html")
    response.set_cookie("session_id", None)
    response.set_cookie("auth_token", "", max_age=0)
    return response`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'session cookie with a token value, beside a cleared one',
    code: `def login(request):
    response = render(request, "login.html")
    response.set_cookie("session_id", None)
    response.set_cookie("session_id", token)
    return response`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'javascript',
    name: 'auth cookie cleared with an empty value and an epoch expiry',
    code: `app.post('/logout', (req, res) => {
  res.cookie('token', '', { expires: new Date(0) });
  res.cookie('session', 'x', { maxAge: 0 });
  res.redirect('/');
});`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'javascript',
    name: 'auth cookie with a value and a lifetime but no flags',
    code: `app.post('/login', (req, res) => {
  res.cookie('token', jwt, { maxAge: 3600000 });
  res.redirect('/');
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'java',
    name: 'cookie deleted with setMaxAge(0)',
    code: `class C {
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("remember", "");
    c.setMaxAge(0);
    response.addCookie(c);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'java',
    name: 'session-lifetime cookie (setMaxAge(-1)) without setSecure',
    code: `class C {
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("remember", token);
    c.setMaxAge(-1);
    response.addCookie(c);
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'java',
    name: 'cookie added with setSecure(false)',
    code: `class C {
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("remember", "x");
    c.setSecure(false);
    response.addCookie(c);
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'java',
    name: 'cookie added with setSecure(true)',
    code: `class C {
  void doGet(HttpServletRequest request, HttpServletResponse response) {
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("remember", "x");
    c.setSecure(true);
    c.setHttpOnly(true);
    response.addCookie(c);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'go',
    name: 'session cookie literal without Secure',
    code: `package main
import "net/http"
func login(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token})
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'go',
    name: 'session cookie literal with Secure and HttpOnly',
    code: `package main
import "net/http"
func login(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: token, Secure: true, HttpOnly: true})
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- csrf
  {
    rule: 'security/csrf',
    language: 'java',
    name: 'Spring csrf().disable()',
    code: `class Sec {
  void configure(HttpSecurity http) throws Exception {
    http.csrf().disable().authorizeRequests().anyRequest().authenticated();
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/csrf',
    language: 'java',
    name: 'Spring csrf kept on',
    code: `class Sec {
  void configure(HttpSecurity http) throws Exception {
    http.csrf(c -> c.csrfTokenRepository(repo)).authorizeRequests().anyRequest().authenticated();
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a POST view',
    code: `from django.views.decorators.csrf import csrf_exempt
@csrf_exempt
def transfer(request):
    if request.method == "POST":
        do_transfer(request.POST["to"], request.POST["amount"])
    return HttpResponse("ok")`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a read-only webhook-free view',
    code: `from django.views.decorators.csrf import csrf_exempt
@csrf_exempt
def status(request):
    return HttpResponse("ok")`,
    expect: 0,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a POST view that only logs the form and answers (nothing to forge)',
    code: `import logging
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
log = logging.getLogger(__name__)
@csrf_exempt
def login_probe(request):
    if request.method == "POST":
        username = request.POST["username"]
        log.info(f"POST with username {username}")
        if username == "admin":
            return JsonResponse({"ok": True}, status=200)
        return JsonResponse({"ok": False}, status=401)
    return JsonResponse({"message": "method not allowed"}, status=403)`,
    expect: 0,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a POST view that writes the session',
    code: `from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
@csrf_exempt
def set_theme(request):
    if request.method == "POST":
        request.session["theme"] = request.POST["theme"]
    return JsonResponse({"ok": True})`,
    expect: 1,
    line: 3,
    message: /changes state \(`request\.session\["theme"\]/,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a POST login that sets a role cookie on a response named html',
    code: `from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
@csrf_exempt
def lab(request):
    name = request.POST.get('name')
    if name == 'jack':
        html = render(request, 'lab.html', {"username": name})
        html.set_cookie("admin", "0", max_age=200)
        return html
    return render(request, 'lab.html')`,
    expect: 1,
    line: 3,
    message: /set_cookie/,
  },
  {
    rule: 'security/csrf',
    language: 'python',
    name: '@csrf_exempt on a POST view that updates rows through a filter',
    code: `from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
@csrf_exempt
def change_email(request):
    email = request.POST.get("email")
    Profile.objects.filter(user=request.user).update(email=email)
    return render(request, "done.html")`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/csrf',
    language: 'javascript',
    name: 'cookie sessions and POST routes without a CSRF middleware',
    code: `const session = require('express-session');
app.use(session({ secret: process.env.S, cookie: { secure: true } }));
app.post('/transfer', transfer);`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/csrf',
    language: 'javascript',
    name: 'csurf loaded',
    code: `const session = require('express-session');
const csrf = require('csurf');
app.use(session({ secret: process.env.S, cookie: { secure: true } }));
app.use(csrf());
app.post('/transfer', transfer);`,
    expect: 0,
  },
  // ---------------------------------------------------------------- idor
  {
    rule: 'security/idor',
    language: 'javascript',
    name: 'lookup by a URL id while sibling handlers use the session user',
    code: `exports.invoice = async (req, res) => {
  const invoice = await Invoice.findById(req.params.id);
  res.json(invoice);
};
exports.profile = async (req, res) => {
  const { userId } = req.session;
  const profile = await Profile.findById(userId);
  res.json(profile);
};`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/idor',
    language: 'javascript',
    name: 'lookup checked against the user',
    code: `exports.invoice = async (req, res) => {
  const invoice = await Invoice.findById(req.params.id);
  if (invoice.ownerId !== req.user.id) return res.sendStatus(403);
  res.json(invoice);
};
exports.profile = async (req, res) => {
  const profile = await Profile.findById(req.user.id);
  res.json(profile);
};`,
    expect: 0,
  },
  {
    rule: 'security/idor',
    language: 'python',
    name: 'authenticated handler trusts the id',
    code: `from flask import request, jsonify
@app.route("/customer", methods=["POST"])
def customer():
    if not verify_jwt(request.headers.get("Authorization")):
        return jsonify({}), 403
    record = Customer.query.get(request.json["id"])
    return jsonify(record.to_dict())`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/idor',
    language: 'python',
    name: 'lookup scoped to the current user',
    code: `from flask import request, jsonify
from flask_login import current_user
@app.route("/order", methods=["POST"])
def order():
    if not verify_jwt(request.headers.get("Authorization")):
        return jsonify({}), 403
    record = Order.query.get(request.json["id"])
    if record.user_id != current_user.id:
        return jsonify({}), 404
    return jsonify(record.to_dict())`,
    expect: 0,
  },
  {
    rule: 'security/idor',
    language: 'java',
    name: 'findById of a path variable in an authenticated controller',
    code: `class Orders {
  @PreAuthorize("isAuthenticated()")
  Order get(@PathVariable("id") Long id, @RequestParam String orderId) {
    return repository.findById(orderId).get();
  }
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/idor',
    language: 'java',
    name: 'no authentication and no sibling scoping',
    code: `class Catalog {
  Product get(@RequestParam String productId) {
    return repository.findById(productId).get();
  }
}`,
    expect: 0,
  },
  // ---------------------------------------------------------------- path-traversal: zip slip
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'tarfile extractall without a filter',
    code: `import tarfile
def unpack(path, dest):
    with tarfile.open(path) as tar:
        tar.extractall(dest)`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'tarfile extractall with the data filter',
    code: `import tarfile
def unpack(path, dest):
    with tarfile.open(path) as tar:
        tar.extractall(dest, filter="data")`,
    expect: 0,
  },
  // ---------------------------------------------------------------- unsafe-deserialization (issue 9 regression)
  {
    rule: 'security/unsafe-deserialization',
    language: 'python',
    name: 'pickle.loads of Django request.COOKIES',
    code: `import pickle, base64
from django.http import HttpResponse
def cart(request):
    data = pickle.loads(base64.b64decode(request.COOKIES["cart"]))
    return HttpResponse(str(data))`,
    expect: 1,
    line: 4,
  },

  // ---------------------------------------------------------------- insecure-random: followed into cookies and sessions
  {
    rule: 'security/insecure-random',
    language: 'java',
    name: 'java.util.Random value becomes a remember-me cookie (through int and toString)',
    code: `public class Remember extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int n = new java.util.Random().nextInt(99);
    String key = Integer.toString(n);
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("rememberMe", key);
    response.addCookie(c);
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/insecure-random',
    language: 'java',
    name: 'SecureRandom value in a cookie and the session',
    code: `public class Remember extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    double v = java.security.SecureRandom.getInstance("SHA1PRNG").nextDouble();
    String key = Double.toString(v).substring(2);
    request.getSession().setAttribute("rememberMe", key);
    response.addCookie(new javax.servlet.http.Cookie("rememberMe", key));
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'random value stored in a session dictionary',
    code: `import random
from app.store import sessions

def remember(user):
    value = str(random.getrandbits(32))
    sessions[user] = value
    return value`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'secrets and SystemRandom values in a session; random value in a plain dict',
    code: `import random, secrets
from app.store import sessions

def remember(user, stats):
    sessions[user] = secrets.token_hex(16)
    sessions[user + '-b'] = str(random.SystemRandom().getrandbits(32))
    stats[user] = random.random()`,
    expect: 0,
  },
  {
    rule: 'security/insecure-random',
    language: 'javascript',
    name: 'Math.random value set as a cookie',
    code: `app.post('/remember', (req, res) => {
  const v = Math.floor(Math.random() * 1e9).toString(36);
  res.cookie('remember', v, { secure: true, httpOnly: true });
  res.end();
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/insecure-random',
    language: 'javascript',
    name: 'Math.random for a retry delay beside a crypto cookie',
    code: `app.post('/remember', (req, res) => {
  const wait = Math.random() * 100;
  res.cookie('remember', crypto.randomBytes(16).toString('hex'), { secure: true, httpOnly: true });
  setTimeout(() => res.end(), wait);
});`,
    expect: 0,
  },
  // ---------------------------------------------------------------- weak-crypto: request data through a weak hash
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'MessageDigest SHA1 of a request parameter',
    code: `public class Store extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("value");
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA1", "SUN");
    md.update(param.getBytes());
    byte[] result = md.digest();
    store(result);
  }
}`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'SHA-256 of a request parameter; MD5 of a constant-folded safe branch',
    code: `public class Store extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = request.getParameter("value");
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update(param.getBytes());
    String bar = param;
    if ((7 * 42) - 86 > 200) bar = "constant"; else bar = "other";
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    md5.update(bar.getBytes());
    store(md.digest(), md5.digest());
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'hashlib.new("md5") of a form field',
    code: `import hashlib
from flask import request

@app.route('/store', methods=['POST'])
def store():
    data = request.form['value'].encode('utf-8')
    h = hashlib.new('md5')
    h.update(data)
    save(h.hexdigest())
    return 'ok'`,
    expect: 1,
    line: 8,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'sha384 of a form field, md5 marked usedforsecurity=False',
    code: `import hashlib
from flask import request

@app.route('/store', methods=['POST'])
def store():
    data = request.form['value'].encode('utf-8')
    h = hashlib.new('sha384')
    h.update(data)
    etag = hashlib.md5(data, usedforsecurity=False).hexdigest()
    save(h.hexdigest(), etag)
    return 'ok'`,
    expect: 0,
  },

  // ---------------------------------------------------------------- weak-crypto: algorithms from configuration, digests stored as credentials
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'algorithm from a classpath properties file that sets MD5 (the code\'s default is SHA512)',
    path: 'src/main/java/app/Hasher.java',
    projectFiles: { 'src/main/resources/app.properties': '# hashing\nhashAlg1=MD5\nhashAlg2=SHA-256\n' },
    code: `public class Hasher {
  byte[] hashToken(byte[] token) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.load(this.getClass().getClassLoader().getResourceAsStream("app.properties"));
    String algorithm = props.getProperty("hashAlg1", "SHA512");
    java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);
    return md.digest(token);
  }
}`,
    expect: 1,
    line: 6,
    message: /hashAlg1=MD5 in src\/main\/resources\/app\.properties/,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'properties file sets SHA-256 and AES/GCM although the code\'s defaults are weak; no file: unknown',
    path: 'src/main/java/app/Hasher.java',
    projectFiles: { 'src/main/resources/app.properties': 'hashAlg2=SHA-256\ncryptoAlg2=AES/GCM/NoPadding\n' },
    code: `public class Hasher {
  byte[] hashToken(byte[] token) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.load(this.getClass().getClassLoader().getResourceAsStream("app.properties"));
    String algorithm = props.getProperty("hashAlg2", "MD5");
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance(props.getProperty("cryptoAlg2", "DES/ECB/PKCS5Padding"));
    java.util.Properties other = new java.util.Properties();
    other.load(this.getClass().getClassLoader().getResourceAsStream("missing.properties"));
    javax.crypto.Cipher d = javax.crypto.Cipher.getInstance(other.getProperty("cryptoAlg1", "DES/ECB/PKCS5Padding"));
    return java.security.MessageDigest.getInstance(algorithm).digest(token);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'key missing from the properties file: the weak default applies',
    path: 'src/main/java/app/Crypt.java',
    projectFiles: { 'src/main/resources/app.properties': 'other=1\n' },
    code: `public class Crypt {
  javax.crypto.Cipher cipher() throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.load(getClass().getClassLoader().getResourceAsStream("app.properties"));
    return javax.crypto.Cipher.getInstance(props.getProperty("cryptoAlg1", "DESede/ECB/PKCS5Padding"));
  }
}`,
    expect: 1,
    line: 5,
    message: /default of cryptoAlg1/,
  },
  {
    rule: 'security/weak-crypto',
    language: 'java',
    name: 'SHA1 named by a final constant, digest appended to a password file',
    code: `public class Store {
  static final String ALG = "SHA1";
  void save(byte[] input) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance(ALG);
    md.update(input);
    byte[] result = md.digest();
    java.io.FileWriter fw = new java.io.FileWriter(new java.io.File(dir, "passwordFile.txt"), true);
    fw.write("hash_value=" + java.util.Base64.getEncoder().encodeToString(result) + "\n");
    fw.close();
  }
}`,
    expect: 1,
    line: 4,
    message: /stores its output in `passwordFile\.txt`/,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'md5 digest of constant data appended to a password file',
    code: `import hashlib, base64
def store(data):
    h = hashlib.md5()
    h.update(b"constant")
    result = h.digest()
    f = open(f'{BASE_DIR}/passwordFile.txt', 'a')
    f.write(f'hash_value={base64.b64encode(result)}\n')
    f.close()`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/weak-crypto',
    language: 'python',
    name: 'md5 checksum written to a cache file; a token signed with an algorithm name that is sha1 only on one path',
    code: `import hashlib
ALG = 'sha256'
def cache(data):
    h = hashlib.md5(data)
    with open(f'{CACHE_DIR}/checksums.txt', 'a') as f:
        f.write(h.hexdigest())
def sign_token(data, alg):
    name = 'sha256'
    if alg:
        name = 'sha1'
    return hashlib.new(name, data).hexdigest()`,
    expect: 0,
  },
  // ---------------------------------------------------------------- xss: the response's content type
  {
    rule: 'security/xss',
    language: 'python',
    name: 'Flask Response of a posted name, made application/json before it is returned',
    code: `import json
from flask import Flask, request, Response
app = Flask(__name__)
@app.route('/login', methods=['POST'])
def login():
    username = request.json['username']
    resp = Response(json.dumps({"User": username}))
    resp.status_code = 200
    resp.mimetype = 'application/json'
    return resp`,
    expect: 0,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'Flask Response of a posted name whose content type stays HTML',
    code: `import json
from flask import Flask, request, Response
app = Flask(__name__)
@app.route('/login', methods=['POST'])
def login():
    username = request.json['username']
    resp = Response("<p>Hello " + username + "</p>")
    resp.headers['Content-Type'] = 'text/html; charset=utf-8'
    return resp`,
    expect: 1,
    line: 7,
  },
  // ---------------------------------------------------------------- taint across modules (JavaScript/TypeScript)
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'across modules: a route passes req.query.id to db.find, which builds SQL from its parameter',
    path: 'src/db.js',
    code: `const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });
function find(id, cb) {
  pool.query("SELECT * FROM users WHERE id = '" + id + "'", cb);
}
module.exports = { find };`,
    files: {
      'src/routes/users.js': `const db = require('../db');
app.get('/user', (req, res) => {
  db.find(req.query.id, (err, rows) => res.json(rows));
});`,
    },
    expect: 1,
    line: 4,
    message: /^SQL text is built from request input: request input `req\.query\.id` \(src\/routes\/users\.js line 3\) → passed to `db\.find\(req\.query\.id, .*\(src\/routes\/users\.js line 3\) → parameter `id` of `find\(\)` \(line 3\) reaches `(pool\.)?query`/,
  },
  {
    rule: 'security/path-traversal',
    language: 'typescript',
    name: 'across modules: an imported function reads a file named by its parameter, called with a query value',
    path: 'src/files.ts',
    code: `import * as fs from 'fs';
export function read(name: string): string {
  return fs.readFileSync('/data/' + name, 'utf8');
}`,
    files: {
      'src/server.ts': `import { read } from './files.js';
app.get('/f', (req: Request, res: Response) => {
  res.send(read(req.query.name as string));
});`,
    },
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/path-traversal',
    language: 'javascript',
    name: 'across modules: the caller passes path.basename of the input, or the input in a parameter the sink does not use',
    path: 'src/files.js',
    code: `const fs = require('fs');
exports.read = function (name, encoding) {
  return fs.readFileSync('/data/' + name, encoding);
};`,
    files: {
      'src/server.js': `const path = require('path');
const files = require('./files');
app.get('/f', (req, res) => {
  res.send(files.read(path.basename(req.query.name), 'utf8'));
  res.send(files.read('report.txt', req.query.encoding));
});`,
    },
    expect: 0,
  },
  {
    rule: 'security/nosql-injection',
    language: 'javascript',
    name: 'across modules: a DAO instance from an imported class receives the body and builds $where',
    path: 'app/data/allocations-dao.js',
    code: `function AllocationsDAO(db) {
  const allocations = db.collection('allocations');
  this.getByThreshold = (userId, threshold, callback) => {
    allocations.find({ $where: \`this.userId == \${userId} && this.stocks > '\${threshold}'\` }).toArray(callback);
  };
}
module.exports = { AllocationsDAO };`,
    files: {
      'app/routes/allocations.js': `const { AllocationsDAO } = require('../data/allocations-dao');
function AllocationsHandler(db) {
  const allocationsDAO = new AllocationsDAO(db);
  this.displayAllocations = (req, res) => {
    allocationsDAO.getByThreshold(1, req.query.threshold, (err, docs) => res.render('allocations', { docs }));
  };
}
module.exports = AllocationsHandler;`,
    },
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: 'across modules: an aiohttp view passes a form field to a DAO staticmethod that %-formats it into SQL',
    path: 'sqli/dao/student.py',
    code: `from typing import NamedTuple

class Student(NamedTuple):
    id: int
    name: str

    @staticmethod
    async def create(conn, name: str):
        q = ("INSERT INTO students (name) "
             "VALUES ('%(name)s')" % {'name': name})
        async with conn.cursor() as cur:
            await cur.execute(q)`,
    files: {
      'sqli/views.py': `from aiohttp.web import Request
from sqli.dao.student import Student

async def students(request: Request):
    if request.method == 'POST':
        data = await request.post()
        async with request.app['db'].acquire() as conn:
            await Student.create(conn, data['name'])
    return {}`,
    },
    expect: 1,
    line: 12,
    message: /\(sqli\/views\.py line 8\) → parameter `name` of `create\(\)`/,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'across modules: a classmethod (cls not passed) opens a file named by its parameter',
    path: 'app/files.py',
    code: `class Files:
    @classmethod
    def read(cls, name):
        return open('/data/' + name).read()`,
    files: {
      'app/views.py': `from flask import request
from app.files import Files
@app.route('/f')
def show():
    return Files.read(request.args['f'])`,
    },
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'across modules: the same classmethod fed os.path.basename of the input, and a staticmethod fed a constant',
    path: 'app/files.py',
    code: `class Files:
    @classmethod
    def read(cls, name):
        return open('/data/' + name).read()
    @staticmethod
    def report(folder, name):
        return open(folder + '/' + name).read()`,
    files: {
      'app/views.py': `import os
from flask import request
from app.files import Files
@app.route('/f')
def show():
    Files.report('/data', 'summary.txt' if request.args.get('s') else 'all.txt')
    return Files.read(os.path.basename(request.args['f']))`,
    },
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'across three modules: route → service → dao builds SQL from the parameter',
    path: 'src/dao.js',
    code: `const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });
exports.findUser = function (name, cb) {
  pool.query("SELECT * FROM users WHERE name = '" + name + "'", cb);
};`,
    files: {
      'src/service.js': `const dao = require('./dao');
exports.lookup = function (who, cb) {
  dao.findUser(who, cb);
};`,
      'src/routes.js': `const service = require('./service');
app.get('/u', (req, res) => {
  service.lookup(req.query.name, (err, rows) => res.json(rows));
});`,
    },
    expect: 1,
    line: 4,
    message: /`req\.query\.name` \(src\/routes\.js line 3\) → passed to `service\.lookup.*\(src\/routes\.js line 3\) → parameter `who` of `lookup\(\)` \(src\/service\.js line 2\) → passed to `dao\.findUser.*\(src\/service\.js line 3\) → parameter `name` of `findUser\(\)` \(line 3\)/,
  },
  {
    rule: 'security/sql-injection',
    language: 'javascript',
    name: 'across three modules: the service converts the id to a number, or passes a constant',
    path: 'src/dao.js',
    code: `const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });
exports.findUser = function (id, cb) {
  pool.query('SELECT * FROM users WHERE id = ' + id, cb);
};`,
    files: {
      'src/service.js': `const dao = require('./dao');
exports.lookup = function (who, cb) {
  dao.findUser(parseInt(who, 10), cb);
};
exports.me = function (who, cb) {
  dao.findUser(7, cb);
};`,
      'src/routes.js': `const service = require('./service');
app.get('/u', (req, res) => {
  service.lookup(req.query.id, (err, rows) => res.json(rows));
  service.me(req.query.id, (err, rows) => res.json(rows));
});`,
    },
    expect: 0,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: 'across modules: a method of an instance of an imported class formats its parameter into SQL',
    path: 'app/dao.py',
    code: `class StudentDao:
    def __init__(self, conn):
        self.conn = conn

    def find(self, name):
        return self.conn.execute("SELECT * FROM students WHERE name = '%s'" % name)`,
    files: {
      'app/views.py': `from flask import request
from app.dao import StudentDao
@app.route('/s')
def show():
    dao = StudentDao(db)
    return str(dao.find(request.args['name']))`,
    },
    expect: 1,
    line: 6,
    message: /parameter `name` of `find\(\)`/,
  },
  {
    rule: 'security/sql-injection',
    language: 'python',
    name: 'across modules: the same method called with int() of the input, and with a constant (only the parameter-built SQL note, no request flow)',
    path: 'app/dao.py',
    code: `class StudentDao:
    def __init__(self, conn):
        self.conn = conn

    def find(self, key):
        return self.conn.execute("SELECT * FROM students WHERE id = %s" % key)`,
    files: {
      'app/views.py': `from flask import request
from app.dao import StudentDao
@app.route('/s')
def show():
    dao = StudentDao(db)
    dao.find('1')
    return str(dao.find(int(request.args['id'])))`,
    },
    expect: 1,
    message: /does not trace to request input/,
  },
  // ---------------------------------------------------------------- what ends taint: checks real code uses
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'eval of a form field checked to be one quoted string literal',
    code: `from flask import request

@app.route('/calc', methods=['POST'])
def calc():
    expr = request.form.get('expr', '')
    if not expr.startswith("'") or not expr.endswith("'") or "'" in expr[1:-1]:
        return 'a plain string literal only'
    return str(eval(expr))`,
    expect: 0,
  },
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'eval of a form field checked only to start and end with a quote',
    code: `from flask import request

@app.route('/calc', methods=['POST'])
def calc():
    expr = request.form.get('expr', '')
    if not expr.startswith("'") or not expr.endswith("'"):
        return 'a plain string literal only'
    return str(eval(expr))`,
    expect: 1,
    line: 8,
  },
  {
    rule: 'security/xpath-injection',
    language: 'python',
    name: 'every quote of the value replaced inside a single-quoted XPath literal',
    code: `import lxml.etree
from flask import request

@app.route('/emp', methods=['POST'])
def emp():
    name = request.form.get('name', '')
    root = lxml.etree.parse(open('employees.xml', 'rb'))
    query = f"/Employees/Employee[@name='{name.replace("'", '&apos;')}']"
    return str(root.xpath(query))`,
    expect: 0,
  },
  {
    rule: 'security/xpath-injection',
    language: 'python',
    name: 'quotes doubled, which XPath 1.0 does not read as an escape',
    code: `import lxml.etree
from flask import request

@app.route('/emp', methods=['POST'])
def emp():
    name = request.form.get('name', '')
    root = lxml.etree.parse(open('employees.xml', 'rb'))
    query = f"/Employees/Employee[@name='{name.replace("'", "''")}']"
    return str(root.xpath(query))`,
    expect: 1,
    line: 9,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'request.path of a handler whose route has no variable part',
    code: `from flask import request

@app.route('/reports/monthly', methods=['GET'])
def monthly():
    section = request.path.split('/')[1]
    return f'<h1>{section}</h1>'`,
    expect: 0,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'request.path of a handler with a variable route part',
    code: `from flask import request

@app.route('/reports/<name>', methods=['GET'])
def report(name):
    section = request.path.split('/')[2]
    return f'<h1>{section}</h1>'`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/xxe',
    language: 'python',
    name: 'external entities on, but a substring test folds to a constant document',
    code: `import xml.sax, xml.sax.handler, xml.dom.minidom
from flask import request

@app.route('/doc', methods=['POST'])
def doc():
    bar = "<a>This should never happen</a>"
    if 'should' not in bar:
        bar = request.form.get('doc')
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    return xml.dom.minidom.parseString(bar, parser).toxml()`,
    expect: 0,
  },
  {
    rule: 'security/unsafe-deserialization',
    language: 'python',
    name: 'yaml.load with the full Loader of a constant document',
    code: `import yaml

def defaults():
    return yaml.load("retries: 3", Loader=yaml.Loader)`,
    expect: 0,
  },

  {
    rule: 'security/path-traversal',
    language: 'python',
    name: 'a random prefix on a secure_filename upload name',
    code: `import os, random
from flask import request
from werkzeug.utils import secure_filename

@app.route('/upload', methods=['POST'])
def upload():
    f = request.files['file']
    fname = str(random.randint(1, 100)) + secure_filename(f.filename)
    path = os.getcwd() + '/Files/' + fname
    f.save(path)
    return open(path).read()`,
    expect: 0,
  },

  {
    rule: 'security/xss',
    language: 'python',
    name: 'XPath query results written to the response (the document is the server\'s own)',
    code: `import lxml.etree
from flask import request

@app.route('/emp', methods=['POST'])
def emp():
    name = request.form.get('name', '')
    root = lxml.etree.parse(open('employees.xml', 'rb'))
    nodes = root.xpath(f"/Employees/Employee[@name='{name}']")
    return 'Results: ' + ', '.join(n.text for n in nodes)`,
    expect: 0,
  },
  {
    rule: 'security/xss',
    language: 'java',
    name: 'XPath evaluation result printed (the document is the server\'s own)',
    code: `public class Emp extends HttpServlet {
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String id = request.getParameter("id");
    javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    String result = xp.evaluate("/Employees/Employee[@emplid='" + id + "']", doc);
    response.getWriter().println("Your query results are: " + result);
  }
}`,
    expect: 0,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'a GET route that returns the POST handler\'s response is one finding, on the POST handler',
    code: `from flask import request

def init(app):
    @app.route('/greet', methods=['GET'])
    def greet_get():
        return greet_post()

    @app.route('/greet', methods=['POST'])
    def greet_post():
        name = request.form.get('name', '')
        return f'<p>Hello {name}</p>'`,
    expect: 1,
    line: 11,
  },
  {
    rule: 'security/xss',
    language: 'python',
    name: 'a returned flask.redirect is a redirect, not an HTML body',
    code: `import flask
from flask import request

@app.route('/go', methods=['POST'])
def go():
    target = request.form.get('next', '/')
    if target not in ('/home', '/account'):
        target = '/home'
    return flask.redirect(target)`,
    expect: 0,
  },

  // ---------------------------------------------------------------- client-controlled-authorization
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'Django: admin rights from an unsigned cookie',
    code: `from django.shortcuts import render
def panel(request):
    if request.COOKIES.get('admin') == "1":
        return render(request, 'panel.html', {'secret': SECRET})
    return render(request, 'panel.html')`,
    expect: 1,
    line: 3,
    message: /unsigned cookie `admin`/,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'Django: access granted by an address read from X-Forwarded-For',
    code: `from django.shortcuts import render
def internal(request):
    forwarded = request.META.get('HTTP_X_FORWARDED_FOR')
    if forwarded:
        ip = forwarded.split(',')[0]
    else:
        ip = request.META.get('REMOTE_ADDR')
    if ip == '127.0.0.1':
        return render(request, 'internal.html')
    return render(request, 'denied.html')`,
    expect: 1,
    line: 8,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'Flask: the User-Agent header names the administrator',
    code: `from flask import Flask, request, abort
app = Flask(__name__)
@app.route('/admin')
def admin():
    agent = request.headers.get('User-Agent')
    if agent != 'corp-admin-tool':
        abort(403)
    return 'ok'`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'Django: the logged-in user is whoever the userid cookie names',
    code: `from django.shortcuts import render
def home(request):
    profile = Profile.objects.filter(userid=request.COOKIES['userid'])[0]
    return render(request, 'home.html', {'profile': profile})`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'a role claim of a JWT verified with the server key is not client-controlled',
    code: `import jwt
from django.shortcuts import render
def panel(request):
    payload = jwt.decode(request.COOKIES['auth'], KEY, algorithms=['HS256'])
    if payload['role'] == 'admin':
        return render(request, 'admin.html')
    return render(request, 'user.html')`,
    expect: 0,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'a JWT decoded without verification is still client-controlled',
    code: `import jwt
from django.shortcuts import render
def panel(request):
    payload = jwt.decode(request.COOKIES['auth'], options={"verify_signature": False})
    if payload['role'] == 'admin':
        return render(request, 'admin.html')
    return render(request, 'user.html')`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'content negotiation, a theme cookie and a logged address grant nothing',
    code: `import logging
from django.shortcuts import render
from django.http import JsonResponse
def page(request):
    ip = request.META.get('HTTP_X_FORWARDED_FOR')
    if ip != '127.0.0.1':
        logging.warning('remote caller')
    if request.headers.get('Accept') == 'application/json':
        return JsonResponse({'ok': True})
    if request.COOKIES.get('theme') == 'dark':
        return render(request, 'dark.html')
    return render(request, 'page.html')`,
    expect: 0,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'python',
    name: 'a signed cookie is not client-controlled',
    code: `from django.shortcuts import render
def panel(request):
    if request.get_signed_cookie('role', salt='r') == 'admin':
        return render(request, 'admin.html')
    return render(request, 'user.html')`,
    expect: 0,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'javascript',
    name: 'Express: an isAdmin cookie decides',
    code: `app.get('/admin', (req, res) => {
  if (req.cookies.isAdmin === 'true') {
    return res.render('admin');
  }
  res.status(403).send('no');
});`,
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'javascript',
    name: 'Express: X-Forwarded-For against a private address',
    code: `app.get('/metrics', (req, res) => {
  const ip = req.headers['x-forwarded-for'];
  if (ip !== '10.0.0.5') return res.sendStatus(403);
  res.send(metrics());
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/client-controlled-authorization',
    language: 'javascript',
    name: 'Express: role from the session or a verified JWT is the server\'s',
    code: `const jwt = require('jsonwebtoken');
app.get('/admin', (req, res) => {
  const claims = jwt.verify(req.cookies.token, process.env.KEY);
  if (claims.role === 'admin') return res.render('admin');
  if (req.session.role === 'admin') return res.render('admin');
  res.sendStatus(403);
});`,
    expect: 0,
  },
  // ---------------------------------------------------------------- sensitive-data-logged
  {
    rule: 'security/sensitive-data-logged',
    language: 'python',
    name: 'Django: the submitted password is printed',
    code: `from django.shortcuts import render
def login_view(request):
    name = request.POST.get('name')
    password = request.POST.get('pass')
    print(name, password)
    return render(request, 'login.html')`,
    expect: 1,
    line: 5,
    message: /`password`/,
  },
  {
    rule: 'security/sensitive-data-logged',
    language: 'python',
    name: 'Flask: the whole login body is logged',
    code: `import logging
from flask import Flask, request, jsonify
app = Flask(__name__)
@app.route('/login', methods=['POST'])
def login():
    content = request.json
    logging.info(content)
    user = check(content['username'], content['password'])
    return jsonify({'ok': bool(user)})`,
    expect: 1,
    line: 7,
  },
  {
    rule: 'security/sensitive-data-logged',
    language: 'javascript',
    name: 'Express: the reset token is logged',
    code: `app.post('/reset', (req, res) => {
  const token = req.body.token;
  console.log('reset with ' + token);
  res.send('ok');
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/sensitive-data-logged',
    language: 'python',
    name: 'the user name, a hashed password and a body without secrets are not reported',
    code: `import hashlib, logging
from flask import Flask, request, jsonify
app = Flask(__name__)
@app.route('/login', methods=['POST'])
def login():
    name = request.form.get('username')
    digest = hashlib.sha256(request.form.get('password').encode()).hexdigest()
    print(name)
    logging.info(digest)
    return jsonify({'ok': True})
@app.route('/search', methods=['POST'])
def search():
    content = request.json
    print(content)
    return jsonify(find(content['q']))`,
    expect: 0,
  },
  // ---------------------------------------------------------------- plaintext-password (compare, stores)
  {
    rule: 'security/plaintext-password',
    language: 'javascript',
    name: 'login compares the stored password as is',
    code: `app.post('/login', async (req, res) => {
  const password = req.body.password;
  const user = await users.findOne({ name: String(req.body.name) });
  if (user && user.password === password) return res.redirect('/home');
  res.status(401).send('no');
});`,
    expect: 1,
    line: 4,
    message: /compared as plain text/,
  },
  {
    rule: 'security/plaintext-password',
    language: 'javascript',
    name: 'a password compared with the stored one in a DAO that a route calls',
    path: 'src/dao.js',
    code: `exports.check = (name, password, user) => {
  return user.password === password;
};`,
    files: {
      'src/routes.js': `const dao = require('./dao');
app.post('/login', (req, res) => {
  res.json({ ok: dao.check(req.body.name, req.body.password, lookup(req.body.name)) });
});`,
    },
    expect: 1,
    line: 2,
  },
  {
    rule: 'security/plaintext-password',
    language: 'javascript',
    name: 'a hash compared with the stored hash, and a password compared with its confirmation',
    code: `const crypto = require('crypto');
app.post('/login', async (req, res) => {
  const user = await users.findOne({ name: String(req.body.name) });
  const digest = crypto.createHash('sha256').update(req.body.password).digest('hex');
  if (user.password === digest) return res.redirect('/home');
  if (req.body.password !== req.body.confirm) return res.status(400).send('mismatch');
  res.status(401).send('no');
});`,
    expect: 0,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: 'Flask: a registration record with the password put into a module-level store',
    code: `from flask import Flask, request, redirect
app = Flask(__name__)
users = {}
@app.route('/register', methods=['POST'])
def register():
    name = request.form.get('username')
    password = request.form.get('password')
    users[name] = {'password': password, 'role': 'user'}
    return redirect('/')`,
    expect: 1,
    line: 8,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: "the password passed to an ORM model's generated constructor",
    code: `from flask import Flask, request, jsonify
app = Flask(__name__)
class Customer(db.Model):
    username = db.Column(db.String(80))
    password = db.Column(db.String(150))
@app.route('/customer', methods=['POST'])
def add():
    content = request.json
    password = content['password']
    db.session.add(Customer(username=content['username'], password=password))
    return jsonify({})`,
    expect: 1,
    line: 10,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: 'a fixed password set on a model record',
    code: `class User(db.Model):
    password = db.Column(db.String(80))
def seed():
    user = User()
    user.password = 'changeme123'
    db.session.add(user)`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/plaintext-password',
    language: 'python',
    name: 'a hashed password in a module-level store, a local dict, and an empty fixed password',
    code: `from flask import Flask, request, redirect
from werkzeug.security import generate_password_hash
app = Flask(__name__)
users = {}
class User(db.Model):
    password = db.Column(db.String(80))
@app.route('/register', methods=['POST'])
def register():
    name = request.form.get('username')
    users[name] = {'password': generate_password_hash(request.form.get('password'))}
    payload = {}
    payload['auth'] = {'password': request.form.get('password')}
    u = User()
    u.password = ''
    return redirect('/')`,
    expect: 0,
  },
  // ---------------------------------------------------------------- code-injection (expression evaluators)
  {
    rule: 'security/code-injection',
    language: 'javascript',
    name: 'mathjs.eval of the request body',
    code: `const mathjs = require('mathjs');
app.post('/calc', (req, res) => {
  res.json({ result: mathjs.eval(req.body.eqn) });
});`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'Pillow ImageMath.eval of a POST field',
    code: `from PIL import Image, ImageMath
from django.shortcuts import render
def lab(request):
    expr = request.POST.get('function')
    out = ImageMath.eval(expr, a=Image.open(request.FILES['f']))
    return render(request, 'x.html')`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/code-injection',
    language: 'python',
    name: 'Pillow ImageMath.eval of a constant expression',
    code: `from PIL import Image, ImageMath
from django.shortcuts import render
def lab(request):
    out = ImageMath.eval("convert(a + b, 'L')", a=Image.open(request.FILES['f']), b=BASE)
    return render(request, 'x.html')`,
    expect: 0,
  },

  // ---------------------------------------------------------------- idor (account records, token checks)
  {
    rule: 'security/idor',
    language: 'javascript',
    name: 'a user record edited by the id in the body, in a module that knows req.user',
    code: `module.exports.userEdit = function (req, res) {
  res.render('useredit', { userId: req.user.id });
};
module.exports.userEditSubmit = function (req, res) {
  db.User.find({ where: { id: req.body.id } }).then((user) => {
    user.email = req.body.email;
    user.save();
  });
};`,
    expect: 1,
    line: 5,
    message: /knows the logged-in user/,
  },
  {
    rule: 'security/idor',
    language: 'javascript',
    name: 'a catalogue product read by id in a module that knows req.user',
    code: `module.exports.product = function (req, res) {
  db.Product.find({ where: { id: req.query.id } }).then((p) => res.render('product', { p, me: req.user.id }));
};`,
    expect: 0,
  },
  {
    rule: 'security/idor',
    language: 'python',
    name: 'Flask: a token is verified, then any customer is read by the URL id',
    code: `from flask import Flask, request, jsonify
app = Flask(__name__)
@app.route('/get/<cust_id>')
def get_customer(cust_id):
    token = request.headers.get('Authorization')
    if not check_verify(token):
        return jsonify({'Error': 'Invalid Token'}), 403
    record = Customer.query.get(cust_id)
    return jsonify({'email': record.email})`,
    expect: 1,
    line: 8,
  },

  // ---------------------------------------------------------------- cleartext-sensitive-data
  {
    rule: 'security/cleartext-sensitive-data',
    language: 'javascript',
    name: 'a DAO stores the SSN a profile route passes it, unencrypted',
    path: 'app/data/profile-dao.js',
    code: `function ProfileDAO(db) {
  const users = db.collection('users');
  this.updateUser = (userId, ssn, callback) => {
    const user = {};
    if (ssn) {
      user.ssn = ssn;
    }
    users.update({ _id: parseInt(userId) }, { $set: user }, callback);
  };
}
module.exports = { ProfileDAO };`,
    files: {
      'app/routes/profile.js': `const { ProfileDAO } = require('../data/profile-dao');
function ProfileHandler(db) {
  const profile = new ProfileDAO(db);
  this.handleProfileUpdate = (req, res) => {
    profile.updateUser(req.session.userId, req.body.ssn, () => res.redirect('/'));
  };
}
module.exports = ProfileHandler;`,
    },
    expect: 1,
    line: 6,
    message: /`ssn` field is stored in clear text/,
  },
  {
    rule: 'security/cleartext-sensitive-data',
    language: 'python',
    name: 'Django: a card number from the form passed to create()',
    code: `from django.http import HttpResponse
def pay(request):
    Payment.objects.create(user=request.user, card_number=request.POST['card'])
    return HttpResponse('ok')`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/cleartext-sensitive-data',
    language: 'javascript',
    name: 'an encrypted SSN, a date of birth, and an SSN from the server itself',
    code: `const crypto = require('crypto');
app.post('/profile', async (req, res) => {
  const cipher = crypto.createCipheriv('aes-256-gcm', KEY, iv);
  const user = {};
  user.ssn = cipher.update(req.body.ssn, 'utf8', 'hex') + cipher.final('hex');
  user.dob = req.body.dob;
  await users.updateOne({ _id: req.session.userId }, { $set: user });
  await audit.insertOne({ ssn: MASKED_PLACEHOLDER });
  res.redirect('/');
});`,
    expect: 0,
  },

  // ---------------------------------------------------------------- taint through an error's text
  {
    rule: 'security/template-injection',
    language: 'python',
    name: 'the error of a query built from the search term is formatted into a template source',
    code: `from flask import Flask, request, render_template_string
app = Flask(__name__)
@app.route('/search', methods=['POST'])
def search():
    term = request.json['search']
    try:
        rows = db.engine.execute("SELECT * FROM customer WHERE username = '%s'" % term)
        return str(list(rows))
    except Exception as e:
        page = '<h3>%s</h3>' % str(e)
        return render_template_string(page), 404`,
    expect: 1,
    line: 11,
    message: /the error `e` raised in the `try`/,
  },
  {
    rule: 'security/template-injection',
    language: 'python',
    name: 'the error of a parameterised query, and of a try without request input, carry no input',
    code: `from flask import Flask, request, render_template_string
app = Flask(__name__)
@app.route('/search', methods=['POST'])
def search():
    term = request.json['search']
    try:
        rows = db.engine.execute("SELECT * FROM customer WHERE username = ?", (term,))
        return str(list(rows))
    except Exception as e:
        return render_template_string('<h3>%s</h3>' % str(e)), 404
@app.route('/report')
def report():
    try:
        return open('/var/report.txt').read()
    except OSError as e:
        return render_template_string('<p>%s</p>' % e), 500`,
    expect: 0,
  },
];
