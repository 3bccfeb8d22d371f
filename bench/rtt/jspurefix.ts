/**
 * jspurefix (npm, pure TypeScript FIX engine) on both ends of the round-trip benchmark:
 *  - JspurefixRttClient: an in-process jspurefix initiator implementing RttClient;
 *  - runJspurefixAcceptor: a jspurefix acceptor answering NewOrderSingle with ExecutionReport New,
 *    run in its own process (jspf-acceptor.ts) so the two engines do not share an event loop, as
 *    QuickFIX's two ends do not share a thread.
 * Both use the same QuickFIX-format FIX 4.4 dictionary as the QuickFIX peers, the in-memory store
 * and no logging (EmptyLogFactory), which is the fastest configuration jspurefix offers.
 *
 * jspurefix's TcpAcceptor calls server.listen(port) with no host, i.e. every interface. The project
 * binds 127.0.0.1 only, so the acceptor process routes port-only listen() calls to loopback (the
 * same thing the QuickFIX peers do by interposing bind()).
 */
import 'reflect-metadata';
import jspurefix from 'jspurefix';
import type { AsciiSession as AsciiSessionType, IJsFixConfig, ISessionDescription, MsgView } from 'jspurefix';
import net from 'node:net';
import { fix44DictionaryPath } from '../lib/paths.js';
import { nowNs } from './driver.js';
import type { RttClient, RttEndpoint } from './types.js';

const { AsciiSession, SessionLauncher, EmptyLogFactory, DefinitionFactory } = jspurefix;

/**
 * jspurefix parses the XML dictionary for every session it creates (seconds on a busy machine).
 * Definitions are immutable once parsed, so the bench parses each dictionary once per process and
 * hands the same object to every session; set-up then overlaps with other series' start-up and
 * stays out of each series' time budget. Latency is unaffected: parsing happens before logon.
 */
const definitionCache = new Map<string, ReturnType<InstanceType<typeof DefinitionFactory>['getDefinitions']>>();
const originalGetDefinitions = DefinitionFactory.prototype.getDefinitions;
DefinitionFactory.prototype.getDefinitions = function (this: InstanceType<typeof DefinitionFactory>, path, getLogger) {
  let p = definitionCache.get(path);
  if (!p) {
    p = originalGetDefinitions.call(this, path, getLogger);
    definitionCache.set(path, p);
    p.catch(() => definitionCache.delete(path));
  }
  return p;
};

/** Parses (and caches) a dictionary ahead of the first session. */
export async function preloadDefinitions(dictionary: string = fix44DictionaryPath()): Promise<void> {
  await new DefinitionFactory().getDefinitions(dictionary);
}

export const JSPF_ACCEPTOR_COMP = 'JSPF-A';
export const JSPF_INITIATOR_COMP = 'JSPF-I';

function description(
  role: 'initiator' | 'acceptor',
  port: number,
  sender: string,
  target: string,
  dictionary: string,
): ISessionDescription {
  return {
    application: {
      type: role,
      name: `kfix-bench-${role}`,
      reconnectSeconds: 0,
      tcp: { host: '127.0.0.1', port },
      protocol: 'ascii',
      dictionary,
    },
    Username: 'bench',
    Password: 'bench',
    EncryptMethod: 0,
    ResetSeqNumFlag: true,
    HeartBtInt: 30,
    SenderCompId: sender,
    TargetCompID: target,
    BeginString: 'FIX.4.4',
  } as unknown as ISessionDescription;
}

/** Subclass only to reach the protected constructor and hand in our session factory. */
class Launcher extends SessionLauncher {
  constructor(
    initiator: ISessionDescription | null,
    acceptor: ISessionDescription | null,
    private readonly makeSession: (config: IJsFixConfig) => AsciiSessionType,
  ) {
    super(initiator, acceptor, new EmptyLogFactory());
  }
  protected override makeFactory(_config: IJsFixConfig) {
    return { makeSession: (c: IJsFixConfig) => this.makeSession(c) };
  }
}

/** Answers each NewOrderSingle with an ExecutionReport New; the same fields qf-rtt's acceptor sends. */
class AcceptorSession extends AsciiSession {
  private execId = 0;
  constructor(config: IJsFixConfig) {
    super(config);
    this.logReceivedMsgs = false;
  }
  protected override onApplicationMsg(msgType: string, view: MsgView): void {
    if (msgType !== 'D') return;
    const id = ++this.execId;
    const qty = view.getTyped(38) as number;
    this.send('8', {
      OrderID: `O${id}`,
      ClOrdID: view.getString(11) ?? '',
      ExecID: `E${id}`,
      ExecType: '0',
      OrdStatus: '0',
      Side: view.getString(54) ?? '',
      Instrument: { Symbol: view.getString(55) ?? '' },
      OrderQtyData: { OrderQty: qty },
      OrdType: view.getString(40) ?? '',
      Price: view.getTyped(44),
      LeavesQty: qty,
      CumQty: 0,
      AvgPx: 0,
      TransactTime: new Date(),
    });
  }
  protected override onReady(_view: MsgView): void {}
  protected override onLogon(_view: MsgView, _user: string, _password: string): boolean {
    return true;
  }
  protected override onStopped(_error?: Error): void {}
  protected override onDecoded(_msgType: string, _txt: string): void {}
  protected override onEncoded(_msgType: string, _txt: string): void {}
}

interface Pending {
  t0: number;
  resolve: (ns: number) => void;
  reject: (e: Error) => void;
}

class InitiatorSession extends AsciiSession {
  readyResolve: (() => void) | null = null;
  stoppedCallback: ((e?: Error) => void) | null = null;
  readonly pending = new Map<string, Pending>();

  constructor(config: IJsFixConfig) {
    super(config);
    this.logReceivedMsgs = false;
  }
  sendOrder(clOrdID: string): void {
    this.send('D', {
      ClOrdID: clOrdID,
      Side: '1',
      TransactTime: new Date(),
      OrdType: '2',
      Instrument: { Symbol: 'XBT/USD' },
      OrderQtyData: { OrderQty: 1 },
      Price: 100.5,
    });
  }
  logout(): void {
    this.done();
  }
  protected override onApplicationMsg(msgType: string, view: MsgView): void {
    if (msgType !== '8') return;
    const t = nowNs();
    const id = view.getString(11) ?? '';
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (view.getString(150) === '0') p.resolve(t - p.t0);
    else p.reject(new Error(`ExecutionReport ExecType ${view.getString(150)} for ClOrdID ${id}`));
  }
  protected override onReady(_view: MsgView): void {
    this.readyResolve?.();
  }
  protected override onLogon(_view: MsgView, _user: string, _password: string): boolean {
    return true;
  }
  protected override onStopped(error?: Error): void {
    for (const p of this.pending.values()) p.reject(error ?? new Error('jspurefix session stopped'));
    this.pending.clear();
    this.stoppedCallback?.(error);
  }
  protected override onDecoded(_msgType: string, _txt: string): void {}
  protected override onEncoded(_msgType: string, _txt: string): void {}
}

/** In-process jspurefix initiator: one NewOrderSingle per roundTrip(), matched by ClOrdID. */
export class JspurefixRttClient implements RttClient {
  readonly maxInFlight = 4096;
  private session: InitiatorSession | null = null;
  private launcher: Launcher | null = null;
  private running: Promise<unknown> | null = null;
  private seq = 0;
  private closed = false;

  constructor(
    private readonly endpoint: RttEndpoint,
    private readonly dictionary: string = fix44DictionaryPath(),
    private readonly connectTimeoutMs = 20_000,
  ) {}

  async connect(): Promise<void> {
    const d = description('initiator', this.endpoint.port, this.endpoint.senderCompID, this.endpoint.targetCompID, this.dictionary);
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    this.launcher = new Launcher(d, null, (c) => {
      const s = new InitiatorSession(c);
      s.readyResolve = resolveReady;
      this.session = s;
      return s;
    });
    const running = this.launcher.run();
    this.running = running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ready,
        running.then(() => {
          throw new Error('jspurefix initiator ended before logon');
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`jspurefix initiator: no logon within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  roundTrip(): Promise<number> {
    const s = this.session;
    if (!s || this.closed) return Promise.reject(new Error('jspurefix client not connected'));
    const id = String(++this.seq);
    return new Promise<number>((resolve, reject) => {
      s.pending.set(id, { t0: nowNs(), resolve, reject });
      s.sendOrder(id);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.session?.logout();
    } catch {
      // already down
    }
    this.launcher?.stop();
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, 3_000))]);
  }
}

/**
 * Acceptor process body: listens on 127.0.0.1:`port` (0 = ephemeral), prints `READY <port>` once
 * listening, and exits when stdin closes or after `maxSeconds`.
 */
export async function runJspurefixAcceptor(port: number, maxSeconds: number, dictionary = fix44DictionaryPath()): Promise<void> {
  const originalListen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]): net.Server {
    if (args.length === 1 && typeof args[0] === 'number') {
      this.once('listening', () => {
        const a = this.address();
        if (a && typeof a === 'object') process.stdout.write(`READY ${a.port}\n`);
      });
      return (originalListen as (...a: unknown[]) => net.Server).call(this, args[0], '127.0.0.1');
    }
    return (originalListen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof net.Server.prototype.listen;

  const launcher = new Launcher(null, description('acceptor', port, JSPF_ACCEPTOR_COMP, JSPF_INITIATOR_COMP, dictionary), (c) => new AcceptorSession(c));
  const stop = (why: string): void => {
    process.stdout.write(`STOPPING ${why}\n`);
    launcher.stop();
    // The listener closing lets run() resolve; do not wait on a lingering client.
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => stop('stdin error'));
  process.stdin.resume();
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  setTimeout(() => stop(`max ${maxSeconds} s`), maxSeconds * 1000).unref();
  // Keep the process alive until stop(): the launcher alone may resolve early on some versions.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    await launcher.run();
  } catch (e) {
    process.stdout.write(`ERROR ${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    clearInterval(keepAlive);
  }
}
