#!/usr/bin/env bash
# Installs yaml-language-server (pinned in benchmarks/node/package-lock.json) from the npm
# registry for benchmarks/lsp_latency.py, the comparison target for floe-lsp's latency.
# Idempotent: does nothing when the pinned version is installed already.
set -euo pipefail
here="$(cd "$(dirname "$0")/node" && pwd)"
wanted="$(node -p "require('$here/package-lock.json').packages['node_modules/yaml-language-server'].version")"
installed="$(node -p "try { require('$here/node_modules/yaml-language-server/package.json').version } catch { '' }")"
[ "$installed" = "$wanted" ] && exit 0
echo "installing yaml-language-server $wanted into $here/node_modules"
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
