/**
 * `kfix run <strategy> --config <file>`: runs one strategy through the engine against the venue the
 * config names (simulator, Kraken UAT or production), with a live status line on a terminal and plain
 * log lines otherwise. Credentials are read from the environment variables or the file the config names.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Interval, startEngine, type EngineConfig, type EngineHandle } from '../engine/index.js';
import type { InstrumentSpec } from '../kraken/index.js';
import { loadCredentialsFromFile } from '../kraken/credentials.js';
import { DEFAULT_INSTRUMENTS } from '../sim/index.js';
import type { KfixConfig, SessionConfigEntry } from './config.js';
import { createLogger } from './logger.js';
import { Metrics, type EngineSnapshot } from './metrics.js';

export interface RunOptions {
  strategyFile: string;
  config: KfixConfig;
  mode: 'worker' | 'inline';
  params: Record<string, unknown>;
  durationSec?: number;
  /** Serve Prometheus metrics on 127.0.0.1:port (0 picks one); undefined: no metrics server. */
  metricsPort?: number;
  env?: NodeJS.ProcessEnv;
}

/** Maps the validated config onto the engine's; returns a reason when it cannot. */
export function engineConfigFrom(o: RunOptions): EngineConfig | string {
  const env = o.env ?? process.env;
  const trading = o.config.sessions.find((s) => s.kind === 'trading');
  if (!trading) return 'the config has no trading session';
  if (trading.market !== 'spot') return 'the engine trades Spot sessions only for now (derivatives: see README, Known limits)';
  const md = o.config.sessions.find((s) => s.kind === 'md-l2' && s.market === trading.market);
  let credentials: EngineConfig['credentials'];
  const c = trading.credentials;
  if (c && 'apiKeyEnv' in c) {
    const apiKey = env[c.apiKeyEnv];
    const secretBase64 = env[c.apiSecretEnv];
    if (!apiKey || !secretBase64) return `environment variables ${c.apiKeyEnv} and ${c.apiSecretEnv} must be set`;
    credentials = { apiKey, secretBase64 };
  } else if (c && 'file' in c) {
    // The shared loader: its errors never quote the file (JSON.parse's would), and loadConfig has already
    // printed its permission warnings.
    const loaded = loadCredentialsFromFile(c.file);
    if (!loaded.ok) return loaded.error.message;
    credentials = { apiKey: loaded.value.credentials.apiKey(), secretBase64: loaded.value.credentials.secretKeyBytes().toString('base64') };
  }
  const instruments: InstrumentSpec[] | undefined = o.config.instruments?.map((i) => ({ ...i, venue: 'spot' as const }))
    ?? (trading.venue === 'simulator' ? simulatorInstruments() : undefined);
  if (!instruments || instruments.length === 0) return 'the config must list instruments (symbol, tickSize, priceDecimals, qtyIncrement, qtyDecimals, qtyMin)';
  const store = o.config.store;
  return {
    host: trading.host,
    port: trading.port,
    ...(tlsOf(trading) ? { tls: tlsOf(trading) } : {}),
    senderCompID: trading.senderCompID,
    targetCompID: trading.targetCompID,
    heartBtIntSec: trading.heartBtIntSeconds,
    credentials,
    rollover: rolloverOf(trading.schedule.rolloverUtc),
    ...(trading.rateLimitTier ? { rateLimitTier: trading.rateLimitTier } : {}),
    store: { kind: 'journal', dir: resolve(store.dir) },
    ...(md ? { marketData: { host: md.host, port: md.port, senderCompID: md.senderCompID, targetCompID: md.targetCompID, ...(tlsOf(md) ? { tls: tlsOf(md) } : {}) } } : {}),
    instruments,
    strategies: [{ name: 'strategy', module: resolve(o.strategyFile), mode: o.mode, params: o.params }],
  };
}

/** "HH:MM" (validated by the config schema) as the engine's daily rollover. */
function rolloverOf(hhmm: string): EngineConfig['rollover'] {
  const [h, m] = hhmm.split(':');
  return { hourUtc: Number(h), minuteUtc: Number(m) };
}

function tlsOf(s: SessionConfigEntry): EngineConfig['tls'] | undefined {
  if (!s.tls.enabled) return undefined;
  return { verify: s.tls.verify, ...(s.tls.servername ? { servername: s.tls.servername } : {}), ...(s.tls.caFile ? { ca: readFileSync(s.tls.caFile, 'utf8') } : {}) };
}

/** The simulator catalogue's Spot instruments as the Kraken profile's specs (what its InstrumentList would say). */
export function simulatorInstruments(symbols?: readonly string[]): InstrumentSpec[] {
  const spot = DEFAULT_INSTRUMENTS.filter((i) => i.venue === 'spot' && (!symbols || symbols.includes(i.symbol)));
  return spot.map((i) => ({
    symbol: i.symbol, venue: 'spot' as const, tickSize: i.tickSize, priceDecimals: i.priceDecimals, qtyIncrement: i.lotSize,
    qtyDecimals: i.qtyDecimals, qtyMin: i.minQty, qtyMax: i.maxQty, minCost: i.minCost,
  }));
}

export async function runStrategy(o: RunOptions): Promise<number> {
  const cfg = engineConfigFrom(o);
  if (typeof cfg === 'string') {
    console.error(`kfix run: ${cfg}`);
    return 2;
  }
  const log = createLogger('kfix-run');
  let engine: EngineHandle;
  try {
    engine = await startEngine(cfg);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'engine did not start');
    console.error(`kfix run: ${(err as Error).message}`);
    return 1;
  }
  log.info({ sender: cfg.senderCompID, target: cfg.targetCompID, host: cfg.host, port: cfg.port, mode: o.mode }, 'engine logged on');
  let metricsServer: { close(): void } | undefined;
  const metrics = new Metrics();
  if (o.metricsPort !== undefined) {
    const served = await metrics.serve(o.metricsPort);
    metricsServer = served.server;
    console.log(`kfix run: Prometheus metrics on http://127.0.0.1:${served.port}/metrics`);
  }
  const tty = process.stdout.isTTY === true;
  const status = () => {
    const h = engine.health();
    const c = engine.counters();
    const rt = engine.latency().percentiles(Interval.ROUND_TRIP);
    const localRejects = h.strategies.reduce((n, s) => n + ((s.counters as unknown as Record<string, number>).localRejects ?? 0), 0);
    return `session ${h.session}${h.marketData ? ` | md ${h.marketData.session}` : ''} | sent ${c.ordersSent} new ${c.amendsSent} amend ${c.cancelsSent} cancel | fills ${c.erFills} | rejects venue ${c.erRejected} local ${localRejects} | rtt p50 ${rt.p50_us.toFixed(0)} µs p99 ${rt.p99_us.toFixed(0)} µs | errors ${h.errors.length}`;
  };
  console.log(`kfix run: ${o.strategyFile} on ${cfg.senderCompID}->${cfg.targetCompID} at ${cfg.host ?? '127.0.0.1'}:${cfg.port} (${o.mode})`);
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (metricsServer) metrics.update(snapshot(engine, cfg));
    if (tty) process.stdout.write(`\r\x1b[K${status()}`);
    else if (ticks % 10 === 0) console.log(`${new Date().toISOString()} ${status()}`);
  }, 500);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
    if (o.durationSec !== undefined) setTimeout(done, o.durationSec * 1000).unref();
  });
  clearInterval(timer);
  if (tty) process.stdout.write('\n');
  const final = status();
  const errors = engine.health().errors;
  await engine.stop();
  metricsServer?.close();
  console.log(`kfix run: stopped; ${final}`);
  for (const e of errors) {
    log.warn({ source: e.source, strategy: e.strategy }, e.message);
    console.log(`  ${e.source}: ${e.message}`);
  }
  return 0;
}

/** What the metrics endpoint shows, taken from the engine's counters and histograms (main thread only). */
function snapshot(engine: EngineHandle, cfg: EngineConfig): EngineSnapshot {
  const h = engine.health();
  const c = engine.counters() as unknown as Record<string, number>;
  const lat = engine.latency();
  const latencyUs: EngineSnapshot['latencyUs'] = {};
  for (const [name, interval] of [['round_trip', Interval.ROUND_TRIP], ['wire_to_strategy', Interval.WIRE_TO_STRATEGY], ['strategy_to_wire', Interval.STRATEGY_TO_WIRE], ['parse', Interval.PARSE]] as const) {
    const p = lat.percentiles(interval);
    if (p.count > 0) latencyUs[name] = { '0.5': p.p50_us, '0.99': p.p99_us, '0.999': p.p999_us };
  }
  const rejects: Record<string, number> = { venue: c.erRejected ?? 0, session_or_business: c.rejectsIn ?? 0, rate_limit_local: c.rateLimited ?? 0, not_delivered: c.notDelivered ?? 0 };
  for (const s of h.strategies) rejects[`local:${s.name}`] = (s.counters as unknown as Record<string, number>).localRejects ?? 0;
  return {
    sessions: [
      { name: `${cfg.senderCompID}->${cfg.targetCompID}`, state: h.session, nextSenderMsgSeqNum: c.nextSenderMsgSeqNum ?? 0, nextTargetMsgSeqNum: c.nextTargetMsgSeqNum ?? 0 },
      ...(h.marketData ? [{ name: 'market-data', state: h.marketData.session, nextSenderMsgSeqNum: 0, nextTargetMsgSeqNum: 0 }] : []),
    ],
    queueDepths: Object.fromEntries(h.strategies.map((s) => [`${s.name}:backlogged`, (s.counters as unknown as Record<string, number>).backlogged ?? 0])),
    rejects,
    rateHeadroom: {},
    latencyUs,
  };
}
