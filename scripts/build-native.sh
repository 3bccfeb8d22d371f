#!/usr/bin/env bash
# Builds the optional napi-rs helper in native/ with @napi-rs/cli. Without cargo it says so and exits 0:
# the engine and the tests run on the pure TypeScript path.
set -euo pipefail
cd "$(dirname "$0")/../native"
if ! command -v cargo >/dev/null 2>&1; then
  echo "build-native: cargo not found; the pure TypeScript codec will be used"
  exit 0
fi
npx --no-install napi build --release --platform . 2>&1 | grep -v 'napi-derive' || true
ls kfix-native.*.node >/dev/null 2>&1 || { echo "build-native: build failed" >&2; exit 1; }
