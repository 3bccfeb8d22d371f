// A tiny TCP proxy on 127.0.0.1 for the interop tests: forwards to an upstream port and, on command,
// black-holes one direction (bytes read and discarded, as a network that stopped delivering) or cuts
// every connection at once (both sockets destroyed: whatever was in flight is lost). Test-only.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class CutProxy {
  readonly pairs = new Set<Pair>();
  /** Connections accepted so far. */
  accepted = 0;
  /** Discarded bytes per direction, as latin1 text (small in these tests), for assertions. */
  readonly discarded: Record<Direction, string> = { up: '', down: '' };
  /** Per connection: bytes forwarded each way and who closed first (diagnostics). */
  readonly log: Array<{ conn: number; up: number; down: number; closedBy: string }> = [];
  private readonly holding: Record<Direction, boolean> = { up: false, down: false };

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(upstreamPort: number): Promise<CutProxy> {
    let proxy: CutProxy | null = null;
    const server = createServer((client) => proxy!.onClient(client, upstreamPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new CutProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /** Stops delivering one direction: bytes are read and dropped (both ends still see an open socket). */
  hold(direction: Direction): void {
    this.holding[direction] = true;
  }

  /** Destroys every connection pair now and delivers normally to the next ones. */
  cut(): void {
    for (const e of this.log) e.closedBy ||= 'cut';
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    this.holding.up = false;
    this.holding.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private onClient(client: Socket, upstreamPort: number): void {
    this.accepted++;
    client.setNoDelay(true);
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
    const pair: Pair = { client, upstream };
    const entry = { conn: this.accepted, up: 0, down: 0, closedBy: '' };
    this.log.push(entry);
    this.pairs.add(pair);
    const pending: Buffer[] = [];
    let upstreamReady = false;
    const drop = (who: string) => {
      entry.closedBy ||= who;
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => {
      if (this.holding.up) this.discarded.up += d.toString('latin1');
      else if (upstreamReady) { entry.up += d.length; upstream.write(d); }
      else pending.push(d);
    });
    upstream.on('connect', () => {
      upstreamReady = true;
      for (const d of pending.splice(0)) { entry.up += d.length; upstream.write(d); }
    });
    upstream.on('data', (d: Buffer) => {
      if (this.holding.down) this.discarded.down += d.toString('latin1');
      else { entry.down += d.length; client.write(d); }
    });
    for (const [s, name] of [[client, 'client'], [upstream, 'upstream']] as const) {
      s.on('error', (e: Error) => drop(`${name} error ${e.message}`));
      s.on('close', () => drop(`${name} close`));
      s.on('end', () => drop(`${name} end`));
    }
  }
}
