#!/usr/bin/env bash
# Installs the npm packages the tests need (VS Code extension, code-server,
# yaml-language-server for the benchmark). Skips what is already installed.
set -euo pipefail
