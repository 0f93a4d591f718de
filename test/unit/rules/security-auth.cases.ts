/**
 * Cases for the authentication-policy rules of the security pack: password rules that accept short
 * passwords and logins that reveal which users exist
 * (src/core/offline/rules/security/{password-policy,user-enumeration}.ts).
 */
import type { RuleCase } from '../../support/ruleHarness';

export const cases: RuleCase[] = [
  // ---------------------------------------------------------------- weak-password-policy
  {
    rule: 'security/weak-password-policy',
    language: 'javascript',
    name: 'sign-up password pattern of 1 to 20 characters',
    code: `function validateSignup(userName, password, errors) {
  const USER_RE = /^.{1,20}$/;
  const PASS_RE = /^.{1,20}$/;
  if (!USER_RE.test(userName)) errors.user = 'bad';
  if (!PASS_RE.test(password)) errors.password = 'bad';
}`,
    expect: 1,
    line: 3,
    message: /1 character/,
  },
  {
    rule: 'security/weak-password-policy',
    language: 'javascript',
    name: 'password pattern with a lookahead of 8+; a short user-name pattern; a digit check',
    code: `function validateSignup(userName, password) {
  const PASS_RE = /^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z]).{8,}$/;
  const USER_RE = /^.{1,20}$/;
  const hasDigit = /\\d/.test(password);
  return PASS_RE.test(password) && USER_RE.test(userName) && hasDigit;
}`,
    expect: 0,
  },
  {
    rule: 'security/weak-password-policy',
    language: 'typescript',
    name: 'password length check of 6 and a pattern applied to the password',
    code: `export function validatePassword(password: string): string | undefined {
  if (password.length < 6) return 'too short';
  if (!/^[a-zA-Z0-9]{4,64}$/.test(password)) return 'bad characters';
  return undefined;
}`,
    expect: 2,
    line: 2,
  },
  {
    rule: 'security/weak-password-policy',
    language: 'python',
    name: 'len(password) < 6 and re.fullmatch of a 4-character pattern',
    code: `import re
def register(request):
    password = request.form["password"]
    if len(password) < 6:
        return "too short"
    if not re.fullmatch(r"^\\w{4,}$", password):
        return "invalid"
`,
    expect: 2,
    line: 4,
  },
  {
    rule: 'security/weak-password-policy',
    language: 'python',
    name: 'len(password) < 12; a maximum for bcrypt; a short user name',
    code: `def register(username, password):
    if len(password) < 12:
        raise ValueError("at least 12 characters")
    if len(password) > 72:
        raise ValueError("at most 72 bytes")
    if len(username) < 3:
        raise ValueError("user name too short")
`,
    expect: 0,
  },

  {
    rule: 'security/weak-password-policy',
    language: 'python',
    name: 'a console prompt demo asking for 5 characters (no account)',
    code: `if __name__ == "__main__":
    while True:
        password = Prompt.ask("Please enter a password", password=True)
        if len(password) >= 5:
            break
`,
    expect: 0,
  },

  // ---------------------------------------------------------------- user-enumeration
  {
    rule: 'security/user-enumeration',
    language: 'javascript',
    name: 'different messages for an unknown user and a wrong password',
    code: `this.handleLogin = (req, res, next) => {
  users.validateLogin(req.body.userName, req.body.password, (err, user) => {
    const invalidUserNameErrorMessage = "Invalid username";
    const invalidPasswordErrorMessage = "Invalid password";
    if (err && err.noSuchUser) return res.render('login', { loginError: invalidUserNameErrorMessage });
    if (err && err.invalidPassword) return res.render('login', { loginError: invalidPasswordErrorMessage });
    return res.redirect('/');
  });
};`,
    expect: 1,
    line: 3,
    message: /Invalid password/,
  },
  {
    rule: 'security/user-enumeration',
    language: 'javascript',
    name: 'one message for both; a sign-up form that says the user name is taken',
    code: `exports.login = (req, res) => {
  const user = users.find(req.body.userName);
  if (!user || !user.check(req.body.password)) return res.status(401).send('Invalid username or password');
  res.redirect('/');
};
exports.signup = (req, res) => {
  if (users.find(req.body.userName)) return res.send('That user name is taken');
  if (req.body.password !== req.body.confirm) return res.send('Passwords do not match');
};`,
    expect: 0,
  },
  {
    rule: 'security/user-enumeration',
    language: 'python',
    name: 'Flask login: User not found / Wrong password',
    code: `@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(name=request.form["name"]).first()
    if user is None:
        flash("User not found")
        return redirect("/login")
    if not user.check_password(request.form["password"]):
        flash("Wrong password")
        return redirect("/login")
    return redirect("/")
`,
    expect: 1,
    line: 5,
  },
  {
    rule: 'security/user-enumeration',
    language: 'python',
    name: 'a handler whose name only contains "login" as letters (catalog_info) is no login',
    code: `@app.route("/catalog/info", methods=["POST"])
def catalog_info():
    user = User.query.filter_by(name=request.form["name"]).first()
    if user is None:
        flash("User not found")
        return redirect("/catalog")
    if not user.check_password(request.form["password"]):
        flash("Wrong password")
    return redirect("/catalog")
`,
    expect: 0,
  },
  {
    rule: 'security/user-enumeration',
    language: 'python',
    name: 'Flask login with one combined message',
    code: `@app.route("/login", methods=["POST"])
def login():
    user = User.query.filter_by(name=request.form["name"]).first()
    if user is None or not user.check_password(request.form["password"]):
        flash("Invalid username or password")
        return redirect("/login")
    return redirect("/")
`,
    expect: 0,
  },

  {
    rule: 'security/user-enumeration',
    language: 'javascript',
    name: 'sign-up format errors and a log line are not login answers',
    code: `function SessionHandler(db) {
  this.login = (req, res) => {
    users.validateLogin(req.body.userName, req.body.password, (err, user) => {
      if (err) {
        console.log("Error: attempt to login with invalid user: ", req.body.userName);
        return res.render('login', { loginError: 'Invalid username or password' });
      }
      res.redirect('/');
    });
  };
  const validateSignup = (userName, password, errors) => {
    if (!/^\\w{1,20}$/.test(userName)) errors.userNameError = "Invalid user name.";
    if (password.length < 12) errors.passwordError = "Invalid password.";
  };
}`,
    expect: 0,
  },
  {
    rule: 'security/weak-password-policy',
    language: 'javascript',
    name: 'a check that a password was given at all',
    code: `module.exports.userEdit = function (req, res) {
  if (req.body.password.length > 0 && req.body.cpassword.length > 0) {
    user.password = hash(req.body.password);
  }
};`,
    expect: 0,
  },
  // ---------------------------------------------------------------- fast-password-hash
  {
    rule: 'security/fast-password-hash',
    language: 'python',
    name: 'hashlib.sha256 of the password',
    code: `import hashlib
def custom_hash(password):
    return hashlib.sha256(password.encode()).hexdigest()[::-1]
`,
    expect: 1,
    line: 3,
    message: /sha256/,
  },
  {
    rule: 'security/fast-password-hash',
    language: 'python',
    name: 'pbkdf2_hmac and scrypt of the password; sha256 of a file',
    code: `import hashlib, os
def store(password):
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    other = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return salt + key
def fingerprint(data):
    return hashlib.sha256(data).hexdigest()
`,
    expect: 0,
  },
  {
    rule: 'security/fast-password-hash',
    language: 'javascript',
    name: 'crypto.createHash("sha512").update(password)',
    code: `const crypto = require('crypto');
function hashPassword(password) {
  return crypto.createHash('sha512').update(password).digest('hex');
}`,
    expect: 1,
    line: 3,
  },
  {
    rule: 'security/fast-password-hash',
    language: 'typescript',
    name: 'crypto.scrypt of the password; sha256 of a request body',
    code: `import crypto from 'node:crypto';
export function derive(password: string, salt: Buffer) {
  return crypto.scryptSync(password, salt, 64);
}
export function etag(body: string) {
  return crypto.createHash('sha256').update(body).digest('base64');
}`,
    expect: 0,
  },
  {
    rule: 'security/fast-password-hash',
    language: 'go',
    name: 'sha256.Sum256 of the password',
    code: `package auth
import "crypto/sha256"
func hashPassword(password string) [32]byte {
	return sha256.Sum256([]byte(password))
}`,
    expect: 1,
    line: 4,
  },
  {
    rule: 'security/fast-password-hash',
    language: 'go',
    name: 'bcrypt of the password; sha256 of a file',
    code: `package auth
import (
	"crypto/sha256"
	"golang.org/x/crypto/bcrypt"
)
func hashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
}
func sum(data []byte) [32]byte { return sha256.Sum256(data) }`,
    expect: 0,
  },
];

