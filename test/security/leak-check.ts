/**
 * Helpers for the secret-leak tests: a set of needles (the API secret in its stored base64 form and
 * decoded, every logon signature seen on the wire) and a scanner for text and for whole directories;
 * a fragment of a needle counts as a leak.
 * A hit names the needle by label, never prints it, so a failing test does not leak either.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Fragment length that counts as a leak: long enough that ordinary text never matches a canary by chance. */
export const WINDOW = 8;

function windows(value: string): string[] {
  if (value.length <= WINDOW) return [value];
  const out: string[] = [];
  for (let i = 0; i + WINDOW <= value.length; i++) out.push(value.slice(i, i + WINDOW));
  return out;
}

export class Needles {
  private readonly items: { label: string; value: string; windows: string[] }[] = [];

  /** `fragments: false` matches the whole value only (for a secret that shares a prefix with public text). */
  add(label: string, value: string, fragments = true): this {
    // Short values would match by chance (e.g. a 3-byte signature prefix); every needle here is long.
    if (value.length < 12) throw new Error(`needle ${label} is too short to search for reliably`);
    if (!this.items.some((i) => i.value === value)) this.items.push({ label, value, windows: fragments ? windows(value) : [value] });
    return this;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Labels of the needles found in `text`, whole or in part: any WINDOW consecutive characters count,
   * because error messages quote fragments (V8's JSON.parse shows ten characters around the error).
   */
  find(text: string): string[] {
    return this.items.filter((i) => i.windows.some((w) => text.includes(w))).map((i) => i.label);
  }
}

/** The 554 values of every Logon in a raw FIX byte stream. */
export function signaturesIn(wire: Buffer): string[] {
  const text = wire.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\x01554=([^\x01]+)\x01/g)) out.push(m[1]!);
  return out;
}

/** Every regular file under `dir` (recursively) as [path, latin1 text]. */
export function filesUnder(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile()) out.push([path, readFileSync(path).toString('latin1')]);
  }
  return out;
}
