/**
 * Process entry for the jspurefix acceptor of the round-trip benchmark (see jspurefix.ts).
 *   node dist/bench/rtt/jspf-acceptor.js [--port P] [--max-seconds S]
 * stdout: READY <port> once listening; exits when stdin closes, on SIGTERM, or after S seconds.
 */
import { BenchArgs } from '../lib/args.js';
import { runJspurefixAcceptor } from './jspurefix.js';

const args = new BenchArgs();
try {
  await runJspurefixAcceptor(args.number('--port', 0), args.number('--max-seconds', 120));
} catch (e) {
  process.stdout.write(`ERROR ${(e as Error).message}\n`);
  process.exit(1);
}
