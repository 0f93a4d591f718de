/**
 * What kind of file a path is, by the naming conventions of the five languages' test runners
 * (Jest/Vitest/Mocha `*.test.*`/`*.spec.*` and `__tests__/`, pytest `test_*.py`/`*_test.py`/`conftest.py`,
 * `go test` `*_test.go`, JUnit/Maven `*Test.java`/`*Tests.java`). One definition for the provider
 * (finding a project's tests) and the rules (skipping code that does not ship).
 *
 * Pass paths relative to the review ({@link ProjectIndex.relativeToReview}) so that a folder the user
 * chose to review is never treated as a test folder because of where it sits.
 */

/** True for a test file: a file a test runner would pick up, or any file under a test folder. */
export function isTestPath(p: string): boolean {
  const b = p.slice(p.lastIndexOf('/') + 1);
  return (
    /\.(test|spec)\.[cm]?[jt]sx?$/.test(b) ||
    /^test_.*\.py$/.test(b) ||
    /_test\.(py|go)$/.test(b) ||
    b === 'tests.py' ||
    b === 'test.py' ||
    b === 'conftest.py' ||
    /Tests?\.java$/.test(b) ||
    /(^|\/)(test|tests|__tests__|spec|specs|testing)\//.test(p)
  );
}

/**
 * True for code that does not ship to production: tests, and fixtures, mocks, test data, examples,
 * samples, demos and stories. Security and operations rules skip these (a fixed password in a fixture
 * is not a leak; a demo server needs no health check).
 */
export function isNonProductionPath(p: string): boolean {
  return (
    isTestPath(p) ||
    /(^|\/)(__mocks__|testdata|fixtures?|mocks?|examples?|samples?|demos?|e2e)\//i.test(p) ||
    /(\.|_|-)(test|spec|mock|stories)\.[a-z]+$/i.test(p) ||
    /(^|\/)[^/]*IT\.java$/.test(p)
  );
}

/**
 * True for a file of an installed third-party package rather than the project's own code: under
 * `node_modules/` (npm), `bower_components/`, `site-packages/` or `dist-packages/` (pip), or a Go
 * module cache folder (`pkg/mod/<module>@<version>/`). Such packages are published without their
 * tests, so a missing test there says nothing about the package.
 */
export function isInstalledPackagePath(p: string): boolean {
  return /(^|\/)(node_modules|bower_components|jspm_packages|site-packages|dist-packages)\//.test(p) || /(^|\/)pkg\/mod\/.+@v\d[^/]*\//.test(p);
}
