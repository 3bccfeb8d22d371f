/**
 * TLS policy for every connection we make or accept: TLS 1.3 only, certificate verification on unless
 * the operator turns it off explicitly (and then it is logged loudly), SNI sent, and failures explained
 * with protocol, cipher, certificate subject and reason instead of a bare socket error.
 */
import type { ConnectionOptions, PeerCertificate, TLSSocket, TlsOptions } from 'node:tls';

export interface ClientTlsConfig {
  host: string;
  /** Verify the server certificate (default true). Off only for UAT-style testing. */
  verify?: boolean;
  /** Extra trusted CA in PEM (e.g. the simulator's self-signed certificate). */
  ca?: string | Buffer;
  servername?: string;
}

export type TlsWarn = (message: string) => void;

export function clientTlsOptions(config: ClientTlsConfig, warn: TlsWarn): ConnectionOptions {
  const verify = config.verify ?? true;
  if (!verify) {
    warn(`TLS CERTIFICATE VERIFICATION IS OFF for ${config.host}: the peer is not authenticated; never do this in production`);
  }
  const isIp = /^[\d.]+$|:/.test(config.host);
  return {
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
    rejectUnauthorized: verify,
    ...(config.ca ? { ca: config.ca } : {}),
    // SNI must be a host name; an IP literal is not allowed in the extension.
    ...(config.servername ?? (!isIp ? config.host : undefined) ? { servername: config.servername ?? config.host } : {}),
  };
}

export function serverTlsOptions(key: string | Buffer, cert: string | Buffer): TlsOptions {
  return { key, cert, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' };
}

/** One sentence a person can act on: what failed, against whom, with which protocol and certificate. */
export function explainTlsError(err: Error & { code?: string; reason?: string }, socket?: TLSSocket, host?: string): string {
  const parts: string[] = [`TLS handshake with ${host ?? 'peer'} failed: ${describeCode(err)}`];
  if (socket) {
    const protocol = safe(() => socket.getProtocol());
    const cipher = safe(() => socket.getCipher()?.name);
    const cert = safe(() => socket.getPeerCertificate()) as PeerCertificate | undefined;
    if (protocol) parts.push(`protocol ${protocol}`);
    if (cipher) parts.push(`cipher ${cipher}`);
    if (cert && cert.subject) {
      parts.push(`certificate subject ${formatName(cert.subject)}, issuer ${formatName(cert.issuer)}, valid ${cert.valid_from} to ${cert.valid_to}`);
    }
  }
  return parts.join('; ');
}

function describeCode(err: Error & { code?: string; reason?: string }): string {
  const code = err.code ?? '';
  const known: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted (pass its CA, or for a test venue turn verification off explicitly)',
    SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate in the chain is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain cannot be verified (missing intermediate or CA)',
    CERT_HAS_EXPIRED: 'the server certificate has expired (check the clock too)',
    CERT_NOT_YET_VALID: 'the server certificate is not valid yet (check the clock)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
    ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the peer does not speak TLS 1.3',
    ERR_SSL_UNSUPPORTED_PROTOCOL: 'the peer offered a protocol older than TLS 1.3',
    ERR_SSL_WRONG_VERSION_NUMBER: 'the peer is not speaking TLS (plain TCP port?)',
    ECONNRESET: 'the peer closed the connection during the handshake (IP not allow-listed, or plain TCP refused)',
  };
  const reason = known[code] ?? err.reason ?? err.message;
  return code ? `${reason} [${code}]` : reason;
}

function formatName(n: Record<string, unknown> | undefined): string {
  if (!n) return '?';
  return Object.entries(n).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f() ?? undefined;
  } catch {
    return undefined;
  }
}
