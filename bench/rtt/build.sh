#!/usr/bin/env bash
# Builds bench/rtt/qf-rtt.cpp -> build/quickfix/qf-rtt (the QuickFIX C++ round-trip peer).
# Same toolchain rules as scripts/build-quickfix.sh: needs Debian's libquickfix-dev; without it
# prints a notice and exits 0 so the benchmark can skip QuickFIX visibly. Idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/build/quickfix"
CXX="${CXX:-g++}"
SRC="$ROOT/bench/rtt/qf-rtt.cpp"
HEADER="$ROOT/test/peers/quickfix/peer-common.h"
BIN="$OUT/qf-rtt"

if [ ! -f /usr/include/quickfix/Session.h ]; then
  echo "libquickfix-dev not installed; skipping qf-rtt"
  exit 0
fi
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "$CXX not found; skipping qf-rtt"
  exit 0
fi
if [ -x "$BIN" ] && [ "$BIN" -nt "$SRC" ] && [ "$BIN" -nt "$HEADER" ]; then
  echo "qf-rtt up to date ($BIN)"
  exit 0
fi
mkdir -p "$OUT"
# QuickFIX 1.15.1 headers use dynamic exception specifications, removed in C++17.
tmp="$BIN.tmp.$$"
"$CXX" -O2 -std=gnu++14 -Wall -Wno-deprecated -Wno-deprecated-declarations \
  -I "$ROOT/test/peers/quickfix" -o "$tmp" "$SRC" -lquickfix -lpthread -ldl
mv -f "$tmp" "$BIN"
echo "built qf-rtt ($BIN)"
