/**
 * The simulator's own self-signed TLS certificate (EC P-256, for 127.0.0.1 and localhost), made on
 * first use and kept in a directory so clients can be pointed at it as their trusted CA. Nothing is
 * downloaded.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface SimCertificate {
  key: string;
  cert: string;
  certPath: string;
}

export async function simulatorCertificate(dir: string): Promise<SimCertificate> {
  const keyPath = join(dir, 'sim-key.pem');
  const certPath = join(dir, 'sim-cert.pem');
  if (existsSync(keyPath) && existsSync(certPath)) {
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
  }
  mkdirSync(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 86_400_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'kfix-simulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  } as never);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert, certPath };
}
