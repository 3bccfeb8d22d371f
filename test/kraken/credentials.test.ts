import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Credentials, Secret, loadCredentials, loadCredentialsFromEnv, loadCredentialsFromFile } from '../../src/kraken/index.js';

const SECRET = 'c3VwZXJzZWNyZXRrcmFrZW5rZXk='; // "supersecretkrakenkey"
const KEY = 'MYFIXAPIKEY123';
const dir = mkdtempSync(join(tmpdir(), 'kfix-cred-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function everyRendering(x: unknown): string[] {
  return [String(x), `${x}`, JSON.stringify(x), JSON.stringify({ nested: x }), inspect(x), inspect({ a: { b: x } }, { depth: 10 }), format('%o %O %s %j', x, x, x, x)];
}

describe('secret redaction', () => {
  it('Secret and Credentials never print their values', () => {
    const c = new Credentials(KEY, SECRET);
    for (const s of [...everyRendering(c), ...everyRendering(new Secret(SECRET))]) {
      expect(s).not.toContain(SECRET);
      expect(s).not.toContain('supersecret');
      expect(s).not.toContain(KEY);
      expect(s).toContain('[redacted]');
    }
    expect(Object.keys(c)).toEqual([]);
    expect(c.apiKey()).toBe(KEY);
    expect(c.secretKeyBytes().toString()).toBe('supersecretkrakenkey');
  });

  it('loads from environment variables named by config', () => {
    const r = loadCredentialsFromEnv('K_KEY', 'K_SECRET', { K_KEY: KEY, K_SECRET: SECRET });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.credentials.apiKey()).toBe(KEY);
    const viaSource = loadCredentials({ kind: 'env', apiKeyVar: 'K_KEY', apiSecretVar: 'K_SECRET' }, { K_KEY: KEY, K_SECRET: SECRET });
    expect(viaSource.ok).toBe(true);
  });

  it('env errors name the variable, never the value', () => {
    const missing = loadCredentialsFromEnv('K_KEY', 'K_SECRET', { K_KEY: KEY });
    expect(!missing.ok && missing.error.code).toBe('ENV_VAR_MISSING');
    expect(!missing.ok && missing.error.message).toContain('K_SECRET');
    const badSecret = 'not base64 !!' + SECRET;
    const bad = loadCredentialsFromEnv('K_KEY', 'K_SECRET', { K_KEY: KEY, K_SECRET: badSecret });
    expect(!bad.ok && bad.error.code).toBe('SECRET_NOT_BASE64');
    if (!bad.ok) {
      for (const s of [bad.error.message, JSON.stringify(bad.error), inspect(bad.error)]) {
        expect(s).toContain('K_SECRET');
        expect(s).not.toContain(SECRET);
        expect(s).not.toContain(KEY);
      }
    }
    const badKey = loadCredentialsFromEnv('K_KEY', 'K_SECRET', { K_KEY: 'has space', K_SECRET: SECRET });
    expect(!badKey.ok && badKey.error.code).toBe('API_KEY_INVALID');
    expect(!badKey.ok && badKey.error.message).not.toContain('has space');
  });

  it('loads JSON and key=value files; warns when group/world-readable', () => {
    const json = join(dir, 'c.json');
    writeFileSync(json, JSON.stringify({ apiKey: KEY, apiSecret: SECRET }));
    chmodSync(json, 0o600);
    const r1 = loadCredentialsFromFile(json);
    expect(r1.ok && r1.value.warnings).toEqual([]);
    chmodSync(json, 0o644);
    const r2 = loadCredentialsFromFile(json);
    expect(r2.ok).toBe(true);
    if (r2.ok) {
      expect(r2.value.warnings).toHaveLength(1);
      expect(r2.value.warnings[0]).toMatch(/readable by group\/others \(mode 644\)/);
      expect(r2.value.warnings[0]).not.toContain(SECRET);
    }
    const kv = join(dir, 'c.env');
    writeFileSync(kv, `# kraken\napiKey=${KEY}\napiSecret=${SECRET}\n`, { mode: 0o600 });
    const r3 = loadCredentialsFromFile(kv);
    expect(r3.ok && r3.value.credentials.secretKeyBytes().toString()).toBe('supersecretkrakenkey');
  });

  it('file errors name the file, never the contents', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `{"apiKey": "${KEY}", "apiSecret": ${SECRET}}`, { mode: 0o600 });
    const r = loadCredentialsFromFile(broken);
    expect(!r.ok && r.error.code).toBe('FILE_INVALID');
    if (!r.ok) {
      expect(r.error.message).toContain(broken);
      expect(r.error.message).not.toContain(SECRET);
      expect(r.error.message).not.toContain(KEY);
    }
    const noSecret = join(dir, 'nosecret.json');
    writeFileSync(noSecret, JSON.stringify({ apiKey: KEY }), { mode: 0o600 });
    const r2 = loadCredentialsFromFile(noSecret);
    expect(!r2.ok && r2.error.where).toContain('apiSecret');
    const badB64 = join(dir, 'bad.json');
    writeFileSync(badB64, JSON.stringify({ apiKey: KEY, apiSecret: 'sec ret' }), { mode: 0o600 });
    const r3 = loadCredentialsFromFile(badB64);
    expect(!r3.ok && r3.error.code).toBe('SECRET_NOT_BASE64');
    expect(!r3.ok && r3.error.message).not.toContain('sec ret');
    const missing = loadCredentialsFromFile(join(dir, 'nope.json'));
    expect(!missing.ok && missing.error.code).toBe('FILE_UNREADABLE');
    expect(!missing.ok && missing.error.message).toContain('ENOENT');
  });
});
