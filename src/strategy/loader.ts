/**
 * Loading code into threads, the same way from compiled JavaScript (production: dist/) and from
 * TypeScript sources (vitest, tsx, strategies not compiled yet).
 *
 * Node 20 workers cannot take `--import tsx` reliably (the entry is resolved before the hooks exist), so
 * a .ts entry is started through a tiny bootstrap that registers tsx's ESM hooks first (an eval'd
 * module for worker_threads, a generated .mjs file for piscina, which wants a path). A .js entry is
 * started directly. A .ts strategy module imported from a .js thread registers tsx on demand.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { isStrategyDefinition, type StrategyDefinition } from './define.js';

export function isTypeScript(pathOrUrl: string): boolean {
  return /\.(c|m)?tsx?$/.test(pathOrUrl);
}

function toUrl(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file:') ? pathOrUrl : pathToFileURL(pathOrUrl).href;
}

function toPath(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file:') ? fileURLToPath(pathOrUrl) : pathOrUrl;
}

/** file: URL of tsx's ESM API (register()); throws a clear error when tsx is not installed. */
export function tsxApiUrl(): string {
  const require = createRequire(import.meta.url);
  let cjs: string;
  try {
    cjs = require.resolve('tsx/esm/api');
  } catch {
    throw new Error('loading a TypeScript module needs the tsx package (npm install tsx), or compile it to .js first');
  }
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
}

let tsRegistered = false;

/** Registers tsx in this thread once (a no-op when the thread already runs TypeScript, e.g. vitest). */
export async function ensureTsLoader(): Promise<void> {
  if (tsRegistered || isTypeScript(import.meta.url)) return;
  const api = (await import(tsxApiUrl())) as { register: () => unknown };
  api.register();
  tsRegistered = true;
}

/** Imports a module by path or URL, registering tsx first for a .ts file. */
export async function importModule(pathOrUrl: string): Promise<Record<string, unknown>> {
  if (isTypeScript(pathOrUrl)) await ensureTsLoader();
  return (await import(toUrl(pathOrUrl))) as Record<string, unknown>;
}

/** Loads a strategy module and checks its export is a defineStrategy() result. */
export async function loadStrategy(modulePath: string, exportName = 'default'): Promise<StrategyDefinition> {
  const path = toPath(modulePath);
  if (!existsSync(path)) throw new Error(`strategy module not found: ${path}`);
  const mod = await importModule(path);
  const def = mod[exportName];
  if (!isStrategyDefinition(def)) {
    throw new Error(`strategy module ${path}: export '${exportName}' is not a defineStrategy({...}) result`);
  }
  return def;
}

/**
 * Starts a worker on `entry` (path or URL of a .js or .ts module). For .ts, the worker is an eval'd
 * bootstrap that registers tsx and then imports the entry.
 */
export function startModuleWorker(entry: string, options: WorkerOptions = {}): Worker {
  const url = toUrl(entry);
  if (!existsSync(fileURLToPath(url))) throw new Error(`worker entry not found: ${fileURLToPath(url)}`);
  if (!isTypeScript(url)) return new Worker(new URL(url), options);
  const code =
    `import(${JSON.stringify(tsxApiUrl())})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(url)}); })` +
    `.catch((e) => { process.nextTick(() => { throw e; }); });`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * A file piscina can load for `entry`: the entry itself when it is .js, else a generated .mjs bootstrap
 * (cached in the temp directory, named by content) that registers tsx and re-exports the entry's default.
 */
export function piscinaEntry(entry: string): string {
  const url = toUrl(entry);
  if (!isTypeScript(url)) return fileURLToPath(url);
  const code =
    `const api = await import(${JSON.stringify(tsxApiUrl())});\n` +
    `api.register();\n` +
    `const m = await import(${JSON.stringify(url)});\n` +
    `export default m.default;\n`;
  const dir = join(tmpdir(), 'kfix-loader');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `piscina-${createHash('sha1').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, code);
  return file;
}

/** The sibling module of `fromUrl` named `stem` (.ts when fromUrl is .ts, else .js). */
export function siblingModule(fromUrl: string, stem: string): string {
  const ext = isTypeScript(fromUrl) ? '.ts' : '.js';
  return new URL(`./${stem}${ext}`, fromUrl).href;
}
