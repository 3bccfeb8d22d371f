/**
 * `kfix run <strategy> --config <file>`: runs one strategy through the engine against the venue the
 * config names (simulator, Kraken UAT or production), with a live status line on a terminal and plain
 * log lines otherwise. Credentials are read from the environment variables the config names.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Interval, startEngine, type EngineConfig, type EngineHandle } from '../engine/index.js';
import type { InstrumentSpec } from '../kraken/index.js';
import { DEFAULT_INSTRUMENTS } from '../sim/index.js';
import type { KfixConfig, SessionConfigEntry } from './config.js';

export interface RunOptions {
  strategyFile: string;
  config: KfixConfig;
  mode: 'worker' | 'inline';
  params: Record<string, unknown>;
  durationSec?: number;
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
    try {
      const f = JSON.parse(readFileSync(c.file, 'utf8')) as { apiKey?: string; apiSecret?: string };
      if (!f.apiKey || !f.apiSecret) return `${c.file} must hold {"apiKey", "apiSecret"}`;
      credentials = { apiKey: f.apiKey, secretBase64: f.apiSecret };
    } catch (err) {
      return `cannot read credentials file ${c.file}: ${(err as Error).message}`;
    }
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
    store: { kind: 'journal', dir: resolve(store.dir) },
    ...(md ? { marketData: { host: md.host, port: md.port, senderCompID: md.senderCompID, targetCompID: md.targetCompID, ...(tlsOf(md) ? { tls: tlsOf(md) } : {}) } } : {}),
    instruments,
    strategies: [{ name: 'strategy', module: resolve(o.strategyFile), mode: o.mode, params: o.params }],
  };
}

function tlsOf(s: SessionConfigEntry): EngineConfig['tls'] | undefined {
  if (!s.tls.enabled) return undefined;
  return { verify: s.tls.verify, ...(s.tls.servername ? { servername: s.tls.servername } : {}), ...(s.tls.caFile ? { ca: readFileSync(s.tls.caFile, 'utf8') } : {}) };
}

function simulatorInstruments(): InstrumentSpec[] {
  return DEFAULT_INSTRUMENTS.filter((i) => i.venue === 'spot').map((i) => ({
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
  let engine: EngineHandle;
  try {
    engine = await startEngine(cfg);
  } catch (err) {
    console.error(`kfix run: ${(err as Error).message}`);
    return 1;
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
  const timer = setInterval(() => {
    if (tty) process.stdout.write(`\r\x1b[K${status()}`);
    else console.log(`${new Date().toISOString()} ${status()}`);
  }, tty ? 500 : 5000);
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
  console.log(`kfix run: stopped; ${final}`);
  for (const e of errors) console.log(`  ${e.source}: ${e.message}`);
  return 0;
}
