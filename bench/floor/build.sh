#!/usr/bin/env bash
# Builds bench/floor/floor.cpp -> build/floor/floor: the machine-floor program that
# bench/engine.bench.ts runs after its own series (plain C++17 + pthreads, no other libraries).
# Without g++ (or $CXX): prints a notice and exits 0, so the benchmark can skip the floor visibly.
# Idempotent: a binary newer than its sources is kept.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/build/floor"
CXX="${CXX:-g++}"
SRC="$ROOT/bench/floor/floor.cpp"
HEADER="$ROOT/bench/floor/floor-parts.h"
BIN="$OUT/floor"

if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "$CXX not found; skipping the machine floor"
  exit 0
fi
if [ -x "$BIN" ] && [ "$BIN" -nt "$SRC" ] && [ "$BIN" -nt "$HEADER" ]; then
  echo "floor up to date ($BIN)"
  exit 0
fi
mkdir -p "$OUT"
# Build to a private temp name and rename, so concurrent builds never expose a half-written binary.
tmp="$BIN.tmp.$$"
trap 'rm -f "$tmp"' EXIT
"$CXX" -O2 -std=c++17 -Wall -Wextra -pthread -o "$tmp" "$SRC"
mv -f "$tmp" "$BIN"
echo "built floor ($BIN)"
