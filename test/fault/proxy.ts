/**
 * Seeded, scriptable TCP fault proxy for the reliability campaign: listens on 127.0.0.1 (ephemeral
 * port by default) and forwards every accepted connection to 127.0.0.1:upstreamPort, applying a
 * Scenario (scenario.ts) per direction: drops, cuts inside a FIX message, delays, stalls, re-chunking,
 * duplicated and swapped chunks, flipped bytes. Counters and a bounded event log say what was done.
 * Owns only its own sockets and timers; everything stops by itself (idle timeout, max lifetime,
 * close()). Test infrastructure: must not import anything from src/.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { emptyDirCounters, Pipe, type DirCounters, type PipeHost } from './pipe.js';
import { FAULT_KINDS, ruleApplies, TRANSPARENT, validateScenario, type FaultKind, type Scenario } from './scenario.js';

export * from './scenario.js';
export type { DirCounters } from './pipe.js';

export interface ProxyOptions {
  upstreamPort: number;
  /** Listening port; 0 (default) picks a free one. */
  port?: number;
  scenario?: Scenario;
  /** Close a connection after this long without a byte either way. Default 30 s. */
  idleTimeoutMs?: number;
  /** Close a connection this long after accept whatever happens. Default 10 min. */
  maxLifetimeMs?: number;
  /** Events kept; later ones are only counted. Default 10 000. */
  maxEvents?: number;
}

export type ProxyEventKind = FaultKind | 'accept' | 'upstream-connected' | 'upstream-error' | 'close' | 'idle-timeout' | 'lifetime';

export interface ProxyEvent {
  /** Milliseconds since the proxy started. */
  t: number;
  conn: number;
  dir?: 'up' | 'down';
  kind: ProxyEventKind;
  /** Stream offset in this direction the fault applies to, when it has one. */
  offset?: number;
  detail: string;
}

export interface ProxyCounters {
  accepted: number;
  open: number;
  up: DirCounters;
  down: DirCounters;
  faults: Record<FaultKind, number>;
  eventsDropped: number;
}

class Connection implements PipeHost {
  readonly up: Pipe;
  readonly down: Pipe;
  private closed = false;
  private lastActivity: number;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private upstreamReady = false;
  private readonly pending: Buffer[] = [];

  constructor(
    readonly id: number,
    private readonly proxy: FaultProxy,
    private readonly client: Socket,
    private readonly upstream: Socket,
    scenario: Scenario,
    private readonly idleTimeoutMs: number,
    maxLifetimeMs: number,
  ) {
    this.lastActivity = proxy.now();
    const rulesFor = (dir: 'up' | 'down') => scenario.rules.filter((r) => ruleApplies(r, dir, id));
    this.up = new Pipe('up', rulesFor('up'), scenario.seed, id, client, upstream, this);
    this.down = new Pipe('down', rulesFor('down'), scenario.seed, id, upstream, client, this);
    for (const rule of scenario.rules) {
      if (rule.kind === 'drop' && rule.atMs !== undefined && (rule.conn === undefined || rule.conn === id)) {
        this.timers.push(setTimeout(() => {
          this.fault('drop', undefined, undefined, `drop at ${rule.atMs} ms`);
          this.closePair(`drop at ${rule.atMs} ms`, rule.reset ? 'reset' : 'end');
        }, rule.atMs));
      }
    }
    this.timers.push(setTimeout(() => {
      this.proxy.log({ conn: id, kind: 'lifetime', detail: `closed after ${maxLifetimeMs} ms` });
      this.closePair('max lifetime', 'reset');
    }, maxLifetimeMs));
    this.armIdle();

    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Client bytes that arrive before the upstream connect are kept, then forwarded in order.
    client.on('data', (chunk: Buffer) => (this.upstreamReady ? this.up.onData(chunk) : this.pending.push(chunk)));
    upstream.on('connect', () => {
      this.upstreamReady = true;
      proxy.log({ conn: id, kind: 'upstream-connected', detail: '' });
      for (const chunk of this.pending.splice(0)) this.up.onData(chunk);
      if (client.readableEnded) this.up.onEnd();
    });
    upstream.on('data', (chunk: Buffer) => this.down.onData(chunk));
    client.on('end', () => { if (this.upstreamReady) this.up.onEnd(); });
    upstream.on('end', () => this.down.onEnd());
    client.on('error', (err) => this.closePair(`client error: ${err.message}`, 'reset'));
    upstream.on('error', (err) => {
      if (!this.upstreamReady) proxy.log({ conn: id, kind: 'upstream-error', detail: err.message });
      this.closePair(`upstream error: ${err.message}`, 'reset');
    });
    client.on('close', () => this.closePair('client closed', 'end'));
    upstream.on('close', () => this.closePair('upstream closed', 'end'));
  }

  now(): number {
    return this.proxy.now();
  }

  activity(): void {
    this.lastActivity = this.proxy.now();
  }

  fault(kind: FaultKind, dir: 'up' | 'down' | undefined, offset: number | undefined, detail: string): void {
    this.proxy.recordFault(kind, { conn: this.id, dir, kind, offset, detail });
  }

  private armIdle(): void {
    const remaining = this.lastActivity + this.idleTimeoutMs - this.proxy.now();
    this.idleTimer = setTimeout(() => {
      if (this.proxy.now() - this.lastActivity >= this.idleTimeoutMs) {
        this.proxy.log({ conn: this.id, kind: 'idle-timeout', detail: `no bytes for ${this.idleTimeoutMs} ms` });
        this.closePair('idle timeout', 'end');
      } else {
        this.armIdle();
      }
    }, Math.max(1, Math.ceil(remaining)));
  }

  closePair(reason: string, mode: 'end' | 'reset'): void {
    if (this.closed) return;
    this.closed = true;
    this.up.dispose();
    this.down.dispose();
    for (const t of this.timers) clearTimeout(t);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.proxy.log({ conn: this.id, kind: 'close', detail: `${reason} (${mode})` });
    for (const s of [this.client, this.upstream]) {
      if (s.destroyed) continue;
      if (mode === 'reset' && typeof s.resetAndDestroy === 'function' && !s.connecting) {
        s.resetAndDestroy();
      } else {
        // FIN after what was already written; a peer that never closes is cut off shortly after.
        s.end();
        setTimeout(() => s.destroy(), 250).unref();
      }
    }
    this.proxy.connectionClosed(this);
  }

  destroy(): void {
    this.closePair('proxy closed', 'end');
    this.client.destroy();
    this.upstream.destroy();
  }
}

export class FaultProxy {
  private server: Server;
  private scenario: Scenario;
  private readonly t0 = performance.now();
  private readonly connections = new Set<Connection>();
  private readonly eventLog: ProxyEvent[] = [];
  private readonly waiters = new Set<{ pred: (e: ProxyEvent) => boolean; resolve: (e: ProxyEvent) => void }>();
  private readonly totals = { accepted: 0, up: emptyDirCounters(), down: emptyDirCounters(), eventsDropped: 0 };
  private readonly faultCounts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  private readonly idleTimeoutMs: number;
  private readonly maxLifetimeMs: number;
  private readonly maxEvents: number;
  port = 0;

  private constructor(private readonly options: ProxyOptions) {
    this.scenario = validateScenario(options.scenario ?? TRANSPARENT);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.maxLifetimeMs = options.maxLifetimeMs ?? 600_000;
    this.maxEvents = options.maxEvents ?? 10_000;
    this.server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client) => this.accept(client));
  }

  /** Starts listening; resolves once the port is known. */
  static async start(options: ProxyOptions): Promise<FaultProxy> {
    if (!Number.isInteger(options.upstreamPort) || options.upstreamPort <= 0 || options.upstreamPort > 65535) {
      throw new Error(`upstreamPort must be a TCP port, got ${options.upstreamPort}`);
    }
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /** The scenario for connections accepted from now on (open ones keep theirs). */
  setScenario(scenario: Scenario): void {
    this.scenario = validateScenario(structuredClone(scenario));
  }

  now(): number {
    return performance.now() - this.t0;
  }

  /** Snapshot of the counters: closed connections included. */
  counters(): ProxyCounters {
    const up = { ...this.totals.up };
    const down = { ...this.totals.down };
    for (const c of this.connections) {
      addCounters(up, c.up.counters);
      addCounters(down, c.down.counters);
    }
    return { accepted: this.totals.accepted, open: this.connections.size, up, down, faults: { ...this.faultCounts }, eventsDropped: this.totals.eventsDropped };
  }

  events(): readonly ProxyEvent[] {
    return this.eventLog;
  }

  /** Resolves with the first event (already logged or future) matching pred; rejects after timeoutMs. */
  waitFor(pred: (e: ProxyEvent) => boolean, timeoutMs = 5000): Promise<ProxyEvent> {
    const seen = this.eventLog.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (e: ProxyEvent) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching proxy event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Drops every open connection now (a manual fault). */
  dropAll(mode: 'end' | 'reset' = 'reset'): void {
    for (const c of [...this.connections]) c.closePair('dropAll', mode);
  }

  /** Stops listening and ends every connection and timer. */
  async close(): Promise<void> {
    for (const c of [...this.connections]) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  log(e: Omit<ProxyEvent, 't'>): void {
    const event: ProxyEvent = { t: Math.round(this.now() * 1000) / 1000, ...e };
    if (this.eventLog.length < this.maxEvents) this.eventLog.push(event);
    else this.totals.eventsDropped++;
    for (const w of [...this.waiters]) if (w.pred(event)) w.resolve(event);
  }

  recordFault(kind: FaultKind, e: Omit<ProxyEvent, 't'>): void {
    this.faultCounts[kind]++;
    this.log(e);
  }

  connectionClosed(c: Connection): void {
    if (!this.connections.delete(c)) return;
    addCounters(this.totals.up, c.up.counters);
    addCounters(this.totals.down, c.down.counters);
  }

  private accept(client: Socket): void {
    const id = this.totals.accepted++;
    this.log({ conn: id, kind: 'accept', detail: `${client.remoteAddress}:${client.remotePort}` });
    const upstream = connect({ host: '127.0.0.1', port: this.options.upstreamPort, allowHalfOpen: true });
    const c = new Connection(id, this, client, upstream, this.scenario, this.idleTimeoutMs, this.maxLifetimeMs);
    this.connections.add(c);
  }
}

function addCounters(into: DirCounters, from: DirCounters): void {
  into.bytesIn += from.bytesIn;
  into.bytesOut += from.bytesOut;
  into.chunksIn += from.chunksIn;
  into.chunksOut += from.chunksOut;
  into.messagesIn += from.messagesIn;
}
