#!/usr/bin/env bash
# Builds the QuickFIX C++ reference peers and benches (test-only; kfix never links QuickFIX).
#   test/peers/quickfix/*.cpp  bench/quickfix/*.cpp  ->  build/quickfix/<name>
# Needs Debian's libquickfix-dev (1.15.1). Without it: prints a notice and exits 0, so callers
# can skip visibly. Idempotent: a binary newer than its source and the shared header is kept.
# The XML dictionary is not shipped by Debian; the programs take --dict (default
# <repo>/../shared/spec/FIX44.xml, found from the executable's location).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/build/quickfix"
CXX="${CXX:-g++}"

if [ ! -f /usr/include/quickfix/Session.h ]; then
  echo "libquickfix-dev not installed; skipping"
  exit 0
fi
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "$CXX not found; skipping"
  exit 0
fi

mkdir -p "$OUT"
# QuickFIX 1.15.1 headers use dynamic exception specifications, removed in C++17.
FLAGS=(-O2 -std=gnu++14 -Wall -Wno-deprecated -Wno-deprecated-declarations
       -I "$ROOT/test/peers/quickfix")
LIBS=(-lquickfix -lpthread -ldl)
COMMON_HEADER="$ROOT/test/peers/quickfix/peer-common.h"

built=0
kept=0
shopt -s nullglob
for src in "$ROOT"/test/peers/quickfix/*.cpp "$ROOT"/bench/quickfix/*.cpp; do
  name="$(basename "$src" .cpp)"
  bin="$OUT/$name"
  if [ -x "$bin" ] && [ "$bin" -nt "$src" ] && { [ ! -f "$COMMON_HEADER" ] || [ "$bin" -nt "$COMMON_HEADER" ]; }; then
    kept=$((kept + 1))
    continue
  fi
  echo "building $name"
  # Build to a private temp name and rename, so concurrent builds never expose a half-written binary.
  tmp="$bin.tmp.$$"
  "$CXX" "${FLAGS[@]}" -o "$tmp" "$src" "${LIBS[@]}"
  mv -f "$tmp" "$bin"
  built=$((built + 1))
done
echo "quickfix peers: $built built, $kept up to date ($OUT)"
