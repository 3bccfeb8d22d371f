// CLI for the QuickFIX acceptance-test runner.
//   node dist/test/at/run.js --port P [--host H] [--only substring] [--json]
//        [--dir DIR] [--timeout-ms N] [--case-timeout-ms N] [--gap-ms N] [--probe-ms N]
// Prints one line per script (PASS/FAIL + reason), then `N passed, N failed`; with --json the last
// line is one JSON object {passed, failed, results}. Exit code 1 on any failure, 2 on bad usage.

import { parseArgs } from 'node:util';
import { defaultScriptsDir, formatResult, listScripts, runSuite } from './runner.js';

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a non-negative integer, got '${value}'`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      dir: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'case-timeout-ms': { type: 'string' },
      'gap-ms': { type: 'string' },
      'probe-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help || values.port === undefined) {
    console.error(
      'usage: run.js --port P [--host H] [--only substring] [--json] [--dir DIR] ' +
        '[--timeout-ms N] [--case-timeout-ms N] [--gap-ms N] [--probe-ms N]',
    );
    return 2;
  }
  const port = intOption('port', values.port, 0);
  if (port < 1 || port > 65535) throw new Error(`--port must be 1..65535, got ${port}`);
  const scripts = listScripts(values.dir ?? defaultScriptsDir());
  const results = await runSuite(
    scripts,
    {
      host: values.host,
      port,
      only: values.only,
      timeoutMs: intOption('timeout-ms', values['timeout-ms'], 15_000),
      caseTimeoutMs: intOption('case-timeout-ms', values['case-timeout-ms'], 90_000),
      gapMs: intOption('gap-ms', values['gap-ms'], 250),
      probeMs: intOption('probe-ms', values['probe-ms'], 30_000),
    },
    (r) => console.log(formatResult(r)),
  );
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  if (values.json) console.log(JSON.stringify({ passed, failed, results }));
  return failed > 0 || results.length === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 2;
  },
);
