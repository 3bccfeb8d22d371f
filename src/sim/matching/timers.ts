/**
 * Min-heap of (time, order key) for GTD expiry and EffectiveTime activation. Entries are never removed
 * early: a popped entry whose order is gone or changed is simply ignored (the key's generation check and
 * the order's current times decide). Ties pop in key order, so runs are reproducible.
 */
export class TimerHeap {
  n = 0;
  private time = new Float64Array(64);
  private key = new Float64Array(64);

  push(t: number, k: number): void {
    if (this.n === this.time.length) {
      const t2 = new Float64Array(this.n * 2);
      t2.set(this.time);
      this.time = t2;
      const k2 = new Float64Array(this.n * 2);
      k2.set(this.key);
      this.key = k2;
    }
    let i = this.n++;
    const tm = this.time;
    const ky = this.key;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (tm[p] < t || (tm[p] === t && ky[p] <= k)) break;
      tm[i] = tm[p];
      ky[i] = ky[p];
      i = p;
    }
    tm[i] = t;
    ky[i] = k;
  }

  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity;
  }

  peekKey(): number {
    return this.key[0];
  }

  pop(): void {
    const tm = this.time;
    const ky = this.key;
    const last = --this.n;
    if (last === 0) return;
    const t = tm[last];
    const k = ky[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      if (c + 1 < last && (tm[c + 1] < tm[c] || (tm[c + 1] === tm[c] && ky[c + 1] < ky[c]))) c++;
      if (t < tm[c] || (t === tm[c] && k <= ky[c])) break;
      tm[i] = tm[c];
      ky[i] = ky[c];
      i = c;
    }
    tm[i] = t;
    ky[i] = k;
  }
}
