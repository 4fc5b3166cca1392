#!/usr/bin/env bash
# Installs the npm packages the tests need, offline-safe and idempotent (every step checks
# a stamp and skips what is already installed):
#   1. vscode-extension/: `npm ci`, then the packaged floe-vscode-<version>.vsix;
#   2. tests/e2e/vscode/: code-server 4.100.3 (real VS Code 1.100) and playwright-core.
#      code-server's own postinstall downloads binaries, so it is installed with
#      --ignore-scripts and finished here: VS Code's dependencies, its native modules
#      rebuilt from source against this Node's headers, and Debian's ripgrep.
# The benchmark's yaml-language-server has its own step (benchmarks/lsp_setup.sh).
#
# A failure to build the extension fails the set-up. A failure to install code-server only
# warns: the end-to-end test then skips and prints the reason kept in
# tests/e2e/vscode/node_modules/.code-server-failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ext="$root/vscode-extension"
e2e="$root/tests/e2e/vscode"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node.sh: node and npm are not installed; skipping the VS Code extension and its tests" >&2
  exit 0
fi

sha() { sha256sum "$@" | sha256sum | cut -c1-16; }

# npm ci in $1 unless node_modules was installed from the same lock file and Node.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.floe-installed" want
  want="$(sha "$dir/package-lock.json") $(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "node.sh: npm ci in ${dir#"$root"/}"
  (cd "$dir" && npm ci --prefer-offline --loglevel=error)
  echo "$want" >"$stamp"
}

# --- 1. the extension and its .vsix ------------------------------------------------------
npm_ci "$ext"
version="$(node -p "require('$ext/package.json').version")"
vsix="$ext/floe-vscode-$version.vsix"
inputs=("$ext/src" "$ext/scripts" "$ext/package.json" "$ext/package-lock.json" "$ext/README.md" "$ext/LICENSE" "$ext/.vscodeignore")
[ -f "$root/schemas/floe.schema.json" ] && inputs+=("$root/schemas/floe.schema.json")
if [ ! -f "$vsix" ] || [ -n "$(find "${inputs[@]}" -newer "$vsix" -print -quit 2>/dev/null)" ]; then
  echo "node.sh: packaging ${vsix#"$root"/}"
  (cd "$ext" && npm run --silent package >/dev/null)
fi

# --- 2. code-server + playwright-core for the end-to-end test -----------------------------
failed="$e2e/node_modules/.code-server-failed"
cs="$e2e/node_modules/code-server"
ready="$cs/.floe-ready"
want_ready="$(sha "$e2e/package-lock.json") $(node --version)"
if [ -f "$ready" ] && [ "$(cat "$ready")" = "$want_ready" ]; then
  exit 0
fi

install_code_server() {
  npm_ci "$e2e"
  rm -f "$failed"
  local vscode="$cs/lib/vscode"
  local node_prefix gyp nodedir=()
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  # Build against the installed Node's headers instead of downloading them.
  [ -f "$node_prefix/include/node/node.h" ] && nodedir=("--nodedir=$node_prefix")
  gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || { echo "node-gyp not found at $gyp"; return 1; }
  command -v rg >/dev/null || { echo "ripgrep (rg) is not installed: run scripts/setup/apt.sh"; return 1; }

  echo "node.sh: installing VS Code's dependencies into code-server"
  (cd "$vscode" && npm install --omit=dev --ignore-scripts --prefer-offline --loglevel=error)
  (cd "$vscode/extensions" && npm install --omit=dev --ignore-scripts --prefer-offline --loglevel=error)

  echo "node.sh: building code-server's native modules from source"
  local module
  for module in kerberos @vscode/spdlog @vscode/deviceid native-watchdog node-pty; do
    (cd "$vscode/node_modules/$module" && node "$gyp" rebuild "${nodedir[@]}" -j 2 --loglevel=error >/dev/null) ||
      { echo "building $module failed"; return 1; }
  done
  (cd "$e2e/node_modules/argon2" &&
    node ../@mapbox/node-pre-gyp/bin/node-pre-gyp rebuild --build-from-source "${nodedir[@]}" --loglevel=error >/dev/null) ||
    { echo "building argon2 failed"; return 1; }

  # What code-server's postinstall would do after `npm install`.
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  ln -sfn "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$vscode/node_modules.asar"
  (cd "$vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
  (cd "$vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)

  local got
  got="$(XDG_CONFIG_HOME="$(mktemp -d)" node "$cs/out/node/entry.js" --version 2>&1 | tail -1)"
  case "$got" in
    4.100.3*) echo "node.sh: $got" ;;
    *) echo "code-server does not run: $got"; return 1 ;;
  esac
  echo "$want_ready" >"$ready"
}

log="$(mktemp)"
if ! install_code_server >"$log" 2>&1; then
  cat "$log" >&2
  mkdir -p "$(dirname "$failed")"
  { echo "code-server 4.100.3 could not be installed by scripts/setup/node.sh:"; tail -5 "$log"; } >"$failed"
  echo "node.sh: WARNING: code-server could not be installed; the VS Code end-to-end test will skip" >&2
else
  grep '^node.sh' "$log" || true
fi
rm -f "$log"
