/**
 * Optional native helper (native/, napi-rs) for checksum and the CheckSum trailer. The TypeScript
 * path is the default; the native one is used only when asked for (KFIX_NATIVE=1) and present, because
 * `npm run bench:native` measures which is faster and the N-API call costs more than it saves on
 * messages of a few hundred bytes (see README for the measured ratio).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeHelper {
  checksum(buf: Uint8Array, start: number, end: number): number;
  /** Writes `10=NNN<SOH>` at end over [start, end); returns the offset after it. */
  writeTrailer(buf: Uint8Array, start: number, end: number): number;
}

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) return dir;
    dir = resolve(dir, '..');
  }
  return dir;
}

let cached: NativeHelper | null | undefined;

/** Loads the built addon if there is one; null on a machine without it (no Rust, not built). */
export function loadNativeHelper(): NativeHelper | null {
  if (cached !== undefined) return cached;
  cached = null;
  const dir = join(findRepoRoot(), 'native');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('kfix-native.') && f.endsWith('.node')) : undefined;
  if (file) {
    try {
      cached = createRequire(import.meta.url)(join(dir, file)) as NativeHelper;
    } catch {
      cached = null; // a stale or foreign-platform build: fall back to TypeScript
    }
  }
  return cached;
}

/** The native helper only when the operator opted in and it is present. */
export function nativeHelperIfEnabled(env: NodeJS.ProcessEnv = process.env): NativeHelper | null {
  return env.KFIX_NATIVE === '1' ? loadNativeHelper() : null;
}
