/**
 * Entry of the engine's hot-path worker thread. Everything per message happens in HotPath; this file
 * only wires the thread: workerData in, control messages (start result, session changes, failures,
 * stop) out through parentPort. No FIX message ever crosses to the main thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ResolvedEngineConfig } from './config.js';
import { HotPath, type HotPathReport } from './hot-path.js';
import type { EngineMemory } from './memory.js';

export interface EngineWorkerData {
  config: ResolvedEngineConfig;
  memory: EngineMemory;
  /** Test hook (EngineOptions.clockOffset). */
  clockOffset?: SharedArrayBuffer | null;
}

/** main -> worker */
export type EngineCommand = { type: 'stop'; timeoutMs: number };
/** worker -> main, besides HotPathReport */
export type EngineWorkerMessage = HotPathReport | { type: 'stopped' } | { type: 'start-failed'; message: string };

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const data = workerData as EngineWorkerData;
  const post = (m: EngineWorkerMessage): void => port.postMessage(m);
  const hotPath = new HotPath(data.config, data.memory, post, data.clockOffset ?? null);
  port.on('message', (m: EngineCommand) => {
    if (m.type !== 'stop') return;
    hotPath
      .stop(m.timeoutMs)
      .catch(() => undefined)
      .finally(() => {
        post({ type: 'stopped' });
        port.close();
      });
  });
  hotPath.start().catch((err: Error) => {
    post({ type: 'start-failed', message: err.message });
    void hotPath.stop(200).finally(() => port.close());
  });
}
