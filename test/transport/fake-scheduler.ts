// A Scheduler whose time moves only when the test says so (advance), recording every one-shot delay
// asked for. Sockets stay real: tests await I/O in real time and step the supervisor's timers here.
import type { Scheduler, TimerHandle } from '../../src/transport/index.js';

interface FakeTimer {
  at: number;
  fn: () => void;
  every: number;
}

export class FakeScheduler implements Scheduler {
  time = 0;
  /** Every one-shot delay requested, in order. */
  readonly requested: number[] = [];
  private readonly timers = new Map<number, FakeTimer>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    this.requested.push(ms);
    return this.add(fn, ms, 0);
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Pending one-shot timers as delays from now. */
  pendingOneShots(): number[] {
    return [...this.timers.values()].filter((t) => t.every === 0).map((t) => t.at - this.time);
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let dueId = -1;
      let due: FakeTimer | undefined;
      for (const [id, t] of this.timers) {
        if (t.at <= target && (due === undefined || t.at < due.at)) {
          due = t;
          dueId = id;
        }
      }
      if (due === undefined) break;
      this.time = Math.max(this.time, due.at);
      if (due.every > 0) due.at += due.every;
      else this.timers.delete(dueId);
      due.fn();
    }
    this.time = target;
  }

  private add(fn: () => void, ms: number, every: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn, every });
    return id;
  }
}
