/**
 * Issue 9, security: an API secret and the logon signatures computed from it never appear in what kfix
 * prints (stdout, stderr, pino logs), writes (journals, FIX message logs) or throws (errors from config
 * and credential loading, engine start-up). Realistic flows run against the simulator with a
 * recognisable canary secret; the simulator's wire tap records every 554 the engine actually sent, so the
 * signatures are searched for too. Control assertions show the canaries are really where they belong
 * (config files, the wire), so a scanner that saw nothing because nothing was there would fail.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/codec/index.js';
import { loadConfig } from '../../src/cli/config.js';
import { engineConfigFrom } from '../../src/cli/run.js';
import { resolveEngineConfig, startEngine } from '../../src/engine/index.js';
import { krakenLogonPassword } from '../../src/kraken/auth.js';
import { Credentials, loadCredentialsFromFile } from '../../src/kraken/credentials.js';
import { DEFAULT_ACCOUNTS, TARGET_COMP_IDS, startKrakenSimulator, type SimulatorHandle } from '../../src/sim/index.js';
import { TestClient } from '../sim/client.js';
import { filesUnder, Needles, signaturesIn } from './leak-check.js';

const ROOT = resolve(__dirname, '..', '..');
const KFIX = join(ROOT, 'bin', 'kfix.js');
const STRATEGY = join(ROOT, 'dist', 'examples', 'strategies', 'market-maker.js');

// Canaries share no 8-character fragment with each other or with anything kfix prints legitimately.
const SECRET_PLAIN = 'hmac-canary-Q7v2Lx-secret';
const SECRET = Buffer.from(SECRET_PLAIN).toString('base64');
const WRONG_PLAIN = 'wrong-canary-M4p8Rt-secret';
const WRONG = Buffer.from(WRONG_PLAIN).toString('base64');
const API_KEY = 'kfix-apikey-H3j9w';
const SENDER = 'CANARY';

const needles = new Needles()
  .add('API secret (base64)', SECRET)
  .add('API secret (decoded)', SECRET_PLAIN)
  .add('wrong API secret (base64)', WRONG)
  .add('wrong API secret (decoded)', WRONG_PLAIN);

/** Every 554 the simulator received from the canary account. */
const wire: Buffer[] = [];
function learnSignatures(): string[] {
  const sigs = signaturesIn(Buffer.concat(wire));
  sigs.forEach((s, i) => needles.add(`logon signature #${i + 1}`, s));
  return sigs;
}

/** Asserts that none of the needles is in `text`; the failure names the needle and the place, not the value. */
function expectClean(where: string, text: string): void {
  expect(needles.find(text), `secret material found in ${where}`).toEqual([]);
}

let sim: SimulatorHandle;
let work: string;
let storeDir: string;

beforeAll(async () => {
  expect(existsSync(STRATEGY), 'dist/ missing: run npm run build').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'kfix-sec-secrets-'));
  storeDir = join(work, 'store');
  sim = await startKrakenSimulator({
    ports: { spotTrading: 0, spotMd: 0, derivTrading: 0, derivMd: 0, derivMdL3: 0, spotMdL3: 0 },
    seed: 5,
    accounts: [...DEFAULT_ACCOUNTS, { name: 'canary', spot: { senderCompID: SENDER, apiKey: API_KEY, apiSecret: SECRET }, tier: 'pro' }],
    tap: (_service, sender) => (sender === SENDER ? { inbound: (c) => void wire.push(Buffer.from(c)), outbound: () => {} } : undefined),
  });
});
afterAll(async () => {
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Run { code: number | null; out: string }

/** `kfix ...` as a child process (async: the simulator lives in this process and must keep answering). */
function kfix(args: string[], env: Record<string, string> = {}, timeoutMs = 40_000): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [KFIX, ...args], { cwd: work, env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

/** Each config gets its own store: a logon with 141=Y empties the journal, and every run's journal is checked. */
function writeConfig(name: string, credentials: Record<string, string>, extra: Record<string, unknown> = {}): string {
  const path = join(work, name);
  const dir = join(storeDir, name.replace(/\.json$/, ''));
  writeFileSync(path, JSON.stringify({
    sessions: [
      { name: 't', venue: 'simulator', market: 'spot', kind: 'trading', host: '127.0.0.1', port: sim.ports.spotTrading,
        senderCompID: SENDER, targetCompID: TARGET_COMP_IDS.spotTrading, tls: { enabled: false, verify: true }, credentials },
      { name: 'md', venue: 'simulator', market: 'spot', kind: 'md-l2', host: '127.0.0.1', port: sim.ports.spotMd,
        senderCompID: SENDER, targetCompID: TARGET_COMP_IDS.spotMd, tls: { enabled: false, verify: true } },
    ],
    store: { dir },
    ...extra,
  }, null, 2));
  return path;
}

const PARAMS = '{"symbol":"XBT/USD","halfSpreadTicks":1,"minRequoteMs":200}';
const ENV_CREDS = { apiKeyEnv: 'CANARY_KEY', apiSecretEnv: 'CANARY_SECRET' };
const DEBUG = { KFIX_LOG_LEVEL: 'trace' };

describe('the leak checker itself', () => {
  it('finds a planted secret and names it without printing it', () => {
    expect(needles.find(`config: {"apiSecret":"${SECRET}"}`)).toEqual(['API secret (base64)']);
    // A fragment is enough (what V8's JSON.parse quotes around a syntax error).
    expect(needles.find(`Unexpected token, ..."iSecret": ${SECRET.slice(0, 10)}"... is not valid JSON`)).toEqual(['API secret (base64)']);
    expect(needles.find('nothing to see')).toEqual([]);
    expect(() => new Needles().add('short', 'abc')).toThrow(/too short/);
  });
});

describe('secrets stay out of output, logs, journals and errors', () => {
  it('kfix run with credentials from the environment: trades, and prints neither secret nor signature', async () => {
    const config = writeConfig('env.json', ENV_CREDS);
    const r = await kfix(['run', STRATEGY, '--config', config, '--duration', '4', '--params', PARAMS],
      { ...DEBUG, CANARY_KEY: API_KEY, CANARY_SECRET: SECRET });
    expect(r.code, r.out).toBe(0);
    expect(r.out, 'control: orders went out, so the journal has application messages').toMatch(/session Active \| md Active \| sent [1-9]\d* new/);
    const sigs = learnSignatures();
    expect(sigs.length, 'the engine signed a logon (control)').toBeGreaterThanOrEqual(1);
    expectClean('kfix run stdout/stderr', r.out);
    expect(r.out, 'the API key is an account identifier: not printed either').not.toContain(API_KEY);
  }, 60_000);

  it('kfix run with a credentials file (mode 600): same, and no permission warning', async () => {
    const creds = join(work, 'creds.json');
    writeFileSync(creds, JSON.stringify({ apiKey: API_KEY, apiSecret: SECRET }), { mode: 0o600 });
    chmodSync(creds, 0o600);
    expect(readFileSync(creds, 'utf8'), 'control: the credentials file holds the secret').toContain(SECRET);
    const config = writeConfig('file.json', { file: creds });
    const before = learnSignatures().length;
    const r = await kfix(['run', STRATEGY, '--config', config, '--duration', '3', '--params', PARAMS], DEBUG);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toMatch(/chmod/);
    expect(learnSignatures().length, 'a new logon was signed').toBeGreaterThan(before);
    expectClean('kfix run (credentials file) stdout/stderr', r.out);
  }, 60_000);

  it('a logon refused for a wrong secret: the error names the problem, not the secrets or the signature', async () => {
    const config = writeConfig('wrong.json', ENV_CREDS);
    const before = learnSignatures().length;
    const r = await kfix(['run', STRATEGY, '--config', config, '--duration', '2', '--params', PARAMS],
      { ...DEBUG, CANARY_KEY: API_KEY, CANARY_SECRET: WRONG });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/Invalid signature|logon|disconnected/i);
    expect(learnSignatures().length, 'the refused logon was signed and seen on the wire').toBeGreaterThan(before);
    expectClean('kfix run (wrong secret) stdout/stderr', r.out);
  }, 60_000);

  it('the same refusal in-process: the thrown error, its stack and inspect() are clean', async () => {
    const before = learnSignatures().length;
    let error: unknown;
    try {
      const engine = await startEngine({
        host: '127.0.0.1', port: sim.ports.spotTrading, senderCompID: SENDER, targetCompID: TARGET_COMP_IDS.spotTrading,
        credentials: { apiKey: API_KEY, secretBase64: WRONG }, instruments: engineConfigInstruments(), strategies: [], logonTimeoutMs: 5_000,
      });
      await engine.stop();
    } catch (err) {
      error = err;
    }
    expect(error, 'the engine must not log on with a wrong secret').toBeInstanceOf(Error);
    expect(learnSignatures().length).toBeGreaterThan(before);
    const e = error as Error;
    expectClean('startEngine error', `${e.message}\n${e.stack}\n${inspect(e)}\n${String(e)}`);
  }, 30_000);

  it('journals on disk hold no secret and no signature; kfix journal prints none', async () => {
    const files = filesUnder(storeDir);
    expect(files.length, 'control: the runs left a journal').toBeGreaterThan(0);
    expect(files.some(([, text]) => text.includes(`\x0135=D\x0134=`) && text.includes(`\x0149=${SENDER}\x01`)), 'control: a journal holds our orders').toBe(true);
    for (const [path, text] of files) expectClean(`journal file ${path}`, text);
    const envStore = join(storeDir, 'env');
    for (const args of [[envStore], [envStore, '--json'], [envStore, '--replay', '1-0']]) {
      const r = await kfix(['journal', ...args]);
      expect(r.out).toMatch(/NextSenderMsgSeqNum|nextSenderMsgSeqNum/);
      expectClean(`kfix journal ${args.slice(1).join(' ')}`, r.out);
    }
  }, 60_000);

  it('kfix decode of a raw capture holding logons masks the signature', async () => {
    const capture = join(work, 'capture.fix');
    writeFileSync(capture, Buffer.concat(wire));
    expect(signaturesIn(readFileSync(capture)).length, 'control: the capture holds signed logons').toBeGreaterThan(0);
    const r = await kfix(['decode', capture]);
    expect(r.out).toMatch(/Logon \(35=A\)/);
    expect(r.out).toMatch(/554 Password\s+\*\*\*\*/);
    expectClean('kfix decode of a raw capture', r.out);
  });

  it('kfix check-config on bad configs never echoes a misplaced secret', async () => {
    const misplaced = writeConfig('misplaced.json', { ...ENV_CREDS, apiSecret: SECRET });
    const asValue = join(work, 'as-value.json');
    writeFileSync(asValue, readFileSync(writeConfig('tmp.json', ENV_CREDS), 'utf8').replace('"venue": "simulator"', `"venue": "${SECRET}"`).replace(`"host": "127.0.0.1"`, `"host": "${SECRET}", "clientID": 7`));
    const unquoted = join(work, 'unquoted.json');
    writeFileSync(unquoted, `{"sessions": [{"credentials": {"apiSecret": ${SECRET}}}]}`);
    const truncated = join(work, 'truncated.json');
    writeFileSync(truncated, `{"sessions": [{"credentials": {"apiSecret": "${SECRET}`);
    const badCreds = join(work, 'bad-creds.json');
    writeFileSync(badCreds, `{"apiKey": "${API_KEY}", "apiSecret": ${SECRET}}`, { mode: 0o600 });
    const notBase64 = join(work, 'not-b64.json');
    writeFileSync(notBase64, JSON.stringify({ apiKey: API_KEY, apiSecret: `${SECRET_PLAIN} !` }), { mode: 0o600 });
    const text = (path: string) => readFileSync(path, 'utf8');
    // [what, config file, environment, where the canary is (control)]
    const cases: [string, string, Record<string, string>, string][] = [
      ['misplaced apiSecret', misplaced, {}, text(misplaced)],
      ['secret as a field value', asValue, {}, text(asValue)],
      ['unquoted secret (JSON syntax error)', unquoted, {}, text(unquoted)],
      ['truncated file', truncated, {}, text(truncated)],
      ['broken credentials file', writeConfig('bad-creds-cfg.json', { file: badCreds }), {}, text(badCreds)],
      ['credentials file with a non-base64 secret', writeConfig('nb64-cfg.json', { file: notBase64 }), {}, text(notBase64)],
      ['key variable missing, secret variable set', writeConfig('half-env.json', ENV_CREDS), { CANARY_SECRET: SECRET }, SECRET],
    ];
    for (const [what, file, env, carrier] of cases) {
      expect(carrier.includes(SECRET) || carrier.includes(SECRET_PLAIN), `control: ${what} carries the canary`).toBe(true);
      const r = await kfix(['check-config', file], env);
      expect(r.code, `${what}: ${r.out}`).toBe(2);
      expect(r.out, what).toMatch(/error: /);
      expectClean(`kfix check-config (${what})`, r.out);
      // The in-process loader says the same.
      const loaded = loadConfig(file, env);
      expect(loaded.ok, what).toBe(false);
      if (!loaded.ok) expectClean(`loadConfig errors (${what})`, loaded.errors.join('\n'));
    }
    // Still useful: a syntax error says where it is, without quoting the text.
    const syntax = loadConfig(unquoted);
    expect(!syntax.ok && syntax.errors[0]).toBe(`${unquoted}: not valid JSON (syntax error at line 1, column ${text(unquoted).indexOf(SECRET) + 1})`);
    const short = loadConfig(truncated);
    expect(!short.ok && short.errors[0]).toMatch(/not valid JSON \(/);
  }, 60_000);

  it('errors from credential loading and engine config mapping are clean', () => {
    const broken = join(work, 'bad-creds.json');
    const r = loadCredentialsFromFile(broken);
    expect(r.ok).toBe(false);
    if (!r.ok) expectClean('loadCredentialsFromFile error', `${r.error.message} ${r.error.where}`);
    const loaded = loadConfig(writeConfig('file-ok.json', { file: join(work, 'creds.json') }));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const bad = { ...loaded.config, sessions: loaded.config.sessions.map((s) => (s.kind === 'trading' ? { ...s, credentials: { file: broken } } : s)) };
    const mapped = engineConfigFrom({ strategyFile: STRATEGY, config: bad, mode: 'inline', params: {} });
    expect(typeof mapped).toBe('string');
    expectClean('engineConfigFrom error', String(mapped));
    const good = engineConfigFrom({ strategyFile: STRATEGY, config: loaded.config, mode: 'inline', params: {} });
    expect(typeof good).toBe('object');
    try {
      resolveEngineConfig({ ...(good as object), port: 70_000 } as never);
      expect.unreachable('port 70000 must be refused');
    } catch (err) {
      expect((err as Error).message).toMatch(/port/);
      expectClean('resolveEngineConfig error', `${(err as Error).message}\n${inspect(err)}`);
    }
  });

  it('pino logs redact credentials wherever a developer is likely to log them', async () => {
    const loaded = loadConfig(writeConfig('file-ok2.json', { file: join(work, 'creds.json') }));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const engineConfig = engineConfigFrom({ strategyFile: STRATEGY, config: loaded.config, mode: 'inline', params: {} });
    expect(JSON.stringify(engineConfig), 'control: the engine config carries the secret').toContain(SECRET);
    const script = [
      `const { createLogger } = await import(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli', 'logger.js'))});`,
      `const cfg = JSON.parse(process.env.CFG);`,
      `const log = createLogger('leak-test', 'trace');`,
      `log.info({ config: cfg }, 'engine config');`,
      `log.info({ credentials: cfg.credentials }, 'credentials');`,
      `log.info(cfg.credentials, 'bare credentials');`,
      `log.info({ apiSecret: process.env.S, secret: process.env.S, password: process.env.S }, 'fields');`,
    ].join('\n');
    const out = await new Promise<string>((done) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', CFG: JSON.stringify(engineConfig), S: SECRET } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('close', () => done(text));
    });
    expect(out.trim().split('\n'), out).toHaveLength(4);
    expect(out).toContain('[redacted]');
    expectClean('pino log lines', out);
  });

  it('kfix sim --fix-log masks 554 and never writes the secret, for accepted and refused logons', async () => {
    const logDir = join(work, 'fixlog');
    mkdirSync(logDir);
    const child = spawn(process.execPath, [KFIX, 'sim', '--port-base', '0', '--duration', '30', '--fix-log', logDir], { cwd: work, env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.on('close', () => r()));
    // The simulator's own test account (its secret is public by design: `kfix sim` lists it).
    const alice = DEFAULT_ACCOUNTS[0]!.spot!;
    // 'alice-spot-secret' shares 'alice-spot-' with the API key in 553, so its decoded form is matched whole.
    const local = new Needles().add('alice secret (base64)', alice.apiSecret).add('alice secret (decoded)', Buffer.from(alice.apiSecret, 'base64').toString('latin1'), false);
    try {
      const port = await new Promise<number>((resolveP, reject) => {
        const t = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /spotTrading\s+(\d+)/.exec(out);
          if (m) {
            clearTimeout(t);
            resolveP(Number(m[1]));
          }
        });
      });
      const clock = new SystemClock();
      const target = TARGET_COMP_IDS.spotTrading;
      const sign = (secret: string, nonce: string) => krakenLogonPassword(new Credentials(alice.apiKey, secret), { msgSeqNum: 1, senderCompID: alice.senderCompID, targetCompID: target, nonce });

      const nonce1 = String(Date.now());
      local.add('accepted signature', sign(alice.apiSecret, nonce1));
      const ok = await TestClient.connect({ port, sender: alice.senderCompID, target, clock });
      ok.logon({ apiKey: alice.apiKey, apiSecret: alice.apiSecret, nonce: nonce1 });
      expect((await ok.waitFor((m) => m.type === 'A' || m.type === '5')).type).toBe('A');
      ok.close();
      await ok.waitClosed();

      const nonce2 = String(Date.now() + 1);
      local.add('refused signature', sign(WRONG, nonce2));
      const bad = await TestClient.connect({ port, sender: alice.senderCompID, target, clock });
      bad.logon({ apiKey: alice.apiKey, apiSecret: WRONG, nonce: nonce2 });
      const refusal = await bad.waitFor((m) => m.type === 'A' || m.type === '5');
      expect(refusal.type).toBe('5');
      expect(refusal.get(58)).toBe('Invalid signature');
      expectClean('the Logout text of a refused logon', refusal.raw);
      expect(local.find(refusal.raw)).toEqual([]);
      await bad.waitClosed();
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    const logs = filesUnder(logDir);
    expect(logs.length, 'control: a FIX log was written').toBeGreaterThan(0);
    const all = logs.map(([, t]) => t).join('\n');
    expect(all, 'control: both logons are in the log, masked').toMatch(/IN 8=FIX\.4\.4\|.*35=A\|.*554=\*\*\*\*\|[\s\S]*IN 8=FIX\.4\.4\|.*35=A\|.*554=\*\*\*\*\|/);
    for (const [path, text] of logs) {
      expectClean(`FIX log ${path}`, text);
      expect(local.find(text), `secret material found in FIX log ${path}`).toEqual([]);
    }
    // The masked line no longer matches its BodyLength, so decode flags it (see the report); it must still leak nothing.
    const decoded = await kfix(['decode', join(logDir, readdirSync(logDir).find((f) => f.startsWith('spotTrading'))!)]);
    expect(decoded.out).toMatch(/Logout \(35=5\)/);
    expectClean('kfix decode of the FIX log', decoded.out);
    expect(local.find(decoded.out), 'secret material found in kfix decode of the FIX log').toEqual([]);
  }, 60_000);
});

function engineConfigInstruments() {
  return [{ symbol: 'XBT/USD', venue: 'spot' as const, tickSize: '0.1', priceDecimals: 1, qtyIncrement: '0.00000001', qtyDecimals: 8, qtyMin: '0.0001' }];
}
