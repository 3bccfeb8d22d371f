/** Tiny argv reader for benchmarks: flags and `--name value` options, with clear errors. */

export class BenchArgs {
  constructor(private readonly argv: string[] = process.argv.slice(2)) {}

  has(flag: string): boolean {
    return this.argv.includes(flag);
  }

  string(name: string): string | undefined {
    const i = this.argv.indexOf(name);
    if (i < 0) return undefined;
    const v = this.argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  }

  /** Non-negative number option; `integer` rejects fractions. */
  number(name: string, dflt: number, integer = true): number {
    const s = this.string(name);
    if (s === undefined) return dflt;
    const v = Number(s);
    if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
      throw new Error(`${name} needs a non-negative ${integer ? 'integer' : 'number'}, got '${s}'`);
    }
    return v;
  }

  list(name: string): string[] | undefined {
    const s = this.string(name);
    return s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  }
}
