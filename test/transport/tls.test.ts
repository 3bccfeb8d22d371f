// TLS policy over real loopback sockets: TLS 1.3 only, verification on by default, failures explained.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorCertificate, type SimCertificate } from '../../src/sim/tls-cert.js';
import { clientTlsOptions, explainTlsError, serverTlsOptions } from '../../src/transport/tls-options.js';

let cert: SimCertificate;
let server: tls.Server;
let port = 0;

beforeAll(async () => {
  cert = await simulatorCertificate(mkdtempSync(join(tmpdir(), 'kfix-tls-')));
  server = tls.createServer(serverTlsOptions(cert.key, cert.cert), (s) => s.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function connect(opts: tls.ConnectionOptions): Promise<{ protocol: string | null; error?: string }> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ...opts }, () => {
      resolve({ protocol: s.getProtocol() });
      s.destroy();
    });
    s.setTimeout(5000, () => { s.destroy(); resolve({ protocol: null, error: 'timeout' }); });
    s.on('error', (e) => resolve({ protocol: null, error: explainTlsError(e, s, `127.0.0.1:${port}`) }));
  });
}

describe('TLS policy', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);

  it('connects with TLS 1.3 when the simulator certificate is trusted', async () => {
    const r = await connect(clientTlsOptions({ host: '127.0.0.1', ca: cert.cert }, warn));
    expect(r.error).toBeUndefined();
    expect(r.protocol).toBe('TLSv1.3');
    expect(warnings).toHaveLength(0);
  });

  it('verifies by default: an untrusted self-signed certificate is refused with the reason', async () => {
    const r = await connect(clientTlsOptions({ host: '127.0.0.1' }, warn));
    expect(r.protocol).toBeNull();
    expect(r.error).toMatch(/self-signed/);
    expect(r.error).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED/);
  });

  it('turning verification off is explicit and logged loudly', async () => {
    const r = await connect(clientTlsOptions({ host: '127.0.0.1', verify: false }, warn));
    expect(r.protocol).toBe('TLSv1.3');
    expect(warnings.join('\n')).toMatch(/VERIFICATION IS OFF/);
  });

  it('a TLS 1.2-only client is refused and the error says so', async () => {
    const r = await connect({ ca: cert.cert, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' });
    expect(r.protocol).toBeNull();
    expect(r.error).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed/);
    expect(r.error).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|protocol/i);
  });

  it('reuses the certificate it made before', async () => {
    const again = await simulatorCertificate(join(cert.certPath, '..'));
    expect(again.cert).toBe(cert.cert);
  });
});
