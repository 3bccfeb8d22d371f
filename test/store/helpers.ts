/** Shared helpers for the store tests: temp directories and byte comparisons. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageStore } from '../../src/store/index.js';

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kfix-store-${tag}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Everything replay(begin, end) yields, copied, as [seq, latin1 text] pairs. */
export function replayAll(store: MessageStore, begin = 1, end = 0): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  store.replay(begin, end, (seq, bytes) => out.push([seq, Buffer.from(bytes).toString('latin1')]));
  return out;
}

export function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
