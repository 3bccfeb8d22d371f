import { describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

function sendOrder(h: Harness, id: string): number {
  return h.session.sendFields('D', [[11, id], [21, '1'], [40, '1'], [54, '1'], [55, 'X'], [60, '20240514-12:00:00']]);
}

describe('answering ResendRequest', () => {
  it("'replay': resends stored application messages with PossDupFlag and OrigSendingTime, gap-filling admin ranges", () => {
    const h = new Harness().logon();
    h.recv('35=1|34=2|112=a'); // our 2: Heartbeat (admin)
    expect(sendOrder(h, 'o3')).toBe(3);
    expect(sendOrder(h, 'o4')).toBe(4);
    h.recv('35=1|34=3|112=b'); // our 5: admin
    const originals = h.sent.slice(2, 4).map((m) => m.fields.get(52));
    h.take();
    h.clock.advanceMs(5000);
    h.recv('35=2|34=4|7=1|16=0');
    const out = h.sent.splice(0);
    expect(out.map((m) => m.text.replace(/\|52=[^|]*|\|122=[^|]*|\|9=\d+|\|10=\d+/g, ''))).toEqual([
      '8=FIX.4.4|35=4|34=1|43=Y|49=ISLD|56=TW|36=3|123=Y|',
      '8=FIX.4.4|35=D|34=3|43=Y|49=ISLD|56=TW|11=o3|21=1|40=1|54=1|55=X|60=20240514-12:00:00|',
      '8=FIX.4.4|35=D|34=4|43=Y|49=ISLD|56=TW|11=o4|21=1|40=1|54=1|55=X|60=20240514-12:00:00|',
      '8=FIX.4.4|35=4|34=5|43=Y|49=ISLD|56=TW|36=6|123=Y|',
    ]);
    // OrigSendingTime is the original SendingTime; SendingTime is new.
    expect(out[1]!.fields.get(122)).toBe(originals[0]);
    expect(out[2]!.fields.get(122)).toBe(originals[1]);
    expect(out[1]!.fields.get(52)).not.toBe(originals[0]);
    // Header stays in QuickFIX order: 35 34 43 49 52 56 122.
    expect(out[1]!.list.slice(2, 9).map(([t]) => t)).toEqual([35, 34, 43, 49, 52, 56, 122]);
    // Resends consume no new sequence numbers.
    expect(h.session.nextSenderMsgSeqNum()).toBe(6);
  });

  it("'gap-fill-all': answers every ResendRequest with one SequenceReset-GapFill", () => {
    const h = new Harness({ resendPolicy: 'gap-fill-all' }).logon();
    sendOrder(h, 'o2');
    sendOrder(h, 'o3');
    h.take();
    h.recv('35=2|34=2|7=2|16=0');
    expect(h.take()).toEqual(['35=4|34=2|43=Y|36=4|123=Y']);
    h.recv('35=2|34=3|7=1|16=2');
    expect(h.take()).toEqual(['35=4|34=1|43=Y|36=3|123=Y']);
  });

  it('application messages are stored as sent bytes; admin messages only advance the number', () => {
    const h = new Harness().logon();
    sendOrder(h, 'o2');
    h.recv('35=1|34=2|112=x');
    const stored: number[] = [];
    h.store.replay(1, 0, (seq) => stored.push(seq));
    expect(stored).toEqual([2]);
    expect(h.store.nextSenderMsgSeqNum()).toBe(4);
  });

  it('refuses to send application messages when not logged on', () => {
    const h = new Harness().connect();
    expect(() => sendOrder(h, 'x')).toThrow(/not logged on/);
  });
});
