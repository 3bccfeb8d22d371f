/** `kfix sim`: starts a simulator profile and keeps it running until a signal or --duration. */
import { startAtAcceptor } from '../sim/at/index.js';

export interface SimCliOptions {
  profile: string;
  port: number;
  host: string;
  durationSec?: number;
  verbose: boolean;
}

export async function runSimulator(o: SimCliOptions): Promise<number> {
  if (o.profile !== 'at') {
    console.error(`kfix sim: profile '${o.profile}' is not available in this build (available: at)`);
    return 2;
  }
  let handle;
  try {
    handle = await startAtAcceptor({
      port: o.port,
      host: o.host,
      onEvent: o.verbose ? (s, e) => console.log(`${s.targetCompID} ${e.kind}: ${e.text}`) : undefined,
    });
  } catch (err) {
    console.error(`kfix sim: cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`);
    return 2;
  }
  console.log(`kfix sim: QuickFIX acceptance-test acceptor (SenderCompID ISLD) listening on ${o.host}:${handle.port}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.durationSec !== undefined) setTimeout(stop, o.durationSec * 1000).unref();
  });
  await handle.close();
  return 0;
}
