/**
 * Issue 9, security: TLS 1.3 only and certificate verification on by default, in both directions and
 * through the code paths a user actually runs (transport dial/acceptor, the simulator, the engine).
 * test/transport/tls.test.ts covers the policy helpers on a bare server; this file covers our
 * initiator against a TLS 1.2-only venue, our acceptor and the simulator against a TLS 1.2-only
 * client, and trust decisions (no CA, the wrong CA, a name the certificate does not carry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../src/engine/index.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator, type SimulatorHandle } from '../../src/sim/index.js';
import { simulatorCertificate, type SimCertificate } from '../../src/sim/tls-cert.js';
import { clientTlsOptions, dial, serverTlsOptions, startAcceptor, systemScheduler } from '../../src/transport/index.js';
import { simulatorInstruments } from '../../src/cli/run.js';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

let cert: SimCertificate;
/** A second, unrelated self-signed certificate: trusting it must not make `cert` trusted. */
let otherCert: SimCertificate;

beforeAll(async () => {
  cert = await simulatorCertificate(tempDir('kfix-sec-tls-'));
  otherCert = await simulatorCertificate(tempDir('kfix-sec-tls-other-'));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A plain node TLS server with the given protocol range; answers "ok" to anyone who completes a handshake. */
async function rawServer(opts: tls.TlsOptions): Promise<{ port: number; handshakes: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = tls.createServer({ key: cert.key, cert: cert.cert, ...opts }, (s) => {
    n++;
    s.end('ok');
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    handshakes: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Our initiator's dial (the path connectInitiator and the supervisor use). */
async function ourDial(port: number, config: Partial<Parameters<typeof clientTlsOptions>[0]>, warnings: string[] = []): Promise<{ protocol?: string | null; error?: string }> {
  const options = clientTlsOptions({ host: '127.0.0.1', ...config }, (m) => warnings.push(m));
  try {
    const socket = await dial({ host: '127.0.0.1', port }, { tls: options, timeoutMs: 5_000, scheduler: systemScheduler }).promise;
    const protocol = (socket as tls.TLSSocket).getProtocol();
    socket.destroy();
    return { protocol };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** A foreign client with a forced protocol range; reports whether the handshake completed. */
function foreignClient(port: number, opts: tls.ConnectionOptions): Promise<{ protocol: string | null; error?: string }> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca: cert.cert, ...opts }, () => {
      resolve({ protocol: s.getProtocol() });
      s.destroy();
    });
    s.setTimeout(5_000, () => {
      s.destroy();
      resolve({ protocol: null, error: 'timeout' });
    });
    s.on('error', (e: Error & { code?: string }) => resolve({ protocol: null, error: `${e.code ?? ''} ${e.message}` }));
  });
}

describe('our initiator', () => {
  it('refuses a TLS 1.2-only venue and says the peer does not speak TLS 1.3', async () => {
    const venue = await rawServer({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    try {
      const r = await ourDial(venue.port, { ca: cert.cert });
      expect(r.protocol).toBeUndefined();
      expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed/);
      expect(r.error).toMatch(/TLS 1\.3|PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/);
      expect(venue.handshakes()).toBe(0);
      // Control: the same venue lets a TLS 1.2 client in, so the refusal above is ours.
      expect((await foreignClient(venue.port, { maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
      expect(venue.handshakes()).toBe(1);
    } finally {
      await venue.close();
    }
  });

  it('verifies by default: a self-signed certificate it was not given as CA is refused with the reason', async () => {
    const venue = await rawServer({ minVersion: 'TLSv1.3' });
    try {
      const warnings: string[] = [];
      const r = await ourDial(venue.port, {}, warnings);
      expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: the server certificate is self-signed and not trusted/);
      expect(r.error).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN/);
      expect(warnings).toEqual([]);
    } finally {
      await venue.close();
    }
  });

  it('trusting another CA does not trust this certificate', async () => {
    const venue = await rawServer({ minVersion: 'TLSv1.3' });
    try {
      const r = await ourDial(venue.port, { ca: otherCert.cert });
      expect(r.protocol).toBeUndefined();
      expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed/);
      expect(r.error).toMatch(/self-signed|verify|SELF_SIGNED|UNABLE_TO_VERIFY/i);
    } finally {
      await venue.close();
    }
  });

  it('refuses a certificate that does not name the host it was asked for', async () => {
    const venue = await rawServer({ minVersion: 'TLSv1.3' });
    try {
      const r = await ourDial(venue.port, { ca: cert.cert, servername: 'fix.kraken.com' });
      expect(r.error).toMatch(/does not name this host/);
      expect(r.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    } finally {
      await venue.close();
    }
  });

  it('connects with TLS 1.3 once given the CA, without any warning', async () => {
    const venue = await rawServer({ minVersion: 'TLSv1.2' });
    try {
      const warnings: string[] = [];
      const r = await ourDial(venue.port, { ca: cert.cert }, warnings);
      expect(r.error).toBeUndefined();
      expect(r.protocol).toBe('TLSv1.3');
      expect(warnings).toEqual([]);
    } finally {
      await venue.close();
    }
  });
});

describe('our acceptor', () => {
  it('refuses a TLS 1.2-only client and serves a TLS 1.3 one', async () => {
    const acceptor = await startAcceptor({ port: 0, sessions: () => undefined, tls: serverTlsOptions(cert.key, cert.cert) });
    try {
      const old = await foreignClient(acceptor.port, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
      expect(old.protocol).toBeNull();
      expect(old.error).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|protocol/i);
      const current = await foreignClient(acceptor.port, {});
      expect(current.protocol).toBe('TLSv1.3');
    } finally {
      await acceptor.close();
    }
  });
});

describe('the simulator over TLS', () => {
  let sim: SimulatorHandle;
  const account = DEFAULT_ACCOUNTS[0]!.spot!;
  beforeAll(async () => {
    sim = await startKrakenSimulator({
      ports: { spotTrading: 0, spotMd: 0, derivTrading: 0, derivMd: 0, derivMdL3: 0, spotMdL3: 0 },
      tls: { certDir: tempDir('kfix-sec-simtls-') },
      flow: { enabled: false },
    });
  });
  afterAll(() => sim.close());

  it('refuses a TLS 1.2-only client on every port', async () => {
    for (const [service, port] of Object.entries(sim.ports)) {
      const r = await foreignClient(port, { ca: sim.certificate!.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
      expect(r.protocol, service).toBeNull();
      expect(r.error, service).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|protocol/i);
    }
  });

  it('never answers a plain-TCP Logon on its TLS port', async () => {
    const socket = tcpConnect({ host: '127.0.0.1', port: sim.ports.spotTrading });
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => {});
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write('8=FIX.4.4\x019=5\x0135=A\x0110=000\x01');
    await new Promise<void>((r) => {
      socket.once('close', () => r());
      setTimeout(() => { socket.destroy(); r(); }, 2_000).unref();
    });
    // Whatever came back (a TLS alert at most) is not FIX.
    expect(Buffer.concat(received).toString('latin1')).not.toContain('8=FIX');
  });

  it('the engine refuses the simulator certificate unless given it as CA, then logs on over TLS 1.3', async () => {
    const config = {
      host: '127.0.0.1',
      port: sim.ports.spotTrading,
      senderCompID: account.senderCompID,
      targetCompID: TARGET_COMP_IDS.spotTrading,
      credentials: { apiKey: account.apiKey, secretBase64: account.apiSecret },
      instruments: simulatorInstruments(['XBT/USD']),
      strategies: [],
      logonTimeoutMs: 5_000,
    };
    await expect(startEngine({ ...config, tls: {} })).rejects.toThrow(/TLS handshake with .* failed: .*self-signed.*not trusted \(pass its CA/);
    expect(sim.stats().logons).toBe(0);
    const engine = await startEngine({ ...config, tls: { ca: sim.certificate!.cert } });
    try {
      expect(engine.health().loggedOn).toBe(true);
      expect(sim.stats().logons).toBe(1);
    } finally {
      await engine.stop();
    }
  });
});
