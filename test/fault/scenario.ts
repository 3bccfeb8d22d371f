/**
 * Fault scenarios for the TCP fault proxy: plain JSON-able objects, so a scenario can live in a test,
 * a file or a report and be replayed exactly. `up` is client -> upstream, `down` is upstream -> client.
 * Byte-level faults (corrupt, cut, drop at a byte or message count) depend only on the seed and the
 * byte stream; chunk-level faults (split sizes aside, duplicate, reorder) also depend on how TCP
 * happened to chunk the stream.
 */

export type Direction = 'up' | 'down' | 'both';

interface RuleBase {
  /** Which direction(s) the rule acts on. Default 'both'. */
  dir?: Direction;
  /** Only the n-th accepted connection (0-based); default every connection. */
  conn?: number;
}

/**
 * Closes both sides of the connection. Exactly one trigger: `atBytes` (this direction forwards that
 * many bytes first), `atMessage` (the n-th message, 1-based, is not forwarded at all) or `atMs`
 * (milliseconds after the connection was accepted, both directions at once).
 */
export interface DropRule extends RuleBase {
  kind: 'drop';
  atBytes?: number;
  atMessage?: number;
  atMs?: number;
  /** Close with a TCP RST instead of a FIN (bytes still queued may be lost). Default false. */
  reset?: boolean;
}

/** Forwards the first `afterBytes` bytes of the `message`-th message (1-based), then closes both sides. */
export interface CutRule extends RuleBase {
  kind: 'cut';
  message: number;
  afterBytes: number;
  reset?: boolean;
}

/** Holds every chunk `ms` (+ uniform 0..jitterMs) before forwarding; order is kept. */
export interface DelayRule extends RuleBase {
  kind: 'delay';
  ms: number;
  jitterMs?: number;
}

/** Stops forwarding for `ms` once, starting after `atBytes` bytes or `atMs` after accept (default at once). */
export interface StallRule extends RuleBase {
  kind: 'stall';
  ms: number;
  atBytes?: number;
  atMs?: number;
}

/** Re-chunks into pieces of minBytes..maxBytes (default 1..16), optionally gapMs apart. */
export interface SplitRule extends RuleBase {
  kind: 'split';
  minBytes?: number;
  maxBytes?: number;
  gapMs?: number;
}

/** Sends a chunk twice with this probability. */
export interface DuplicateRule extends RuleBase {
  kind: 'duplicate';
  probability: number;
}

/** Swaps a chunk with the next one with this probability (deliberately corrupts the stream's framing). */
export interface ReorderRule extends RuleBase {
  kind: 'reorder';
  probability: number;
  /** A held chunk with no successor is released after this long. Default 20 ms. */
  holdMs?: number;
}

/** Flips each byte (XOR with a random non-zero mask) with this probability, at most maxFlips times. */
export interface CorruptRule extends RuleBase {
  kind: 'corrupt';
  probability: number;
  maxFlips?: number;
  /** Leave the first `skipBytes` bytes of the direction intact (e.g. the Logon). Default 0. */
  skipBytes?: number;
}

/**
 * Removes whole messages from the stream and keeps the connection: the `messages` listed (1-based, in
 * this direction of the connection) never arrive, so the receiver sees a MsgSeqNum gap.
 */
export interface SwallowRule extends RuleBase {
  kind: 'swallow';
  messages: number[];
}

export type FaultRule = DropRule | CutRule | DelayRule | StallRule | SplitRule | DuplicateRule | ReorderRule | CorruptRule | SwallowRule;
export type FaultKind = FaultRule['kind'];
export const FAULT_KINDS: readonly FaultKind[] = ['drop', 'cut', 'delay', 'stall', 'split', 'duplicate', 'reorder', 'corrupt', 'swallow'];

export interface Scenario {
  name?: string;
  seed: number;
  rules: FaultRule[];
}

export const TRANSPARENT: Scenario = { name: 'transparent', seed: 0, rules: [] };

/** True when the rule acts on direction `dir` of connection `conn`. */
export function ruleApplies(rule: FaultRule, dir: 'up' | 'down', conn: number): boolean {
  const d = rule.dir ?? 'both';
  return (d === 'both' || d === dir) && (rule.conn === undefined || rule.conn === conn);
}

/** Throws an Error naming the first bad rule; returns the scenario unchanged. */
export function validateScenario(scenario: Scenario): Scenario {
  if (!Number.isInteger(scenario.seed)) throw new Error(`scenario seed must be an integer, got ${scenario.seed}`);
  if (!Array.isArray(scenario.rules)) throw new Error('scenario rules must be an array');
  scenario.rules.forEach((rule, i) => {
    const where = `rule ${i} (${(rule as { kind?: string }).kind})`;
    const nonNeg = (v: unknown, name: string, required = false) => {
      if (v === undefined && !required) return;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: ${name} must be a number >= 0, got ${String(v)}`);
    };
    const prob = (v: unknown) => {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${where}: probability must be in [0, 1], got ${String(v)}`);
    };
    if (rule.dir !== undefined && rule.dir !== 'up' && rule.dir !== 'down' && rule.dir !== 'both') throw new Error(`${where}: dir must be up, down or both`);
    nonNeg(rule.conn, 'conn');
    switch (rule.kind) {
      case 'drop': {
        const triggers = [rule.atBytes, rule.atMessage, rule.atMs].filter((t) => t !== undefined).length;
        if (triggers !== 1) throw new Error(`${where}: exactly one of atBytes, atMessage, atMs`);
        nonNeg(rule.atBytes, 'atBytes');
        nonNeg(rule.atMs, 'atMs');
        if (rule.atMessage !== undefined && !(Number.isInteger(rule.atMessage) && rule.atMessage >= 1)) throw new Error(`${where}: atMessage is 1-based`);
        break;
      }
      case 'cut':
        if (!(Number.isInteger(rule.message) && rule.message >= 1)) throw new Error(`${where}: message is 1-based`);
        nonNeg(rule.afterBytes, 'afterBytes', true);
        break;
      case 'delay':
        nonNeg(rule.ms, 'ms', true);
        nonNeg(rule.jitterMs, 'jitterMs');
        break;
      case 'stall':
        nonNeg(rule.ms, 'ms', true);
        nonNeg(rule.atBytes, 'atBytes');
        nonNeg(rule.atMs, 'atMs');
        break;
      case 'split': {
        nonNeg(rule.minBytes, 'minBytes');
        nonNeg(rule.maxBytes, 'maxBytes');
        nonNeg(rule.gapMs, 'gapMs');
        const min = rule.minBytes ?? 1;
        const max = rule.maxBytes ?? 16;
        if (min < 1 || max < min) throw new Error(`${where}: need 1 <= minBytes <= maxBytes`);
        break;
      }
      case 'duplicate':
        prob(rule.probability);
        break;
      case 'reorder':
        prob(rule.probability);
        nonNeg(rule.holdMs, 'holdMs');
        break;
      case 'corrupt':
        prob(rule.probability);
        nonNeg(rule.maxFlips, 'maxFlips');
        nonNeg(rule.skipBytes, 'skipBytes');
        break;
      case 'swallow':
        if (!Array.isArray(rule.messages) || rule.messages.length === 0 || !rule.messages.every((m) => Number.isInteger(m) && m >= 1)) {
          throw new Error(`${where}: messages must be a non-empty list of 1-based message numbers`);
        }
        break;
      default:
        throw new Error(`${where}: unknown kind`);
    }
  });
  return scenario;
}
