// The campaign's invariant checker must be able to fail: fabricated records with each kind of
// inconsistency are caught, and a consistent record passes.
import { describe, expect, it } from 'vitest';
import type { VenueExecRecord, VenueOrderRecord } from '../../../src/sim/index.js';
import { checkInvariants, parseStrategyLog } from './invariants.js';
import { campaignCases } from './scenarios.js';

const order = (clOrdID: string, ordStatus: string, extra: Partial<VenueOrderRecord> = {}): VenueOrderRecord => ({
  compID: 'ALICE', clOrdID, orderID: `O-${clOrdID}`, ordStatus, cumQty: '0.00000000', leavesQty: '0.00010000', open: ordStatus === '0', newCount: 1, reports: 1, ...extra,
});
const exec = (clOrdID: string, execID: string, execType: string, ordStatus: string, origClOrdID = ''): VenueExecRecord => ({
  compID: 'ALICE', clOrdID, origClOrdID, orderID: `O-${origClOrdID || clOrdID}`, execID, execType, ordStatus, live: true,
});

/**
 * A consistent story: order 10 acked then cancelled by request 20, order 30 acked, order 40 refused,
 * order 50 never arrived and the engine said so (gap-filled after a reconnect).
 */
const NOT_DELIVERED = 'J 50 L engine:_SEND_FAILED:_not_delivered:_dropped_in_reconnect_gap_fill,_never_reached_the_venue';
const LOG = [
  'P 10', 'E 10 - 0 0 10-1 0 O-10', 'C 20 10', 'E 20 10 4 4 20-3 0 O-10',
  'P 30', 'E 30 - 0 0 30-2 0 O-30',
  'P 40', 'J 40 j EOrder:Rate_limit_exceeded',
  'P 50', NOT_DELIVERED,
  'E 60 - 0 0', // torn last line of a killed process: ignored
].join('\n');
const VENUE = {
  orders: [order('10', '4', { open: false }), order('30', '0')],
  executions: [exec('10', '10-1', '0', '0'), exec('30', '30-2', '0', '0'), exec('20', '20-3', '4', '4', '10')],
};

describe('checkInvariants', () => {
  it('passes a consistent record and classifies every ClOrdID', () => {
    const r = checkInvariants(parseStrategyLog(LOG), VENUE, [0]);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ ok: true, created: 4, booked: 2, refused: 1, notDelivered: 1, unbooked: 0, ordersLost: 0, duplicates: 0, execsLost: 0, leftOpen: 0 });
  });

  it('counts an order nobody answered as lost (still PendingNew), unless allowed (a SIGKILLed process)', () => {
    const log = parseStrategyLog(LOG.replace(NOT_DELIVERED, ''));
    const strict = checkInvariants(log, VENUE, [0]);
    expect(strict).toMatchObject({ ok: false, unbooked: 1, notDelivered: 0, ordersLost: 1 });
    expect(strict.problems.join('\n')).toMatch(/50: never reached the venue and nobody told the strategy/);
    expect(checkInvariants(log, VENUE, [0], { allowUnbooked: true })).toMatchObject({ ok: true, unbooked: 1, ordersLost: 0 });
  });

  it('fails when an order reported "not delivered" was booked by the venue after all', () => {
    const venue = { orders: [...VENUE.orders, order('50', '0')], executions: [...VENUE.executions, exec('50', '50-7', '0', '0')] };
    const r = checkInvariants(parseStrategyLog(`${LOG}\nE 50 - 0 0 50-7 0 O-50`), venue, [0]);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/50: reported "not delivered" but the venue booked it/);
  });

  it('fails on a state mismatch, a phantom order, a booked-twice ClOrdID, a lost report and an order left open', () => {
    const venue = {
      orders: [order('10', '4', { open: false }), order('30', '4', { open: false }), order('77', '0'), order('50', '0', { newCount: 2 })],
      executions: [...VENUE.executions, exec('30', '30-4', '4', '4'), exec('50', '50-5', '0', '0'), exec('50', '50-6', '0', '0')],
    };
    const r = checkInvariants(parseStrategyLog(LOG), venue, [0, 2]);
    expect(r.ok).toBe(false);
    // 30: we say New, venue says Canceled; 50: booked, no report reached us; 77: never created by us.
    expect(r.ordersLost).toBe(3);
    expect(r.duplicates).toBe(1);
    expect(r.execsLost).toBe(3);
    expect(r.leftOpen).toBe(2);
    expect(r.problems.join('\n')).toMatch(/we say 39=0, the venue says 39=4/);
    expect(r.problems.join('\n')).toMatch(/booked 2 times/);
    expect(r.problems.join('\n')).toMatch(/never created/);
  });

  it('fails on a report the venue never produced and on a ClOrdID we issued twice', () => {
    const r = checkInvariants(parseStrategyLog(`${LOG}\nP 30\nE 30 - 4 4 30-9 1 O-30`), VENUE);
    expect(r.ok).toBe(false);
    expect(r.duplicates).toBe(1);
    expect(r.execsLost).toBe(1);
    expect(r.ordersLost).toBe(1);
  });
});

describe('campaignCases (KFIX_CAMPAIGN_SEEDS / KFIX_CAMPAIGN_RUNS)', () => {
  it('defaults to three seeds, one run', () => {
    expect(campaignCases({})).toEqual([{ seed: 11, k: 0 }, { seed: 4242, k: 1 }, { seed: 90001, k: 2 }]);
  });
  it('takes seeds and repeats from the environment', () => {
    expect(campaignCases({ KFIX_CAMPAIGN_SEEDS: '5, 6', KFIX_CAMPAIGN_RUNS: '2' })).toEqual([{ seed: 5, k: 0 }, { seed: 6, k: 1 }, { seed: 5 + 7919, k: 2 }, { seed: 6 + 7919, k: 3 }]);
  });
  it('refuses bad values with a clear error', () => {
    expect(() => campaignCases({ KFIX_CAMPAIGN_SEEDS: 'a,b' })).toThrow(/comma-separated integers/);
    expect(() => campaignCases({ KFIX_CAMPAIGN_RUNS: '0' })).toThrow(/integer >= 1/);
  });
});
