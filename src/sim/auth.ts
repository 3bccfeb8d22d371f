/**
 * Trading-session Logon authentication as Kraken does it (spec §2): the API key in 553 must be the one
 * configured for the SenderCompID, 554 must equal the signature recomputed with the configured secret
 * over this Logon's 34/49/56/553 and the 5025 nonce, and the nonce (epoch ms) must lie within the
 * window around the simulator's clock and be above the last accepted nonce of that key.
 * Returns null to accept or the Logout text to refuse with.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MessageView } from '../codec/index.js';
import { krakenLogonPassword } from '../kraken/auth.js';
import { Credentials } from '../kraken/credentials.js';
import { TEXT, type SimCredential } from './config.js';

export type LogonFailure = 'credentials-missing' | 'api-key' | 'signature' | 'nonce-window' | 'nonce-order';

export class LogonVerifier {
  /** Last accepted nonce per API key. */
  private readonly lastNonce = new Map<string, number>();
  readonly failures: Record<LogonFailure, number> = {
    'credentials-missing': 0,
    'api-key': 0,
    signature: 0,
    'nonce-window': 0,
    'nonce-order': 0,
  };

  constructor(private readonly nonceWindowMs: number) {}

  /** Checks a trading Logon against `cred`; `nowMicros` is the simulator's clock. */
  verify(view: MessageView, cred: SimCredential, nowMicros: number): string | null {
    const apiKey = view.getString(553);
    const password = view.getString(554);
    const nonceText = view.getString(5025);
    if (apiKey === undefined || password === undefined || nonceText === undefined) return this.fail('credentials-missing', TEXT.missingCredentials);
    if (apiKey !== cred.apiKey) return this.fail('api-key', TEXT.wrongApiKey);
    const expected = krakenLogonPassword(new Credentials(cred.apiKey, cred.apiSecret), {
      msgSeqNum: view.getInt(34),
      senderCompID: view.getString(49) ?? '',
      targetCompID: view.getString(56) ?? '',
      nonce: nonceText,
    });
    const a = Buffer.from(password, 'latin1');
    const b = Buffer.from(expected, 'latin1');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return this.fail('signature', TEXT.badSignature);
    const nonce = /^\d{1,16}$/.test(nonceText) ? Number(nonceText) : NaN;
    if (!(Math.abs(nonce - nowMicros / 1000) <= this.nonceWindowMs)) return this.fail('nonce-window', TEXT.nonceOutOfWindow);
    const last = this.lastNonce.get(apiKey) ?? -1;
    if (nonce <= last) return this.fail('nonce-order', TEXT.nonceNotIncreasing);
    this.lastNonce.set(apiKey, nonce);
    return null;
  }

  private fail(kind: LogonFailure, text: string): string {
    this.failures[kind]++;
    return text;
  }
}
