import { describe, expect, it } from 'vitest';
import { SessionState } from '../../src/session/index.js';
import { Harness } from './helpers.js';

const order = (seq: number, id: string) => `35=D|34=${seq}|11=${id}|21=1|40=1|54=1|55=X|60=20240514-12:00:00`;

describe('inbound sequence recovery', () => {
  it('asks for a gap once, queues what is above it, and processes the queue when the gap is filled', () => {
    const h = new Harness().logon();
    h.take();
    h.recv(order(2, 'a'));
    h.recv(order(5, 'd')).recv(order(6, 'e'));
    expect(h.take()).toEqual(['35=2|34=2|7=3|16=0']); // one ResendRequest for both
    expect(h.session.state).toBe(SessionState.ResendInProgress);
    expect(h.app.map((m) => m.seq)).toEqual([2]);
    h.recv(`${order(3, 'b')}|43=Y|122=<NOW-1>`);
    expect(h.app.map((m) => m.seq)).toEqual([2, 3]);
    h.recv(`${order(4, 'c')}|43=Y|122=<NOW-1>`);
    expect(h.app.map((m) => [m.seq, m.possDup])).toEqual([[2, false], [3, true], [4, true], [5, false], [6, false]]);
    expect(h.session.nextTargetMsgSeqNum()).toBe(7);
    expect(h.session.state).toBe(SessionState.Active);
  });

  it('a SequenceReset-GapFill over the gap releases the queue; admin messages never reach the application', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=0|34=4').recv(order(5, 'x'));
    expect(h.take()).toEqual(['35=2|34=2|7=2|16=0']);
    h.recv('35=4|34=2|43=Y|122=<NOW>|36=4|123=Y');
    expect(h.app.map((m) => m.seq)).toEqual([5]);
    expect(h.session.nextTargetMsgSeqNum()).toBe(6);
  });

  it('asks again when a replayed message is lost and the sequence stops moving (no stall in ResendInProgress)', () => {
    const h = new Harness({ resendTimeoutMs: 2_000 }).logon();
    h.take();
    h.recv(order(2, 'a')).recv(order(6, 'e'));
    expect(h.take()).toEqual(['35=2|34=2|7=3|16=0']);
    h.recv(`${order(3, 'b')}|43=Y|122=<NOW-1>`); // 4 is lost in the replay; 5 arrives
    h.recv(`${order(5, 'd')}|43=Y|122=<NOW-1>`);
    h.clock.advanceMs(1_000);
    h.session.onTimer();
    expect(h.take()).toEqual([]); // progress was made (3 arrived): the timer restarts from it
    h.clock.advanceMs(1_500);
    h.session.onTimer();
    expect(h.take()).toEqual([]);
    h.clock.advanceMs(600);
    h.session.onTimer();
    expect(h.take()).toEqual(['35=2|34=3|7=4|16=0']); // asked again from the next expected number
    expect(h.session.state).toBe(SessionState.ResendInProgress);
    h.recv(`${order(4, 'c')}|43=Y|122=<NOW-1>`).recv(`${order(5, 'd')}|43=Y|122=<NOW-1>`);
    expect(h.app.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(h.session.state).toBe(SessionState.Active);
    expect(h.session.nextTargetMsgSeqNum()).toBe(7);
  });

  it('keeps its own copy of a message queued above a gap when the reader reuses its buffer', () => {
    // The engine reads every chunk into one Buffer; Buffer#slice is a view, so a queued message used
    // to be overwritten by the next read and lost when the gap was filled.
    const h = new Harness().logon();
    h.take();
    const reuse = Buffer.alloc(512);
    const deliver = (body: string) => h.recv(body, { reuse });
    deliver(order(3, 'queued-one'));
    deliver('35=0|34=4');
    expect(h.take()).toEqual(['35=2|34=2|7=2|16=0']);
    deliver(`${order(2, 'a')}|43=Y|122=<NOW-1>`);
    expect(h.app.map((m) => [m.seq, /11=([^|]*)/.exec(m.text)?.[1]])).toEqual([[2, 'a'], [3, 'queued-one']]);
    expect(h.session.nextTargetMsgSeqNum()).toBe(5);
  });

  it('ignores a PossDup message below the expected number', () => {
    const h = new Harness().logon();
    h.recv(order(2, 'a')).recv(`${order(2, 'a')}|43=Y|122=<NOW-1>`);
    expect(h.app.length).toBe(1);
    expect(h.session.nextTargetMsgSeqNum()).toBe(3);
  });

  it('logs out on a lower MsgSeqNum without PossDupFlag', () => {
    const h = new Harness().logon();
    h.recv('35=0|34=2').recv('35=0|34=3');
    h.take();
    h.recv('35=0|34=2');
    expect(h.take()).toEqual(['35=5|34=2|58=MsgSeqNum too low, expecting 4 but received 2']);
    expect(h.session.state).toBe(SessionState.Disconnected);
  });

  it('rejects a PossDup without OrigSendingTime, and one whose OrigSendingTime is after SendingTime (then logs out)', () => {
    const h = new Harness().logon();
    h.recv(order(2, 'a')).recv(order(3, 'b'));
    h.take();
    h.recv(`${order(2, 'a')}|43=Y`);
    expect(h.take()).toEqual(['35=3|34=2|45=2|58=Required tag missing|371=122|372=D|373=1']);
    h.recv(`${order(2, 'a')}|43=Y|122=<NOW+10>`);
    expect(h.take()).toEqual(['35=3|34=3|45=2|58=SendingTime accuracy problem|372=D|373=10', '35=5|34=4']);
    expect(h.session.state).toBe(SessionState.LogoutSent);
  });

  it('SequenceReset-Reset moves the expected number up, and is rejected when it would move it down', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=4|34=0|36=25');
    expect(h.session.nextTargetMsgSeqNum()).toBe(25);
    h.recv('35=4|34=0|36=10');
    expect(h.take()).toEqual(['35=3|34=2|45=0|58=Value is incorrect (out of range) for this tag|372=4|373=5']);
    expect(h.session.nextTargetMsgSeqNum()).toBe(25);
  });

  it('processes a too-high ResendRequest at once without consuming its number', () => {
    const h = new Harness().logon();
    h.recv('35=0|34=2');
    h.take();
    h.recv('35=0|34=5');
    expect(h.take()).toEqual(['35=2|34=2|7=3|16=0']);
    h.recv('35=2|34=6|7=1|16=0');
    expect(h.take()).toEqual(['35=4|34=1|43=Y|36=3|123=Y']);
    h.recv('35=0|34=3|43=Y|122=<NOW>').recv('35=0|34=4|43=Y|122=<NOW>');
    expect(h.session.nextTargetMsgSeqNum()).toBe(6); // 5 came from the queue; 6 (the request) is still expected
  });

  it('bounds the queue: overflow is dropped and reported', () => {
    const h = new Harness({ maxQueuedMessages: 2 }).logon();
    h.recv('35=0|34=5').recv('35=0|34=6').recv('35=0|34=7');
    expect(h.events.some((e) => e.kind === 'queue-overflow')).toBe(true);
    h.recv('35=4|34=2|43=Y|122=<NOW>|36=5|123=Y');
    expect(h.session.nextTargetMsgSeqNum()).toBe(7); // 5 and 6 were kept, 7 must be asked again
  });
});
