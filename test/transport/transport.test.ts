// TCP acceptor and initiator around real sessions on 127.0.0.1: logon, an application message
// each way, logout; unknown CompIDs and a duplicate identity are refused by closing the socket.
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock, getDictionary } from '../../src/codec/index.js';
import { FixSession, type SessionApplication } from '../../src/session/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { simulatorCertificate } from '../../src/sim/tls-cert.js';
import { connectInitiator, startAcceptor, type AcceptorHandle } from '../../src/transport/index.js';
import { clientTlsOptions, serverTlsOptions } from '../../src/transport/tls-options.js';

const clock = new SystemClock();

function session(role: 'initiator' | 'acceptor', sender: string, target: string, application: SessionApplication = {}) {
  return new FixSession({
    role,
    senderCompID: sender,
    targetCompID: target,
    dictionary: getDictionary({ kraken: false }),
    store: new MemoryStore({ sessionStartMicros: clock.nowMicros() }),
    clock,
    heartBtIntSec: 5,
    resetSeqNumOnLogon: role === 'initiator',
    validation: { enabled: true },
    application,
  });
}

function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

/** Raw client: resolves with everything received until the acceptor closes (bounded). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('acceptor did not close the connection')); }, 5000);
    socket.on('connect', () => socket.write(Buffer.from(bytes, 'latin1')));
    socket.on('data', (d) => { got += d.toString('latin1'); });
    socket.on('close', () => { clearTimeout(timer); resolve(got); });
    socket.on('error', () => {});
  });
}

function logonText(sender: string, target: string): string {
  const now = new Date().toISOString().replace(/[-T]/g, (c) => (c === 'T' ? '-' : '')).slice(0, 21).replace(/^(\d{8})-/, '$1-');
  const body = `35=A\x0134=1\x0149=${sender}\x0152=${now}\x0156=${target}\x0198=0\x01108=30\x01141=Y\x01`;
  const msg = `8=FIX.4.4\x019=${body.length}\x01${body}`;
  let sum = 0;
  for (let i = 0; i < msg.length; i++) sum += msg.charCodeAt(i);
  return `${msg}10=${String(sum & 0xff).padStart(3, '0')}\x01`;
}

describe('transport', () => {
  let acceptor: AcceptorHandle | undefined;
  afterEach(async () => {
    await acceptor?.close();
    acceptor = undefined;
  });

  it('initiator and acceptor log on, exchange application messages and log out', async () => {
    const received: string[] = [];
    const server = session('acceptor', 'EXCH', 'CLIENT', {
      onAppMessage: (s, view) => {
        received.push(`server:${view.getString(11)}`);
        s.sendFields('8', [[37, 'o1'], [11, view.getString(11)!], [17, 'e1'], [150, '0'], [39, '0'], [54, '1'], [151, 1], [14, 0], [6, 0]]);
      },
    });
    const client = session('initiator', 'CLIENT', 'EXCH', {
      onAppMessage: (_s, view) => received.push(`client:${view.getString(35)}:${view.getString(11)}`),
    });
    acceptor = await startAcceptor({ port: 0, sessions: (s, t) => (s === 'CLIENT' && t === 'EXCH' ? server : undefined) });
    const conn = await connectInitiator({ port: acceptor.port, session: client });
    await until(() => client.isLoggedOn && server.isLoggedOn);
    const seq = client.sendFields('D', [[11, 'c1'], [21, '1'], [40, '1'], [54, '1'], [55, 'X'], [60, '20240514-12:00:00']]);
    expect(seq).toBe(2);
    await until(() => received.length === 2);
    expect(received).toEqual(['server:c1', 'client:8:c1']);
    client.logout('done');
    await conn.closed;
    await until(() => !server.isConnected);
  });

  it('refuses a Logon for unknown CompIDs by closing the connection', async () => {
    acceptor = await startAcceptor({ port: 0, sessions: () => undefined });
    expect(await rawExchange(acceptor.port, logonText('WT', 'ISLD'))).toBe('');
  });

  it('refuses garbage before logon', async () => {
    const server = session('acceptor', 'EXCH', 'CLIENT');
    acceptor = await startAcceptor({ port: 0, sessions: () => server });
    expect(await rawExchange(acceptor.port, 'hello\r\n'.repeat(3) + '8=FIX.4.4\x019=5\x0135=A\x0110=000\x01')).toBe('');
  });

  it('refuses a second connection for a session that already has one (duplicate identity)', async () => {
    const server = session('acceptor', 'EXCH', 'CLIENT');
    const client = session('initiator', 'CLIENT', 'EXCH');
    acceptor = await startAcceptor({ port: 0, sessions: (s) => (s === 'CLIENT' ? server : undefined) });
    const conn = await connectInitiator({ port: acceptor.port, session: client });
    await until(() => client.isLoggedOn);
    expect(await rawExchange(acceptor.port, logonText('CLIENT', 'EXCH'))).toBe('');
    expect(client.isLoggedOn).toBe(true);
    conn.close();
    await conn.closed;
  });

  it('runs the same session over TLS 1.3', async () => {
    const cert = await simulatorCertificate(mkdtempSync(join(tmpdir(), 'kfix-tls-')));
    const server = session('acceptor', 'EXCH', 'CLIENT');
    const client = session('initiator', 'CLIENT', 'EXCH');
    acceptor = await startAcceptor({ port: 0, sessions: () => server, tls: serverTlsOptions(cert.key, cert.cert) });
    const conn = await connectInitiator({
      port: acceptor.port,
      session: client,
      tls: clientTlsOptions({ host: '127.0.0.1', ca: cert.cert, servername: 'localhost' }, () => {}),
    });
    await until(() => client.isLoggedOn && server.isLoggedOn);
    client.logout();
    await conn.closed;
  });
});
