#!/usr/bin/env bash
# The pre-commit hook of Persona Review (.pre-commit-hooks.yaml, id persona-review): reviews the staged
# changes offline and exits 1 on a finding of high severity or worse, so the commit is blocked. Accept a
# finding with an inline `persona-review-ignore <rule> -- <reason>` comment or the suppressions file.
# Arguments from the hook's `args:` come after the defaults and win (`--fail-on critical`, `-p security`).
# The first run in pre-commit's clone of this repository installs the dependencies and builds the CLI.
# Exit codes are the CLI's (0 pass, 1 findings, 2 bad usage, 3 incomplete), except that a commit with
# nothing the reviewer reads (only lock files, images, generated files) passes.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="$here/dist/cli.js"
if [ ! -f "$cli" ]; then
  echo "persona-review: first run of this hook version: installing and building (npm ci; about a minute)..." >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2 && node scripts/build.mjs --quiet >&2) || exit 2
fi
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
node "$cli" review --staged --provider offline --fail-on high --no-ledger "$@" 2> >(tee "$errors" >&2)
code=$?
wait
if [ "$code" -eq 2 ] && grep -q '^persona-review: No reviewable changes' "$errors"; then
  echo "persona-review: nothing reviewable in this commit; passing." >&2
  exit 0
fi
exit "$code"
