/**
 * Hosting strategies in piscina workers (main thread side): one long-running task per strategy on a
 * pool sized to the strategies, restart with backoff when a strategy throws or its thread dies, and every
 * failure reported to the caller (the engine puts it in health() and its error callback).
 */
import { Piscina } from 'piscina';
import { piscinaEntry, siblingModule } from './loader.js';
import { StrategyControl, StrategyState, STRATEGY_STATE_NAMES } from './protocol.js';
import type { StrategyTaskInput, StrategyTaskResult } from './task.js';

export interface HostedStrategy {
  readonly input: StrategyTaskInput;
}

export interface StrategyFailure {
  readonly strategy: string;
  readonly error: Error;
  /** Restarts done so far (after this failure, one more is scheduled unless `final`). */
  readonly restarts: number;
  /** No more restarts: the strategy stays down. */
  readonly final: boolean;
}

export interface StrategyHostOptions {
  /** Restarts per strategy before giving up (default 5). */
  maxRestarts?: number;
  /** First restart delay; doubles per restart up to 5 s (default 100 ms). */
  restartBackoffMs?: number;
  onFailure?: (f: StrategyFailure) => void;
}

export interface StrategyStatus {
  name: string;
  mode: 'worker' | 'inline';
  state: (typeof STRATEGY_STATE_NAMES)[number] | 'failed';
  restarts: number;
  lastError: string | null;
  counters: Record<string, number>;
}

interface Slot {
  readonly input: StrategyTaskInput;
  readonly control: StrategyControl;
  restarts: number;
  lastError: string | null;
  failed: boolean;
  running: Promise<void> | null;
  timer: NodeJS.Timeout | null;
}

export class StrategyHost {
  private pool: Piscina<StrategyTaskInput, StrategyTaskResult> | null = null;
  private readonly slots: Slot[] = [];
  private stopping = false;
  private readonly maxRestarts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: StrategyHostOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? 5;
    this.backoffMs = options.restartBackoffMs ?? 100;
  }

  start(inputs: readonly StrategyTaskInput[]): void {
    if (this.pool !== null) throw new Error('StrategyHost.start called twice');
    if (inputs.length === 0) return;
    this.pool = new Piscina<StrategyTaskInput, StrategyTaskResult>({
      filename: piscinaEntry(siblingModule(import.meta.url, 'task')),
      minThreads: inputs.length,
      maxThreads: inputs.length,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
    for (const input of inputs) {
      const slot: Slot = { input, control: new StrategyControl(input.wiring.control), restarts: 0, lastError: null, failed: false, running: null, timer: null };
      this.slots.push(slot);
      this.launch(slot);
    }
  }

  private launch(slot: Slot): void {
    const pool = this.pool;
    if (pool === null || this.stopping) return;
    slot.timer = null;
    slot.running = pool.run(slot.input).then(
      () => undefined,
      (err: unknown) => this.onCrash(slot, err instanceof Error ? err : new Error(String(err))),
    );
  }

  private onCrash(slot: Slot, error: Error): void {
    slot.lastError = error.stack ?? error.message;
    slot.control.setState(StrategyState.Crashed);
    const final = this.stopping || slot.restarts >= this.maxRestarts;
    if (!this.stopping) this.options.onFailure?.({ strategy: slot.input.wiring.name, error, restarts: slot.restarts, final });
    if (final) {
      slot.failed = !this.stopping;
      return;
    }
    const delay = Math.min(5_000, this.backoffMs * 2 ** slot.restarts);
    slot.restarts++;
    Atomics.store(slot.control.ctl, 2, slot.restarts);
    slot.timer = setTimeout(() => this.launch(slot), delay);
  }

  status(): StrategyStatus[] {
    return this.slots.map((s) => ({
      name: s.input.wiring.name,
      mode: 'worker' as const,
      state: s.failed ? 'failed' : STRATEGY_STATE_NAMES[s.control.state] ?? 'idle',
      restarts: s.restarts,
      lastError: s.lastError,
      counters: s.control.snapshot(),
    }));
  }

  /** Asks every strategy to stop, waits up to timeoutMs for them, then tears the pool down. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    for (const s of this.slots) {
      if (s.timer !== null) clearTimeout(s.timer);
      s.control.requestStop();
      // Wake a runner asleep on its event queue (notify writes nothing, so the SPSC rule holds).
      Atomics.notify(new Int32Array(s.input.wiring.events, 0, 1), 0);
    }
    const all = Promise.all(this.slots.map((s) => s.running ?? Promise.resolve()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await pool.destroy();
  }
}
