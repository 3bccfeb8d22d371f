// API key + secret handling. The secret is wrapped so that no ordinary way of printing an object
// (String(), template literals, JSON.stringify, util.inspect/console.log, error messages) can reveal it.
// Loading errors name the variable or file, never a value.

import { readFileSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import { type Result, err, ok } from './types.js';

export const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The only way to read the value. Call it at the point of use (signing) and do not store the result. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export class Credentials {
  readonly #apiKey: Secret;
  readonly #apiSecret: Secret;
  constructor(apiKey: string, apiSecretB64: string) {
    this.#apiKey = new Secret(apiKey);
    this.#apiSecret = new Secret(apiSecretB64);
  }
  /** The API key goes on the wire in 553, but it is still an account identifier: keep it out of logs. */
  apiKey(): string {
    return this.#apiKey.reveal();
  }
  /** HMAC key bytes (base64-decoded secret). */
  secretKeyBytes(): Buffer {
    return Buffer.from(this.#apiSecret.reveal(), 'base64');
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export type CredentialsSource =
  | { readonly kind: 'env'; readonly apiKeyVar: string; readonly apiSecretVar: string }
  | { readonly kind: 'file'; readonly path: string };

export type CredentialsErrorCode =
  | 'ENV_VAR_MISSING'
  | 'SECRET_NOT_BASE64'
  | 'API_KEY_INVALID'
  | 'FILE_UNREADABLE'
  | 'FILE_INVALID';

export interface CredentialsError {
  readonly code: CredentialsErrorCode;
  /** Where the problem is (variable name or file path, plus field) — never the value. */
  readonly where: string;
  readonly message: string;
}

export interface LoadedCredentials {
  readonly credentials: Credentials;
  /** Non-fatal problems, e.g. a group/world-readable credentials file. Returned, not printed. */
  readonly warnings: readonly string[];
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
// API keys are base64-ish tokens; reject whitespace/control characters that would corrupt field 553.
const API_KEY_RE = /^[\x21-\x7e]+$/;

function checkPair(
  apiKey: string,
  apiSecret: string,
  keyWhere: string,
  secretWhere: string,
): Result<Credentials, CredentialsError> {
  if (!API_KEY_RE.test(apiKey) || apiKey.includes('\x01')) {
    return err({ code: 'API_KEY_INVALID', where: keyWhere, message: `API key in ${keyWhere} is empty or contains whitespace/control characters` });
  }
  const secret = apiSecret.trim();
  if (!BASE64_RE.test(secret) || secret.length % 4 !== 0 || Buffer.from(secret, 'base64').length === 0) {
    return err({ code: 'SECRET_NOT_BASE64', where: secretWhere, message: `API secret in ${secretWhere} is not valid base64` });
  }
  return ok(new Credentials(apiKey.trim(), secret));
}

export function loadCredentialsFromEnv(
  apiKeyVar: string,
  apiSecretVar: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Result<LoadedCredentials, CredentialsError> {
  const key = env[apiKeyVar];
  if (key === undefined || key.trim() === '') {
    return err({ code: 'ENV_VAR_MISSING', where: apiKeyVar, message: `environment variable ${apiKeyVar} is not set` });
  }
  const secret = env[apiSecretVar];
  if (secret === undefined || secret.trim() === '') {
    return err({ code: 'ENV_VAR_MISSING', where: apiSecretVar, message: `environment variable ${apiSecretVar} is not set` });
  }
  const r = checkPair(key.trim(), secret, `environment variable ${apiKeyVar}`, `environment variable ${apiSecretVar}`);
  return r.ok ? ok({ credentials: r.value, warnings: [] }) : r;
}

/**
 * File formats: JSON `{"apiKey": "...", "apiSecret": "..."}` or lines `apiKey=...` / `apiSecret=...`
 * (blank lines and `#` comments allowed).
 */
export function loadCredentialsFromFile(path: string): Result<LoadedCredentials, CredentialsError> {
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (e) {
    // Only the errno code: fs messages contain the path (fine) but we keep one format for all errors.
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    return err({ code: 'FILE_UNREADABLE', where: path, message: `credentials file ${path} cannot be read (${code})` });
  }
  const warnings: string[] = [];
  // Any group/other bit counts (as ssh does for keys): a writable file lets someone swap the credentials.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, '0');
    const what = (mode & 0o044) !== 0 ? 'readable' : (mode & 0o022) !== 0 ? 'writable' : 'accessible';
    warnings.push(`credentials file ${path} is ${what} by group/others (mode ${octal}); run chmod 600 ${path}`);
  }
  const fields = parseCredentialsText(text);
  if (fields === null) {
    // Never include the parser's message: JSON.parse errors quote the offending input.
    return err({ code: 'FILE_INVALID', where: path, message: `credentials file ${path} is neither JSON nor key=value lines` });
  }
  if (fields.apiKey === undefined) {
    return err({ code: 'FILE_INVALID', where: `${path}: apiKey`, message: `credentials file ${path} has no apiKey` });
  }
  if (fields.apiSecret === undefined) {
    return err({ code: 'FILE_INVALID', where: `${path}: apiSecret`, message: `credentials file ${path} has no apiSecret` });
  }
  const r = checkPair(fields.apiKey, fields.apiSecret, `${path}: apiKey`, `${path}: apiSecret`);
  return r.ok ? ok({ credentials: r.value, warnings }) : r;
}

export function loadCredentials(
  source: CredentialsSource,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Result<LoadedCredentials, CredentialsError> {
  return source.kind === 'env'
    ? loadCredentialsFromEnv(source.apiKeyVar, source.apiSecretVar, env)
    : loadCredentialsFromFile(source.path);
}

function parseCredentialsText(text: string): { apiKey?: string; apiSecret?: string } | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return null;
    }
    if (parsed === null || typeof parsed !== 'object') return null;
    const o = parsed as Record<string, unknown>;
    const out: { apiKey?: string; apiSecret?: string } = {};
    if (typeof o.apiKey === 'string') out.apiKey = o.apiKey;
    if (typeof o.apiSecret === 'string') out.apiSecret = o.apiSecret;
    return out;
  }
  const out: { apiKey?: string; apiSecret?: string } = {};
  for (const raw of trimmed.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return null;
    const name = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (name === 'apiKey') out.apiKey = value;
    else if (name === 'apiSecret') out.apiSecret = value;
  }
  return out;
}
