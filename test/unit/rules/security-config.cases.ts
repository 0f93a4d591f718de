/**
 * Cases for the configuration and API-misuse rules of the security pack: framework debug mode, JWT
 * signature checks turned off, template autoescaping turned off, session cookie flags in framework
 * settings (src/core/offline/rules/security/{debug-mode,jwt-verification,autoescape,insecure-cookie}.ts).
 */
import type { RuleCase } from '../../support/ruleHarness';

const DJANGO_SETTINGS = `import os
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = True
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.auth"]
`;

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- debug-mode
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'Django settings module with DEBUG = True',
    path: 'mysite/settings.py',
    code: DJANGO_SETTINGS,
    expect: 1,
    line: 3,
    message: /DEBUG = True/,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'DEBUG read from the environment',
    path: 'mysite/settings.py',
    code: `import os
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.auth"]
`,
    expect: 0,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'settings module for development (settings/dev.py)',
    path: 'mysite/settings/dev.py',
    code: DJANGO_SETTINGS,
    expect: 0,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'settings module for development (local_settings.py)',
    path: 'mysite/local_settings.py',
    code: DJANGO_SETTINGS,
    expect: 0,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'a DEBUG flag in a module that is not Django settings',
    path: 'tools/flags.py',
    code: 'DEBUG = True\nVERBOSE = False\nSECRET_KEY = None\n',
    expect: 0,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'Flask app.run(debug=True) on all interfaces, app.debug and app.config["DEBUG"]',
    code: `from flask import Flask
app = Flask(__name__)
app.debug = True
app.config["DEBUG"] = True
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
`,
    expect: 3,
    line: 3,
  },
  {
    rule: 'security/debug-mode',
    language: 'python',
    name: 'debug on objects that are not a Flask app; Flask run without debug',
    code: `from flask import Flask
import logging
app = Flask(__name__)
runner = make_runner()
runner.run(debug=True)
logging.debug = True
app.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- jwt-verification-disabled
  {
    rule: 'security/jwt-verification-disabled',
    language: 'python',
    name: 'PyJWT verify=False, verify_signature False and the none algorithm',
    code: `import jwt
def user_of(token):
    claims = jwt.decode(token, verify=False)
    other = jwt.decode(token, key, options={"verify_signature": False})
    third = jwt.decode(token, key, algorithms=["HS256", "none"])
    return claims["sub"]
`,
    expect: 3,
    line: 3,
    message: /verify=False/,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'python',
    name: 'verified decode; an unverified peek named as such',
    code: `import jwt
def user_of(token):
    unverified = jwt.decode(token, options={"verify_signature": False})
    key = keys[unverified["iss"]]
    return jwt.decode(token, key, algorithms=["RS256"], options={"require": ["exp"]})
`,
    expect: 0,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'javascript',
    name: 'jsonwebtoken with the none algorithm; jwt-simple noVerify',
    code: `const jwt = require('jsonwebtoken');
const simple = require('jwt-simple');
function user(token) {
  const a = jwt.verify(token, key, { algorithms: ['none', 'HS256'] });
  const b = simple.decode(token, key, true);
  return a.sub || b.sub;
}`,
    expect: 2,
    line: 4,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'typescript',
    name: 'jsonwebtoken verify with real algorithms',
    code: `import jwt from 'jsonwebtoken';
export function user(token: string) {
  return jwt.verify(token, key, { algorithms: ['RS256'] });
}`,
    expect: 0,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'go',
    name: 'golang-jwt key function allowing none',
    code: `package auth
import "github.com/golang-jwt/jwt/v5"
func parse(s string) (*jwt.Token, error) {
	return jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return jwt.UnsafeAllowNoneSignatureType, nil })
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'go',
    name: 'golang-jwt key function returning the key',
    code: `package auth
import "github.com/golang-jwt/jwt/v5"
func parse(s string) (*jwt.Token, error) {
	return jwt.Parse(s, func(t *jwt.Token) (interface{}, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
}`,
    expect: 0,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'java',
    name: 'jjwt parseClaimsJwt (unsigned tokens)',
    code: `class Auth {
  Claims claims(String token) {
    return Jwts.parser().setSigningKey(key).parseClaimsJwt(token).getBody();
  }
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/jwt-verification-disabled',
    language: 'java',
    name: 'jjwt parseClaimsJws (signed tokens)',
    code: `class Auth {
  Claims claims(String token) {
    return Jwts.parser().setSigningKey(key).parseClaimsJws(token).getBody();
  }
}`,
    expect: 0,
  },

  // ---------------------------------------------------------------- autoescape-disabled
  {
    rule: 'security/autoescape-disabled',
    language: 'python',
    name: 'aiohttp_jinja2.setup(autoescape=False)',
    code: `from aiohttp.web import Application
from aiohttp_jinja2 import setup as setup_jinja
from jinja2.loaders import PackageLoader
def init():
    app = Application()
    setup_jinja(app, loader=PackageLoader("shop", "templates"),
                autoescape=False)
    return app
`,
    expect: 1,
    line: 6,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'python',
    name: 'Flask jinja_env.autoescape and Django TEMPLATES option',
    code: `from flask import Flask
app = Flask(__name__)
app.jinja_env.autoescape = False
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"autoescape": False}}]
`,
    expect: 2,
    line: 3,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'python',
    name: 'Jinja2 without escaping outside a web application (code generation)',
    code: `import jinja2
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=False)
print(env.get_template("model.py.j2").render(fields=fields))
`,
    expect: 0,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'python',
    name: 'Jinja2 with escaping on in a web application',
    code: `from flask import Flask
import jinja2
app = Flask(__name__)
env = jinja2.Environment(autoescape=jinja2.select_autoescape(["html"]))
`,
    expect: 0,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'javascript',
    name: 'swig setDefaults autoescape false in an Express app',
    code: `const express = require('express');
const swig = require('swig');
const app = express();
swig.setDefaults({
  autoescape: false
});`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'javascript',
    name: 'nunjucks with escaping on in an Express app',
    code: `const express = require('express');
const nunjucks = require('nunjucks');
nunjucks.configure('views', { autoescape: true, express: app });`,
    expect: 0,
  },
  {
    rule: 'security/autoescape-disabled',
    language: 'javascript',
    name: 'nunjucks without escaping in a static-site build script (no web server)',
    code: `const nunjucks = require('nunjucks');
nunjucks.configure('content', { autoescape: false });`,
    expect: 0,
  },

  // ---------------------------------------------------------------- insecure-cookie (framework settings)
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'aiohttp_session storage with httponly=False; Flask config HttpOnly off',
    code: `from aiohttp_session.redis_storage import RedisStorage
from flask import Flask
app = Flask(__name__)
def make(redis):
    return RedisStorage(redis, httponly=False)
app.config["SESSION_COOKIE_HTTPONLY"] = False
app.config.update(SESSION_COOKIE_SECURE=False)
`,
    expect: 3,
    line: 5,
    message: /httponly=False/,
  },
  {
    rule: 'security/insecure-cookie',
    language: 'python',
    name: 'aiohttp_session storage with default flags; Flask config flags on',
    code: `from aiohttp_session.cookie_storage import EncryptedCookieStorage
app.config["SESSION_COOKIE_HTTPONLY"] = True
app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")
def make(key):
    return EncryptedCookieStorage(key, max_age=3600)
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- session-fixation
  {
    rule: 'security/session-fixation',
    language: 'javascript',
    name: 'Express login stores the user in the session it arrived with',
    code: `function SessionHandler(db) {
  this.login = (req, res, next) => {
    users.validateLogin(req.body.userName, req.body.password, (err, user) => {
      if (err) return next(err);
      req.session.userId = user._id;
      return res.redirect('/dashboard');
    });
  };
  this.signup = (req, res, next) => {
    users.add(req.body, (err, user) => {
      req.session.regenerate(() => {
        req.session.userId = user._id;
        res.redirect('/dashboard');
      });
    });
  };
}`,
    files: { 'server.js': `const session = require('express-session');\napp.use(session({ secret: process.env.SECRET }));\n` },
    expect: 1,
    line: 5,
    message: /session fixation/,
  },
  {
    rule: 'security/session-fixation',
    language: 'javascript',
    name: 'Express login that regenerates first; logout clearing the user',
    code: `exports.login = (req, res, next) => {
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = req.user.id;
    res.redirect('/');
  });
};
exports.logout = (req, res) => {
  req.session.userId = null;
  req.session.theme = req.body.theme;
  res.redirect('/');
};`,
    files: { 'server.js': `const session = require('express-session');\napp.use(session({ secret: process.env.SECRET }));\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'javascript',
    name: 'a name that only contains "login" as letters (catalogInfo, dialogInit) is no login',
    code: `exports.catalogInfo = (req, res) => {
  req.session.user = req.body.owner;
  res.redirect('/catalog');
};
exports.dialogInit = (req, res) => {
  req.session.userId = req.query.id;
  res.render('dialog');
};`,
    files: { 'server.js': `const session = require('express-session');\napp.use(session({ secret: process.env.SECRET }));\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'a view named for neither, whose password check (verifyPassword) makes it a login',
    code: `from django.shortcuts import redirect
def submit(request):
    user = User.objects.get(name=request.POST["name"])
    if user.verifyPassword(request.POST["password"]):
        request.session["user_id"] = user.id
    return redirect("/")
`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/session-fixation',
    language: 'javascript',
    name: 'a profile edit that refreshes the user already in the session',
    code: `exports.updateProfile = async (req, res) => {
  const user = await User.findByIdAndUpdate(req.session.userId, { bio: req.body.bio }, { new: true });
  req.session.user = user;
  res.redirect('/profile');
};`,
    files: { 'server.js': `const session = require('express-session');\napp.use(session({ secret: process.env.SECRET }));\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'javascript',
    name: 'cookie-session (the whole session is in the cookie)',
    code: `exports.login = (req, res) => {
  req.session.userId = req.user.id;
  res.redirect('/');
};`,
    files: { 'server.js': `const cookieSession = require('cookie-session');\napp.use(cookieSession({ keys: [process.env.KEY] }));\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'aiohttp_session with Redis storage: user stored in the existing session',
    code: `from aiohttp_session import get_session
async def login(request):
    session = await get_session(request)
    session['last_visited'] = now()
    user = await check(request)
    if user:
        session['user_id'] = user.id
    return {}`,
    files: { 'app/middlewares.py': `from aiohttp_session.redis_storage import RedisStorage\ndef make(redis):\n    return RedisStorage(redis)\n` },
    expect: 1,
    line: 7,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'aiohttp_session login with new_session',
    code: `from aiohttp_session import new_session
async def login(request):
    user = await check(request)
    session = await new_session(request)
    session['user_id'] = user.id
    return {}`,
    files: { 'app/middlewares.py': `from aiohttp_session.redis_storage import RedisStorage\ndef make(redis):\n    return RedisStorage(redis)\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'aiohttp_session with an encrypted cookie storage (no server-side id)',
    code: `from aiohttp_session import get_session
async def login(request):
    session = await get_session(request)
    session['user_id'] = (await check(request)).id
    return {}`,
    files: { 'app/middlewares.py': `from aiohttp_session.cookie_storage import EncryptedCookieStorage\ndef make(key):\n    return EncryptedCookieStorage(key)\n` },
    expect: 0,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'Django view storing the user id by hand',
    code: `from django.shortcuts import redirect
def sign_in(request):
    user = User.objects.get(name=request.POST["name"])
    if user.check_password(request.POST["password"]):
        request.session["user_id"] = user.id
    return redirect("/")`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/session-fixation',
    language: 'python',
    name: 'Django view that logs in with django.contrib.auth.login',
    code: `from django.contrib.auth import authenticate, login
def sign_in(request):
    user = authenticate(request, username=request.POST["name"], password=request.POST["password"])
    if user:
        login(request, user)
        request.session["user_role"] = user.role
    return redirect("/")`,
    expect: 0,
  },

  // ---------------------------------------------------------------- predictable-reset-token
  {
    rule: 'security/predictable-reset-token',
    language: 'javascript',
    name: 'reset link checked against md5 of the login',
    code: `const md5 = require('md5');
module.exports.resetPw = function (req, res) {
  db.User.find({ where: { login: req.query.login } }).then((user) => {
    if (req.query.token == md5(req.query.login)) {
      res.render('resetpw', { login: req.query.login });
    }
  });
};`,
    expect: 1,
    line: 4,
    message: /compute the token/,
  },
  {
    rule: 'security/predictable-reset-token',
    language: 'typescript',
    name: 'random reset token; an md5 of the e-mail for a Gravatar URL',
    code: `import crypto from 'node:crypto';
import md5 from 'md5';
export function forgotPassword(email: string) {
  const resetToken = crypto.randomBytes(32).toString('hex');
  const avatar = 'https://www.gravatar.com/avatar/' + md5(email.trim().toLowerCase());
  return { resetToken, avatar };
}`,
    expect: 0,
  },
  {
    rule: 'security/predictable-reset-token',
    language: 'python',
    name: 'reset token = md5(email + now)',
    code: `import hashlib
from datetime import datetime
def reset_password(request):
    email = request.form.get("email")
    token = hashlib.md5(f"{email}:{datetime.now()}".encode()).hexdigest()
    tokens[token] = email
`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/predictable-reset-token',
    language: 'python',
    name: 'reset token with a secret key (HMAC-like) and a random one',
    code: `import hashlib, secrets
def reset_password(request):
    email = request.form.get("email")
    token = hashlib.sha256((email + settings.SECRET_KEY).encode()).hexdigest()
    other_token = secrets.token_urlsafe(32)
    return token, other_token
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- insecure-random (a helper named where it is used)
  {
    rule: 'security/insecure-random',
    language: 'python',
    name: 'a helper returning random.choices whose callers store a ticket code',
    code: `import random, string
def gen():
    return ''.join(random.choices(string.ascii_letters, k=10))
def buy(request):
    ticket_code = gen()
    Ticket(user=request.user, code=ticket_code).save()
`,
    expect: 1,
    line: 3,
    message: /ticket_code/,
  },
  {
    rule: 'security/insecure-random',
    language: 'javascript',
    name: 'a helper returning Math.random whose callers pick a colour or a retry delay',
    code: `function pick() {
  return Math.floor(Math.random() * 6);
}
const colour = palette[pick()];
const retryDelay = 100 * pick();`,
    expect: 0,
  },

  // ---------------------------------------------------------------- missing-security-headers
  {
    rule: 'security/missing-security-headers',
    language: 'javascript',
    name: 'Express app rendering views with no header middleware',
    code: `var express = require('express');
var session = require('express-session');
var app = express();
app.set('view engine', 'ejs');
app.use(session({ secret: process.env.SECRET }));
app.listen(3000);`,
    expect: 1,
    line: 3,
    message: /X-Powered-By/,
  },
  {
    rule: 'security/missing-security-headers',
    language: 'javascript',
    name: 'Express app rendering views behind helmet',
    code: `const express = require('express');
const helmet = require('helmet');
const app = express();
app.use(helmet());
app.set('view engine', 'ejs');`,
    expect: 0,
  },
  {
    rule: 'security/missing-security-headers',
    language: 'typescript',
    name: 'Express JSON API (no views); an app setting the headers by hand',
    code: `import express from 'express';
const api = express();
api.use(express.json());
api.get('/v1/items', (req, res) => res.json([]));
const site = express();
site.engine('html', render);
site.use((req, res, next) => { res.setHeader('Content-Security-Policy', "default-src 'self'"); next(); });`,
    expect: 0,
  },
  {
    rule: 'security/missing-security-headers',
    language: 'typescript',
    name: 'Express app (default import) with an engine and no header middleware',
    code: `import express from 'express';
import { engine } from 'express-handlebars';
export const app = express();
app.engine('handlebars', engine());`,
    expect: 1,
    line: 3,
  },
];

