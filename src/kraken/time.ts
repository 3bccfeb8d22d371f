// UTCTimestamp text <-> epoch milliseconds for the few fields the profile builds (60, 62, 126, 168) and for
// reading SendingTime in the clock-drift check. The codec will own the hot-path version of this.

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDD-HH:MM:SS.sss` (or without `.sss`) in UTC. */
export function formatUTCTimestamp(epochMs: number, withMillis = true): string {
  const d = new Date(epochMs);
  const base =
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    '-' +
    pad(d.getUTCHours(), 2) +
    ':' +
    pad(d.getUTCMinutes(), 2) +
    ':' +
    pad(d.getUTCSeconds(), 2);
  return withMillis ? base + '.' + pad(d.getUTCMilliseconds(), 3) : base;
}

const UTC_TS_RE = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Parse `YYYYMMDD-HH:MM:SS[.fraction]` (UTC) to epoch ms (fraction truncated to ms); null if malformed. */
export function parseUTCTimestamp(text: string): number | null {
  const m = UTC_TS_RE.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC silently rolls 31 Feb into March; reject such dates.
  if (new Date(t).getUTCDate() !== day) return null;
  return t;
}
