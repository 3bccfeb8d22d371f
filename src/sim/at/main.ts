/**
 * Standalone QuickFIX acceptance-test acceptor until the CLI wires `kfix sim --profile at`:
 *   node dist/src/sim/at/main.js --port P [--host H] [--verbose]
 * Runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startAtAcceptor } from './index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got '${values.port}'`);
  const handle = await startAtAcceptor({
    port,
    host: values.host,
    onEvent: values.verbose ? (s, e) => console.log(`${s.targetCompID} ${e.kind}: ${e.text}`) : undefined,
  });
  console.log(`AT acceptor listening on ${values.host}:${handle.port}`);
  const stop = () => void handle.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(2);
});
