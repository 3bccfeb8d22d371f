/**
 * Optional native helper (native/, napi-rs) for checksum and the CheckSum trailer. The TypeScript
 * path is the default; the native one is used only where `npm run bench:native` measured it faster on
 * this machine (recorded in build/native-choice.json), or when forced with KFIX_NATIVE=1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** Where `npm run bench:native` records which path was faster on this machine. */
export function nativeChoicePath(): string {
  return join(findRepoRoot(), 'build', 'native-choice.json');
}

/**
 * The helper the encoder uses: KFIX_NATIVE=1 forces it (when built), 0 forbids it, and by default it is
 * used only if the last `npm run bench:native` on this machine measured it faster than TypeScript.
 */
export function nativeHelperIfEnabled(env: NodeJS.ProcessEnv = process.env): NativeHelper | null {
  if (env.KFIX_NATIVE === '0') return null;
  if (env.KFIX_NATIVE === '1') return loadNativeHelper();
  try {
    const choice = JSON.parse(readFileSync(nativeChoicePath(), 'utf8')) as { native_faster?: boolean };
    return choice.native_faster === true ? loadNativeHelper() : null;
  } catch {
    return null; // no measurement yet: TypeScript
  }
}
