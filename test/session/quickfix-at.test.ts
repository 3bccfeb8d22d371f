// The whole QuickFIX acceptance suite (60 scripts in ../shared/quickfix-at) against startAtAcceptor
// over real TCP on 127.0.0.1, via the AT runner (test/at/runner.ts). Scripts run in shards, one
// acceptor per shard, so the slow timer scripts (6_SendTestRequest waits ~36 s of heartbeats) do
// not add up. Skipped, visibly, when the scripts are not there.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startAtAcceptor, type AtAcceptorHandle } from '../../src/sim/at/index.js';
import { defaultScriptsDir, formatResult, listScripts, runSuite, scriptName, type ScriptResult } from '../at/runner.js';

const SCRIPTS_DIR = defaultScriptsDir();
const present = existsSync(SCRIPTS_DIR);
if (!present) console.warn(`SKIPPED quickfix-at: acceptance scripts not found at ${SCRIPTS_DIR}`);

/** Long scripts get a shard each; the rest are dealt round-robin over the other shards. */
const SLOW = ['6_SendTestRequest', '4a_NoDataSentDuringHeartBtInt'];
const SHARDS = 4;

function shard(scripts: string[]): string[][] {
  const shards: string[][] = Array.from({ length: SHARDS }, () => []);
  const slow = scripts.filter((s) => SLOW.some((n) => scriptName(s).endsWith(n)));
  const rest = scripts.filter((s) => !slow.includes(s));
  slow.forEach((s, i) => shards[i]!.push(s));
  rest.forEach((s, i) => shards[slow.length + (i % (SHARDS - slow.length))]!.push(s));
  return shards;
}

describe.skipIf(!present)('QuickFIX acceptance suite against the AT acceptor', () => {
  const acceptors: AtAcceptorHandle[] = [];
  afterAll(async () => {
    await Promise.all(acceptors.map((a) => a.close()));
  });

  it('passes all 60 scripts', async () => {
    const scripts = listScripts(SCRIPTS_DIR);
    expect(scripts.length).toBe(60);
    const shards = shard(scripts);
    for (let i = 0; i < shards.length; i++) acceptors.push(await startAtAcceptor({ port: 0 }));
    const results: ScriptResult[] = (
      await Promise.all(
        shards.map((s, i) => runSuite(s, { port: acceptors[i]!.port, gapMs: 100, timeoutMs: 15_000, caseTimeoutMs: 55_000, probeMs: 5_000 })),
      )
    ).flat();
    const failures = results.filter((r) => !r.passed).map(formatResult);
    expect(failures).toEqual([]);
    expect(results.filter((r) => r.passed).length).toBe(60);
  }, 110_000);
});
