/** Daily logical rollover (Kraken: 22:00 UTC resets both sequence numbers). Pure time arithmetic. */
import type { DailyRollover } from './types.js';

const MICROS_PER_DAY = 86_400_000_000;

/** The latest rollover instant at or before nowMicros. */
export function lastRolloverMicros(nowMicros: number, rollover: DailyRollover): number {
  const offset = (rollover.hourUtc * 60 + rollover.minuteUtc) * 60_000_000;
  return Math.floor((nowMicros - offset) / MICROS_PER_DAY) * MICROS_PER_DAY + offset;
}

/** True when the store's sequence epoch began before the latest rollover: numbers must reset. */
export function rolloverDue(sessionStartMicros: number, nowMicros: number, rollover: DailyRollover): boolean {
  return sessionStartMicros < lastRolloverMicros(nowMicros, rollover);
}

export function checkRollover(rollover: DailyRollover): void {
  const { hourUtc, minuteUtc } = rollover;
  if (!Number.isInteger(hourUtc) || hourUtc < 0 || hourUtc > 23 || !Number.isInteger(minuteUtc) || minuteUtc < 0 || minuteUtc > 59) {
    throw new RangeError(`rollover time must be HH 0..23 and MM 0..59, got ${hourUtc}:${minuteUtc}`);
  }
}
