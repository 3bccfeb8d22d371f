// QuickFIX acceptance-test runner: plays the .def scripts in ../shared/quickfix-at against a FIX 4.4
// acceptor over TCP and compares what comes back (rules: ../shared/quickfix-at/README.md).
// Owns: script execution, timeouts, suite sequencing. It never starts the acceptor under test and
// never copies the scripts into the project (they are read from the shared folder).

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtConnection } from './connection.js';
import { compareMessages, display, fixify, parseFieldPatterns, parseScript, substitute } from './script.js';

export interface RunOptions {
  host?: string;
  port: number;
  /** Wait for one expected message or for eDISCONNECT (default 15000; scripts wait for 6 s heartbeats). */
  timeoutMs?: number;
  /** Bound on a whole script (default 90000). */
  caseTimeoutMs?: number;
  /** fields.fmt to use (default: fields.fmt next to the script's directory, then the default scripts dir). */
  fieldsFmtPath?: string;
}

export interface SuiteOptions extends RunOptions {
  /** Pause between scripts so the acceptor notices the previous disconnect (default 250). */
  gapMs?: number;
  /** How long to wait for the acceptor to accept a first connection (default 30000). */
  probeMs?: number;
  /** Script names (relative paths) must contain this. */
  only?: string;
}

export interface ScriptFailure {
  /** 1-based script line of the failing step (0 for failures outside any step). */
  line: number;
  /** The script line as written, SOH shown as '|'. */
  text: string;
  /** Expected message after substitution and fixify, SOH shown as '|'. */
  expected?: string;
  /** What arrived instead, SOH shown as '|'. */
  received?: string;
  reason: string;
}

export interface ScriptResult {
  /** Path relative to the scripts directory without `.def`, e.g. `fix44/2b_MsgSeqNumTooHigh`. */
  name: string;
  path: string;
  passed: boolean;
  durationMs: number;
  failure?: ScriptFailure;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_CASE_TIMEOUT_MS = 90_000;

/** The project root: the nearest ancestor of this file holding package.json (works from src and dist). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above test/at)');
    dir = parent;
  }
}

/** ../shared/quickfix-at relative to the project root. */
export function defaultScriptsDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'quickfix-at');
}

/** Absolute paths of every .def script under dir (recursively), sorted by relative path. */
export function listScripts(dir: string = defaultScriptsDir()): string[] {
  if (!existsSync(dir)) throw new Error(`AT scripts directory not found: ${dir}`);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.def')) found.push(full);
    }
  };
  walk(dir);
  return found.sort((a, b) => (relative(dir, a) < relative(dir, b) ? -1 : 1));
}

/** Display name of a script: `<parent dir>/<file without .def>`. */
export function scriptName(path: string): string {
  return `${basename(dirname(path))}/${basename(path, '.def')}`;
}

function findFieldsFmt(scriptPath: string, explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const besideDir = resolve(dirname(scriptPath), '..', 'fields.fmt');
  if (existsSync(besideDir)) return besideDir;
  return join(defaultScriptsDir(), 'fields.fmt');
}

const patternCache = new Map<string, Map<number, RegExp>>();

function loadPatterns(path: string): Map<number, RegExp> {
  let patterns = patternCache.get(path);
  if (patterns === undefined) {
    patterns = parseFieldPatterns(readFileSync(path, 'latin1'));
    patternCache.set(path, patterns);
  }
  return patterns;
}

class StepFailed extends Error {
  constructor(readonly failure: ScriptFailure) {
    super(failure.reason);
  }
}

/** Plays one script. Never throws for acceptor behaviour; bad input (missing file) rejects clearly. */
export async function runScript(path: string, options: RunOptions): Promise<ScriptResult> {
  const started = Date.now();
  const name = scriptName(path);
  const text = readFileSync(path, 'latin1');
  const patterns = loadPatterns(findFieldsFmt(path, options.fieldsFmtPath));
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const caseDeadline = started + (options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS);
  const connections = new Map<number, AtConnection>();
  const baseDir = dirname(path);

  const waitDeadline = () => Math.min(Date.now() + timeoutMs, caseDeadline);
  const timeoutReason = (what: string) =>
    Date.now() >= caseDeadline
      ? `case timeout (${options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS} ms) exceeded ${what}`
      : `timed out after ${timeoutMs} ms ${what}`;

  try {
    for (const step of parseScript(text)) {
      const fail = (reason: string, extra: Partial<ScriptFailure> = {}): never => {
        throw new StepFailed({ line: step.line, text: display(step.body), reason, ...extra });
      };
      const connection = () => {
        const c = connections.get(step.cid);
        if (c === undefined) fail(`connection ${step.cid} is not open`);
        return c as AtConnection;
      };
      // Substitution happens when the line is reached (<TIME> is "now" for this step).
      const prepare = (): string => {
        try {
          return fixify(substitute(step.body, new Date(), baseDir));
        } catch (err) {
          return fail((err as Error).message);
        }
      };
      switch (step.kind) {
        case 'comment':
          break;
        case 'syntaxError':
          fail(`Syntax error: ${display(step.body)}`);
          break;
        case 'waitConnect':
          fail('client-side scripts (eCONNECT) are not supported');
          break;
        case 'connect': {
          const remaining = Math.max(1, Math.min(timeoutMs, caseDeadline - Date.now()));
          try {
            connections.get(step.cid)?.close();
            connections.set(step.cid, await AtConnection.open(host, options.port, remaining));
          } catch (err) {
            fail((err as Error).message);
          }
          break;
        }
        case 'disconnect':
          connection().close();
          connections.delete(step.cid);
          break;
        case 'send':
          connection().send(prepare());
          break;
        case 'expect': {
          const c = connection();
          const expected = prepare();
          const got = await c.readMessage(waitDeadline());
          const shown = display(expected);
          if (got.kind === 'timeout') {
            fail(timeoutReason('waiting for a message'), {
              expected: shown,
              received: got.partial.length > 0 ? display(got.partial) : '(nothing)',
            });
          } else if (got.kind === 'closed') {
            fail('Was disconnected, expected data', {
              expected: shown,
              received: got.partial.length > 0 ? display(got.partial) : '(disconnect)',
            });
          } else if (got.kind === 'garbled') {
            fail(got.reason, { expected: shown, received: display(got.partial) });
          } else {
            const reason = compareMessages(expected, got.message, patterns);
            if (reason !== null) fail(reason, { expected: shown, received: display(got.message) });
          }
          break;
        }
        case 'waitDisconnect': {
          const c = connection();
          const got = await c.waitDisconnect(waitDeadline());
          if (got.kind === 'data') {
            fail('Expected disconnection, got data', { expected: '(disconnect)', received: display(got.data) });
          } else if (got.kind === 'timeout') {
            fail(timeoutReason('waiting for the acceptor to disconnect'), { expected: '(disconnect)', received: '(nothing)' });
          }
          break;
        }
      }
    }
    return { name, path, passed: true, durationMs: Date.now() - started };
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    return { name, path, passed: false, durationMs: Date.now() - started, failure: err.failure };
  } finally {
    for (const c of connections.values()) c.close();
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retries a TCP connect until the acceptor listens, up to probeMs. Rejects with a clear Error. */
export async function probe(host: string, port: number, probeMs: number): Promise<void> {
  const deadline = Date.now() + probeMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const c = await AtConnection.open(host, port, Math.max(1, Math.min(2000, deadline - Date.now())));
      c.close();
      return;
    } catch (err) {
      last = (err as Error).message;
      await sleep(200);
    }
  }
  throw new Error(`acceptor at ${host}:${port} not reachable within ${probeMs} ms: ${last}`);
}

/**
 * Runs scripts one after another against one acceptor: probes it once, then pauses gapMs between
 * scripts. onResult is called as each script finishes (for streaming output).
 */
export async function runSuite(
  scripts: string[],
  options: SuiteOptions,
  onResult?: (result: ScriptResult) => void,
): Promise<ScriptResult[]> {
  const host = options.host ?? '127.0.0.1';
  const selected = options.only === undefined ? scripts : scripts.filter((s) => scriptName(s).includes(options.only!));
  const results: ScriptResult[] = [];
  if (selected.length === 0) return results;
  await probe(host, options.port, options.probeMs ?? 30_000);
  await sleep(options.gapMs ?? 250);
  for (let i = 0; i < selected.length; i++) {
    if (i > 0) await sleep(options.gapMs ?? 250);
    const result = await runScript(selected[i], options);
    results.push(result);
    onResult?.(result);
  }
  return results;
}

/** One human-readable line (plus indented expected/received lines on failure). */
export function formatResult(result: ScriptResult): string {
  if (result.passed) return `PASS ${result.name} (${result.durationMs} ms)`;
  const f = result.failure!;
  let out = `FAIL ${result.name} (${result.durationMs} ms) line ${f.line}: ${f.reason}`;
  if (f.expected !== undefined) out += `\n    expected: ${f.expected}`;
  if (f.received !== undefined) out += `\n    received: ${f.received}`;
  return out;
}
