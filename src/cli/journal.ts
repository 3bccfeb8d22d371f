/**
 * `kfix journal <dir>`: inspects session journals without changing them (a torn tail is reported, not
 * cut), and replays a range of stored messages through the decoder. Reads the store's own scanner so
 * what it shows is what a restarting engine would recover.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scanJournal } from '../store/scan.js';
import { formatUtcTimestamp } from '../codec/index.js';
import { decodeFix } from './decode.js';

export interface JournalSummary {
  file: string;
  identity: string | null;
  nextSenderMsgSeqNum: number;
  nextTargetMsgSeqNum: number;
  sessionStart: string;
  storedMessages: number;
  records: number;
  tail: string;
}

export interface JournalReport {
  summaries: JournalSummary[];
  replay: string[];
}

/** Reads every *.journal file in dir; `range` [begin, end] (end 0 = last) replays stored messages. */
export function inspectJournals(dir: string, range?: [number, number]): JournalReport {
  const files = readdirSync(dir).filter((f) => f.endsWith('.journal')).sort();
  const report: JournalReport = { summaries: [], replay: [] };
  for (const file of files) {
    const path = join(dir, file);
    const fd = openSync(path, 'r');
    try {
      const size = statSync(path).size;
      const r = scanJournal(fd, size);
      report.summaries.push({
        file,
        identity: r.identity,
        nextSenderMsgSeqNum: r.nextSender,
        nextTargetMsgSeqNum: r.nextTarget,
        sessionStart: r.sessionStartMicros > 0 ? formatUtcTimestamp(r.sessionStartMicros, 3) : '-',
        storedMessages: r.index.size(),
        records: r.records,
        tail: r.cut ? `TORN TAIL: ${r.cut.bytes} bytes at offset ${r.cut.offset} (${r.cut.reason}) would be cut on open` : 'clean',
      });
      if (range) {
        const chunks: Buffer[] = [];
        r.index.forEachInRange(range[0], range[1] === 0 ? r.nextSender - 1 : range[1], (_seq, position, length) => {
          const b = Buffer.allocUnsafe(length);
          readSync(fd, b, 0, length, position);
          chunks.push(b);
        });
        if (chunks.length > 0) report.replay.push(`=== ${file}\n${decodeFix(Buffer.concat(chunks)).text}`);
      }
    } finally {
      closeSync(fd);
    }
  }
  return report;
}

export function formatSummary(s: JournalSummary): string {
  return [
    `${s.file}`,
    `  session            ${s.identity ?? '(unreadable identity record)'}`,
    `  NextSenderMsgSeqNum ${s.nextSenderMsgSeqNum}`,
    `  NextTargetMsgSeqNum ${s.nextTargetMsgSeqNum}`,
    `  sequence epoch      ${s.sessionStart}`,
    `  stored messages     ${s.storedMessages} (${s.records} records)`,
    `  tail                ${s.tail}`,
  ].join('\n');
}
