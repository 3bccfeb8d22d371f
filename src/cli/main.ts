#!/usr/bin/env node
/**
 * cli: the `kfix` command. Owns argument parsing, exit codes and what a person sees; it wires the
 * layers together and must not implement protocol, matching or codec logic itself.
 *
 * Exit codes: 0 success, 1 the command ran and found a problem (bad messages, failed check),
 * 2 usage or configuration error.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from './config.js';
import { decodeFix } from './decode.js';
import { formatSummary, inspectJournals } from './journal.js';

const program = new Command();
program.name('kfix').description('Low-latency FIX 4.4 engine and Kraken-compatible simulator').version('0.1.0');
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

program
  .command('decode')
  .description('pretty-print FIX messages from a file or stdin (SOH or | separated); flags bad checksums and lengths')
  .argument('[file]', 'log or journal file; - or omitted for stdin')
  .option('--plain-fix', 'plain FIX 4.4 dictionary without Kraken fields')
  .action((file: string | undefined, opts: { plainFix?: boolean }) => {
    let input: Buffer;
    try {
      input = !file || file === '-' ? readFileSync(0) : readFileSync(file);
    } catch (err) {
      console.error(`kfix decode: cannot read ${file ?? 'stdin'}: ${(err as Error).message}`);
      process.exit(2);
    }
    const result = decodeFix(input, { kraken: !opts.plainFix });
    console.log(result.text);
    console.log(`${result.messages} messages, ${result.errors} errors`);
    process.exitCode = result.errors > 0 ? 1 : 0;
  });

program
  .command('journal')
  .description('inspect session journals: sequence numbers, message counts, torn tails; replay a range through decode')
  .argument('<dir>', 'store directory')
  .option('--replay <range>', 'replay stored messages BEGIN-END (END 0 = last), e.g. 1-0')
  .option('--json', 'print the summaries as JSON')
  .action((dir: string, opts: { replay?: string; json?: boolean }) => {
    let range: [number, number] | undefined;
    if (opts.replay) {
      const m = /^(\d+)-(\d+)$/.exec(opts.replay);
      if (!m) {
        console.error(`kfix journal: --replay takes BEGIN-END, got ${opts.replay}`);
        process.exit(2);
      }
      range = [Number(m[1]), Number(m[2])];
    }
    let report;
    try {
      report = inspectJournals(dir, range);
    } catch (err) {
      console.error(`kfix journal: cannot read ${dir}: ${(err as Error).message}`);
      process.exit(2);
    }
    if (opts.json) console.log(JSON.stringify(report.summaries, null, 2));
    else for (const s of report.summaries) console.log(formatSummary(s));
    for (const r of report.replay) console.log(r);
    if (report.summaries.length === 0) {
      console.error(`kfix journal: no *.journal files in ${dir}`);
      process.exitCode = 1;
    } else if (report.summaries.some((s) => s.tail !== 'clean')) {
      process.exitCode = 1;
    }
  });

program
  .command('sim')
  .description('start the exchange simulator on 127.0.0.1: Kraken Spot and Derivatives trading and market data (profile kraken), or the QuickFIX acceptance-test acceptor (profile at)')
  .option('--profile <name>', 'kraken | at', 'kraken')
  .option('--port <port>', 'at profile: listen port (0 picks a free one)', '0')
  .option('--port-base <port>', 'kraken profile: first of six ports in Kraken order (default 4000 -> 4000-4005; 0 picks free ports)')
  .option('--host <host>', 'listen address', '127.0.0.1')
  .option('--tls <certDir>', 'kraken profile: serve TLS 1.3 with a self-signed certificate kept in certDir')
  .option('--seed <n>', 'kraken profile: seed of OrderIDs and the synthetic order flow', '1')
  .option('--duration <seconds>', 'stop by itself after this many seconds (default: run until Ctrl-C)')
  .option('--verbose', 'print session events')
  .option('--fix-log <dir>', 'write one masked FIX message log per session into dir')
  .action(async (opts: { profile: string; port: string; portBase?: string; host: string; tls?: string; seed: string; duration?: string; verbose?: boolean; fixLog?: string }) => {
    const port = Number(opts.port);
    const portBase = opts.portBase === undefined ? undefined : Number(opts.portBase);
    const seed = Number(opts.seed);
    const duration = opts.duration === undefined ? undefined : Number(opts.duration);
    const fail = (msg: string) => {
      console.error(`kfix sim: ${msg}`);
      process.exit(2);
    };
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got '${opts.port}'`);
    if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 0 || portBase > 65530)) fail(`--port-base must be 0..65530, got '${opts.portBase}'`);
    if (!Number.isInteger(seed)) fail(`--seed must be an integer, got '${opts.seed}'`);
    if (duration !== undefined && !(duration > 0)) fail(`--duration must be a positive number of seconds, got '${opts.duration}'`);
    const { runSimulator } = await import('./sim.js');
    process.exitCode = await runSimulator({
      profile: opts.profile, port, portBase, host: opts.host, tlsCertDir: opts.tls, seed, durationSec: duration, verbose: !!opts.verbose,
      fixLogDir: opts.fixLog,
    });
  });

program
  .command('bench')
  .description('run a benchmark: codec | ipc | rtt | gate | store | match | book | engine | sim | native (after `npm run build`); rtt --connect measures any FIX 4.4 acceptor')
  .argument('<name>', 'benchmark name')
  .argument('[args...]', 'passed to the benchmark, e.g. --json, --quick, --update-baseline')
  .option('--connect <host:port>', 'rtt: ping-pong against this acceptor instead of the local peers')
  .option('--sender <compID>', 'rtt --connect: our SenderCompID')
  .option('--target <compID>', 'rtt --connect: the acceptor\'s CompID')
  .option('--tls', 'rtt --connect: TLS 1.3 (certificate verified)')
  .option('--tls-ca <file>', 'rtt --connect: extra trusted CA (e.g. the simulator\'s certificate)')
  .option('--insecure', 'rtt --connect: do not verify the certificate (UAT only; logged loudly)')
  .option('--count <n>', 'rtt --connect: measured round trips', '10000')
  .option('--warmup <n>', 'rtt --connect: unmeasured round trips first', '1000')
  .option('--json', 'last line is one JSON object')
  .allowUnknownOption(true)
  .action(async (name: string, args: string[], opts: Record<string, string | boolean | undefined>) => {
    if (name === 'rtt' && opts.connect) {
      const { benchConnect, parseHostPort } = await import('./bench-connect.js');
      const hp = parseHostPort(String(opts.connect));
      const count = Number(opts.count);
      const warmup = Number(opts.warmup);
      if (!hp || !opts.sender || !opts.target || !(count > 0) || !(warmup >= 0)) {
        console.error('kfix bench rtt: --connect HOST:PORT, --sender and --target are required; --count/--warmup must be numbers');
        process.exitCode = 2;
        return;
      }
      try {
        const r = await benchConnect({
          ...hp, senderCompID: String(opts.sender), targetCompID: String(opts.target), tls: !!opts.tls,
          tlsCaFile: opts.tlsCa as string | undefined, insecure: !!opts.insecure, count, warmup, json: !!opts.json,
        });
        if (!opts.json) console.log(`round trip to ${opts.connect} over ${r.count} orders: p50 ${r.p50_us} µs, p90 ${r.p90_us}, p99 ${r.p99_us}, p99.9 ${r.p999_us}, max ${r.max_us}; ${r.msgs_per_s} round trips/s`);
        console.log(JSON.stringify(r));
      } catch (err) {
        console.error(`kfix bench rtt: ${(err as Error).message}`);
        process.exitCode = 1;
      }
      return;
    }
    const { runBench } = await import('./bench.js');
    process.exitCode = await runBench(name, [...args, ...(opts.json ? ['--json'] : [])]);
  });

program
  .command('run')
  .description('run a strategy against the venue of a config (simulator, Kraken UAT or production) with a live status line')
  .argument('<strategy>', 'strategy module (.js, or .ts with tsx installed) exporting defineStrategy(...)')
  .requiredOption('--config <file>', 'JSON config (see examples/)')
  .option('--mode <mode>', 'worker | inline', 'worker')
  .option('--params <json>', 'strategy params as JSON', '{}')
  .option('--duration <seconds>', 'stop by itself after this many seconds (default: until Ctrl-C)')
  .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:port (0 picks one)')
  .action(async (strategy: string, opts: { config: string; mode: string; params: string; duration?: string; metricsPort?: string }) => {
    const result = loadConfig(opts.config);
    if (!result.ok) {
      for (const e of result.errors) console.error(`error: ${e}`);
      process.exitCode = 2;
      return;
    }
    for (const w of result.warnings) console.warn(`warning: ${w}`);
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(opts.params) as Record<string, unknown>;
    } catch {
      console.error(`kfix run: --params is not JSON: ${opts.params}`);
      process.exitCode = 2;
      return;
    }
    const duration = opts.duration === undefined ? undefined : Number(opts.duration);
    if ((opts.mode !== 'worker' && opts.mode !== 'inline') || (duration !== undefined && !(duration > 0))) {
      console.error('kfix run: --mode is worker or inline; --duration a positive number of seconds');
      process.exitCode = 2;
      return;
    }
    const { runStrategy } = await import('./run.js');
    const metricsPort = opts.metricsPort === undefined ? (result.config.metrics.port > 0 ? result.config.metrics.port : undefined) : Number(opts.metricsPort);
    if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535)) {
      console.error(`kfix run: --metrics-port must be 0..65535, got '${opts.metricsPort}'`);
      process.exitCode = 2;
      return;
    }
    process.exitCode = await runStrategy({ strategyFile: strategy, config: result.config, mode: opts.mode, params, durationSec: duration, metricsPort });
  });

program
  .command('check-config')
  .description('validate a config file and say exactly which field is wrong and why')
  .argument('<file>', 'JSON config file')
  .action((file: string) => {
    const result = loadConfig(file);
    if (!result.ok) {
      for (const e of result.errors) console.error(`error: ${e}`);
      console.error(`${file}: ${result.errors.length} problem(s)`);
      process.exitCode = 2;
      return;
    }
    for (const w of result.warnings) console.warn(`warning: ${w}`);
    console.log(`${file}: ok (${result.config.sessions.length} session(s))`);
  });

program
  .command('start')
  .description('the main job: simulator plus demo strategy, then a latency summary')
  .action(async () => {
    const { runStart } = await import('./start.js');
    process.exitCode = await runStart();
  });

await program.parseAsync(process.argv);
