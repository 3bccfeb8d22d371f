/**
 * Seed corpus for the FIX fuzzers: valid messages of every type in the Kraken digest
 * (/work/shared/spec/kraken-fix.md), encoded with src/codec's FixEncoder, plus the messages of the
 * QuickFIX acceptance scripts (`I`/`E` lines, <TIME> substituted, BodyLength/CheckSum added only where
 * the script left them out, so its deliberately wrong ones stay wrong).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FixEncoder, msgTypeCode } from '../../src/codec/index.js';
import { checksumOf, frame, latin1, refix, SOH } from './reference.js';

/** 2024-05-14 12:00:00 UTC in µs: fixed so the corpus is the same on every run. */
export const CORPUS_TIME_MICROS = Date.UTC(2024, 4, 14, 12, 0, 0) * 1000;

type Value = string | number;
type Spec = readonly [msgType: string, fields: readonly (readonly [number, Value])[]];

const NOW = '20240514-12:00:00.000';
const KRAKEN_MESSAGES: readonly Spec[] = [
  ['A', [[98, 0], [108, 60], [141, 'Y'], [553, 'APIKEY'], [554, 'MwX+M7nvuHXxD5aGI/TFpghXxg2iblxXYyz7lRzLCPMA4UJYI3osNrUKWCiI3fDnOLkEQ5WKSK58Mp3nvu1Klw=='], [5025, '1724512345678'], [8674, 1]]],
  ['A', [[98, 0], [108, 60], [141, 'Y']]],
  ['A', [[98, 0], [108, 30], [95, 11], [96, `raw${SOH}8=FIX${SOH}x`]]],
  ['0', []],
  ['0', [[112, 'TEST-1']]],
  ['1', [[112, 'TEST-1']]],
  ['2', [[7, 5], [16, 0]]],
  ['3', [[45, 12], [371, 54], [372, 'D'], [373, 1], [58, 'Missing mandatory field: Side (54)']]],
  ['4', [[123, 'Y'], [36, 20]]],
  ['4', [[36, 1]]],
  ['5', [[58, 'Session rollover']]],
  ['D', [[11, '1688738168'], [38, '0.01'], [40, 2], [44, 1000], [54, 1], [55, 'BTC/USD'], [59, 1], [60, NOW]]],
  ['D', [[11, '9e58120f-182b-4dce-9609-8ca7cdd174f0'], [18, 's'], [38, 1], [40, 2], [44, '3000.5'], [54, 2], [55, 'PF_ETHUSD'], [59, 1], [60, NOW]]],
  ['D', [[11, '1623448294234001'], [38, '0.5'], [40, 4], [44, '29000'], [99, '29100'], [388, 1], [54, 2], [55, 'BTC/USD'], [59, 6], [126, '20240520-00:00:00'], [60, NOW], [7928, 2], [62, '20240514-12:00:30']]],
  ['D', [[11, '1623448294234002'], [38, '3'], [1138, '0.2'], [40, 2], [44, '1.2345'], [54, 1], [55, 'ETH/EUR'], [59, 1], [60, NOW], [18, 'P q'], [5001, 1], [78, 1], [79, 'SUB-1']]],
  ['F', [[11, '1688738169'], [37, 'OKWUQF-YPJM2-DTAJHH'], [41, '1688738168'], [54, 1], [55, 'BTC/USD'], [60, NOW]]],
  ['G', [[11, '1688738170'], [37, 'OKWUQF-YPJM2-DTAJHH'], [41, '1688738168'], [54, 1], [55, 'BTC/USD'], [60, NOW], [38, '0.02'], [40, 2], [44, 1001], [59, 1]]],
  ['H', [[11, '1688738171'], [37, 'OKWUQF-YPJM2-DTAJHH'], [55, 'BTC/USD'], [54, 1]]],
  ['q', [[11, '1688738172'], [60, NOW], [530, 1], [55, 'BTC/USD']]],
  ['8', [[37, 'OKWUQF-YPJM2-DTAJHH'], [11, '1688738168'], [17, 'EXEC1'], [150, 0], [39, 0], [40, 2], [54, 1], [55, 'BTC/USD'], [38, '0.01'], [44, 1000], [14, 0], [151, '0.01'], [6, 0], [60, NOW]]],
  ['8', [[37, 'OKWUQF-YPJM2-DTAJHH'], [11, '1688738168'], [17, 'EXEC2'], [527, '123456'], [150, 'F'], [39, 1], [40, 2], [54, 1], [55, 'BTC/USD'], [38, '0.01'], [31, 1000], [32, '0.004'], [14, '0.004'], [151, '0.006'], [6, 1000], [136, 1], [137, '0.0001'], [138, 'USD'], [60, NOW]]],
  ['8', [[37, 'OKWUQF-YPJM2-DTAJHH'], [11, '1688738169'], [41, '1688738168'], [17, 'EXEC3'], [150, 4], [39, 4], [40, 2], [54, 1], [55, 'BTC/USD'], [38, '0.01'], [14, 0], [151, 0], [6, 0], [58, 'buy 0.01 BTC/USD @ limit 1000']]],
  ['j', [[45, 7], [372, 'D'], [379, '1688738168'], [380, 0], [58, 'EOrder:Insufficient funds']]],
  ['x', [[320, 'IL-1'], [263, 0], [559, 4]]],
  ['y', [[320, 'IL-1'], [322, 'R-1'], [560, 0], [146, 2], [55, 'BTC/USD'], [562, '0.00000001'], [5010, 8], [5011, '0.0001'], [2349, 1], [5022, '0.1'], [5032, 1], [55, 'ETH/USD'], [562, '0.00000001'], [5010, 8], [5011, '0.001'], [2349, 2], [5022, '0.01'], [5032, 3]]],
  ['g', [[335, 'TS-1'], [336, 'SESSION'], [263, 1]]],
  ['h', [[335, 'TS-1'], [336, 'SESSION'], [340, 2]]],
  ['V', [[262, 1], [263, 1], [264, 0], [265, 1], [266, 'Y'], [267, 3], [269, 0], [269, 1], [269, 2], [146, 1], [55, 'BTC/USD']]],
  ['W', [[262, 1], [55, 'BTC/USD'], [268, 2], [269, 0], [278, 'B30299.9'], [270, '30299.9'], [271, '1.5'], [273, '12:00:00.000'], [269, 1], [278, 'O30300.0'], [270, '30300.0'], [271, '0.25'], [273, '12:00:00.000']]],
  ['X', [[262, 1], [55, 'BTC/USD'], [268, 3], [279, 2], [269, 1], [278, 'O30300.7'], [270, '30300.7'], [271, '0.0'], [5041, 3610798291], [279, 0], [269, 1], [278, 'O31941.0'], [270, '31941.0'], [271, '0.0031746'], [279, 0], [269, 2], [270, '30300.1'], [271, '0.1'], [40, 2], [2446, 1]]],
  ['Y', [[262, 1], [281, 0], [58, 'MarketData subscription failed due to unsupported symbol: TEST/TEST']]],
  ['9', [[37, 'OKWUQF-YPJM2-DTAJHH'], [11, '1688738169'], [41, '1688738168'], [39, 0], [434, 1], [102, 1]]],
  ['r', [[11, '1688738172'], [1369, 'MC-1'], [530, 7], [531, 7], [533, 3]]],
];

/** Kraken message types encoded by the project's own encoder (the bytes a peer of ours really sends). */
export function krakenMessages(): Buffer[] {
  const enc = new FixEncoder({ senderCompID: 'CLIENT', targetCompID: 'KRAKEN-TRD' });
  return KRAKEN_MESSAGES.map(([type, fields], i) => {
    enc.begin(msgTypeCode(type), i + 1, CORPUS_TIME_MICROS);
    for (const [tag, value] of fields) {
      if (typeof value === 'number') enc.int(tag, value);
      else enc.str(tag, value);
    }
    enc.finish();
    return Buffer.from(enc.message());
  });
}

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above test/fuzz');
    dir = parent;
  }
}

export function quickfixScriptsDir(): string {
  return resolve(projectRoot(), '..', 'shared', 'quickfix-at');
}

/** Adds BodyLength / CheckSum only where missing, as the acceptance-test runner does. */
export function fixify(text: string): string {
  const head = /^8=[^\x01]*\x01/.exec(text);
  if (head === null) return text;
  let rest = text.slice(head[0].length);
  const hasLength = rest.startsWith('9=');
  const trailer = /\x0110=[^\x01]*\x01$/.exec(rest);
  let checksum: string | null = null;
  if (trailer !== null) {
    checksum = trailer[0].slice(1);
    rest = rest.slice(0, trailer.index + 1);
  }
  const length = hasLength ? '' : `9=${rest.length}${SOH}`;
  checksum ??= `10=${String(checksumOf(head[0] + length + rest)).padStart(3, '0')}${SOH}`;
  return head[0] + length + rest + checksum;
}

/** Every I/E message of the QuickFIX FIX 4.4 acceptance scripts; [] when the scripts are not there. */
export function quickfixMessages(dir = join(quickfixScriptsDir(), 'fix44')): Buffer[] {
  if (!existsSync(dir)) return [];
  const out: Buffer[] = [];
  const shift = (n: number) => {
    const d = new Date(CORPUS_TIME_MICROS / 1000 + n * 1000);
    const p2 = (v: number) => String(v).padStart(2, '0');
    return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}-${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  };
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.def')).sort()) {
    for (const raw of readFileSync(join(dir, name), 'latin1').split('\n')) {
      const line = raw.replace(/\r$/, '');
      const m = /^([IE])(\d,)?(8=.*)$/.exec(line);
      if (m === null || line.includes('<FILE:')) continue;
      let text = m[3]!.replace(/<TIME([+-]\d+)?>/g, (_x, d: string | undefined) => shift(Number(d ?? 0)));
      if (!text.endsWith(SOH)) text += SOH;
      // Expected (E) lines carry `10=0` as a placeholder: give them their real CheckSum.
      out.push(m[1] === 'E' ? refix(Buffer.from(text, 'latin1')) : Buffer.from(fixify(text), 'latin1'));
    }
  }
  return out;
}

/** A valid message that must come out of the framer after any garbage. */
export const SENTINEL = frame('35=0|34=999999|49=FUZZ|52=20240514-12:00:00.000|56=SENTINEL|112=SENTINEL-MARK');

export function buildCorpus(): Buffer[] {
  const all = [...krakenMessages(), ...quickfixMessages(), SENTINEL];
  // Deduplicate: the scripts repeat the same Logon many times.
  const seen = new Set<string>();
  return all.filter((b) => {
    const key = latin1(b);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
