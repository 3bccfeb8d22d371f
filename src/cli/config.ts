/**
 * The one configuration file (JSON) a team writes: sessions, credentials by reference, store, strategy.
 * Validated with zod so `kfix check-config` can say exactly which field is wrong and why. Secrets are
 * never in the file: only the names of the environment variables (or a file path) that hold them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadCredentialsFromFile } from '../kraken/credentials.js';

const compId = z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces or SOH');

const credentials = z.union([
  z.object({
    apiKeyEnv: z.string().min(1).describe('environment variable holding the FIX API key'),
    apiSecretEnv: z.string().min(1).describe('environment variable holding the base64 API secret'),
  }).strict(),
  z.object({ file: z.string().min(1).describe('JSON file {apiKey, apiSecret}, mode 0600') }).strict(),
]);

const schedule = z.object({
  /** Daily logical rollover, UTC "HH:MM"; Kraken resets sequence numbers at 22:00. */
  rolloverUtc: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM in UTC').default('22:00'),
}).strict();

const tls = z.object({
  enabled: z.boolean().default(true),
  /** Turning verification off is for UAT only and is logged loudly. */
  verify: z.boolean().default(true),
  servername: z.string().optional(),
  caFile: z.string().optional(),
}).strict();

export const sessionSchema = z.object({
  name: z.string().min(1),
  venue: z.enum(['simulator', 'kraken-uat', 'kraken-production']),
  market: z.enum(['spot', 'derivatives']),
  kind: z.enum(['trading', 'md-l2', 'md-l3']),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  senderCompID: compId,
  targetCompID: compId,
  heartBtIntSeconds: z.number().int().min(1).max(300).default(60),
  tls: tls.default({ enabled: true, verify: true }),
  credentials: credentials.optional(),
  clientID: z.string().optional(),
  cancelOrdersOnDisconnect: z.boolean().default(true),
  schedule: schedule.default({ rolloverUtc: '22:00' }),
  /** Your Kraken Spot tier: the engine then refuses locally what Kraken's rate counter would reject. */
  rateLimitTier: z.enum(['starter', 'intermediate', 'pro']).optional(),
}).strict().superRefine((s, ctx) => {
  if (s.kind === 'trading' && !s.credentials) {
    ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'trading sessions need credentials (apiKeyEnv/apiSecretEnv or file)' });
  }
  if (s.venue === 'kraken-production' && !s.tls.verify) {
    ctx.addIssue({ code: 'custom', path: ['tls', 'verify'], message: 'certificate verification cannot be turned off for production' });
  }
  if (s.market === 'derivatives' && !s.senderCompID.endsWith('_DRV') && s.venue !== 'simulator') {
    ctx.addIssue({ code: 'custom', path: ['senderCompID'], message: 'Kraken derivatives SenderCompIDs end in _DRV' });
  }
});

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number as a string, e.g. "0.1"');

/** Instrument rules (normally from Kraken's InstrumentList); needed for local validation before sending. */
export const instrumentSchema = z.object({
  symbol: z.string().min(1),
  tickSize: decimalString,
  priceDecimals: z.number().int().min(0).max(12),
  qtyIncrement: decimalString,
  qtyDecimals: z.number().int().min(0).max(12),
  qtyMin: decimalString,
  qtyMax: decimalString.optional(),
  minCost: decimalString.optional(),
}).strict();

export const configSchema = z.object({
  sessions: z.array(sessionSchema).min(1),
  /** Spot instruments to trade; for the simulator they default to its catalogue. */
  instruments: z.array(instrumentSchema).optional(),
  store: z.object({
    dir: z.string().min(1).default('.kfix/store'),
    fsync: z.enum(['every', 'batch', 'none']).default('batch'),
    batchMaxMessages: z.number().int().min(1).default(64),
    batchMaxDelayMs: z.number().int().min(0).default(2),
  }).strict().default({ dir: '.kfix/store', fsync: 'batch', batchMaxMessages: 64, batchMaxDelayMs: 2 }),
  strategy: z.object({
    mode: z.enum(['worker', 'inline']).default('worker'),
    settings: z.record(z.string(), z.unknown()).default({}),
  }).strict().default({ mode: 'worker', settings: {} }),
  metrics: z.object({ port: z.number().int().min(0).max(65535).default(0) }).strict().default({ port: 0 }),
}).strict();

export type KfixConfig = z.infer<typeof configSchema>;
export type SessionConfigEntry = z.infer<typeof sessionSchema>;

export type ConfigResult = { ok: true; config: KfixConfig; warnings: string[] } | { ok: false; errors: string[] };

/** Reads and validates a config file; every problem is reported as `path: reason`. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): ConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, errors: [`${path}: ${(err as Error).message}`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`${path}: ${jsonSyntaxError(text, err as Error)}`] };
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`) };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  parsed.data.sessions.forEach((s, i) => {
    const c = s.credentials;
    if (c && 'apiKeyEnv' in c) {
      // Only the variable's name is ever printed, never its value.
      if (!env[c.apiKeyEnv]) errors.push(`sessions.${i}.credentials.apiKeyEnv: environment variable ${c.apiKeyEnv} is not set`);
      if (!env[c.apiSecretEnv]) errors.push(`sessions.${i}.credentials.apiSecretEnv: environment variable ${c.apiSecretEnv} is not set`);
    } else if (c && 'file' in c) {
      // Messages from the credentials loader name the file and field, never a value.
      const loaded = loadCredentialsFromFile(c.file);
      if (!loaded.ok) errors.push(`sessions.${i}.credentials.file: ${loaded.error.message}`);
      else for (const w of loaded.value.warnings) warnings.push(`sessions.${i}.credentials.file: ${w}`);
    }
    if (!s.tls.verify) warnings.push(`sessions.${i}.tls.verify is false: certificates will NOT be checked`);
  });
  return errors.length ? { ok: false, errors } : { ok: true, config: parsed.data, warnings };
}

/**
 * V8's JSON.parse messages quote the text around the error (`Unexpected token 'c', ..."Secret": c2Vj"...`),
 * and a misplaced secret may be in that text: report only where the error is.
 */
function jsonSyntaxError(text: string, err: Error): string {
  const where = (offset: number) => {
    const before = text.slice(0, offset);
    return `line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`;
  };
  const at = /at position (\d+)/.exec(err.message);
  if (at) return `not valid JSON (syntax error at ${where(Number(at[1]))})`;
  if (/end of JSON input/.test(err.message)) return 'not valid JSON (the text ends in the middle of a value)';
  // `Unexpected token 'x', ..."<10 chars>x<10 chars>"...`: find the quoted excerpt in the text, never print it.
  const excerpt = /, (\.\.\.)?"([\s\S]+)"(\.\.\.)? is not valid JSON$/.exec(err.message);
  // With a leading '...' the bad token is the excerpt's 11th character; without, V8 quoted a short text whole.
  const found = excerpt?.[1] ? text.indexOf(excerpt[2]!) : -1;
  return found >= 0 ? `not valid JSON (syntax error at ${where(found + 10)})` : 'not valid JSON';
}
