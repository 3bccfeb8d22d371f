/**
 * Piscina task: one long-running strategy. Loads the strategy module, attaches a StrategyRunner to the
 * queues in `input.wiring` and runs it until the control block says stop. A throw from the strategy
 * rejects the task (the host reports it and restarts the strategy); a clean stop resolves with counters.
 */
import { loadStrategy } from './loader.js';
import { StrategyState, StrategyControl } from './protocol.js';
import { StrategyRunner, type StrategyWiring } from './runner.js';

export interface StrategyTaskInput {
  readonly wiring: StrategyWiring;
  readonly module: string;
  readonly exportName: string;
}

export interface StrategyTaskResult {
  readonly name: string;
  readonly counters: Record<string, number>;
}

export default async function runStrategyTask(input: StrategyTaskInput): Promise<StrategyTaskResult> {
  const control = new StrategyControl(input.wiring.control);
  try {
    const def = await loadStrategy(input.module, input.exportName);
    const runner = new StrategyRunner(def, input.wiring);
    runner.runBlocking();
    return { name: input.wiring.name, counters: control.snapshot() };
  } catch (err) {
    control.setState(StrategyState.Crashed);
    throw err;
  }
}
