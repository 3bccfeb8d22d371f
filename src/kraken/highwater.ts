// Small persistence for monotonic high-water marks (ClOrdID sequences, nonces).
// The file store writes atomically (temp file + fsync + rename) so a crash leaves either the old or the
// new mark, never a torn file that would make ids restart from zero or fail to parse.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

export interface HighWaterStore {
  /** The persisted mark, or null when none exists yet. Throws on a corrupt store (never guess a value). */
  load(): number | null;
  save(mark: number): void;
}

export class MemoryHighWaterStore implements HighWaterStore {
  mark: number | null;
  saves = 0;
  constructor(initial: number | null = null) {
    this.mark = initial;
  }
  load(): number | null {
    return this.mark;
  }
  save(mark: number): void {
    this.mark = mark;
    this.saves++;
  }
}

export class HighWaterStoreError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`high-water file ${path}: ${detail}`);
    this.name = 'HighWaterStoreError';
  }
}

export class FileHighWaterStore implements HighWaterStore {
  constructor(readonly path: string) {}

  load(): number | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new HighWaterStoreError(this.path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const t = text.trim();
    if (!/^\d{1,16}$/.test(t) || !Number.isSafeInteger(Number(t))) {
      throw new HighWaterStoreError(this.path, 'does not contain a non-negative integer; refusing to guess a mark');
    }
    return Number(t);
  }

  save(mark: number): void {
    if (!Number.isSafeInteger(mark) || mark < 0) throw new RangeError(`high-water mark must be a safe integer >= 0`);
    const tmp = `${this.path}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${mark}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
