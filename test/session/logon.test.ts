import { describe, expect, it } from 'vitest';
import { SessionState } from '../../src/session/index.js';
import { Harness } from './helpers.js';

describe('acceptor logon', () => {
  it('answers a Logon with its own, echoing HeartBtInt, and becomes Active', () => {
    const h = new Harness().logon(45);
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=45']);
    expect(h.session.state).toBe(SessionState.Active);
    expect(h.session.heartBtIntSec).toBe(45);
    expect(h.session.nextTargetMsgSeqNum()).toBe(2);
    expect(h.logons).toBe(1);
  });

  it('resets both sequence numbers on ResetSeqNumFlag=Y and answers with 141=Y', () => {
    const h = new Harness();
    h.store.setNextSenderMsgSeqNum(17);
    h.store.setNextTargetMsgSeqNum(9);
    h.logon(30, '|141=Y');
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=30|141=Y']);
    expect(h.session.nextSenderMsgSeqNum()).toBe(2);
    expect(h.session.nextTargetMsgSeqNum()).toBe(2);
  });

  it('drops the connection when the first message is not a Logon', () => {
    const h = new Harness().connect();
    h.recv('35=0|34=1');
    expect(h.take()).toEqual([]);
    expect(h.disconnects).toEqual(['first message is not a Logon']);
    expect(h.session.state).toBe(SessionState.Disconnected);
  });

  it('drops a Logon with a SendingTime over 120 s off, sending nothing', () => {
    const h = new Harness().connect();
    h.recv('35=A|34=1|52=<NOW-200>|98=0|108=30');
    expect(h.take()).toEqual([]);
    expect(h.disconnects.length).toBe(1);
  });

  it('drops a Logon for another CompID', () => {
    const h = new Harness().connect();
    h.recv('35=A|34=1|49=WT|98=0|108=30');
    expect(h.take()).toEqual([]);
    expect(h.disconnects.length).toBe(1);
  });

  it('lets the application refuse a Logon with a Logout carrying the reason', () => {
    const h = new Harness({
      application: { onLogonIn: (_s, view) => (view.getString(553) === 'good' ? null : 'bad credentials') },
    }).connect();
    h.recv('35=A|34=1|98=0|108=30|553=nope');
    expect(h.take()).toEqual(['35=5|34=1|58=bad credentials']);
    expect(h.disconnects).toEqual(['Logon refused: bad credentials']);
    expect(h.logons).toBe(0);
  });

  it('with a too-high Logon MsgSeqNum answers, then asks for the gap (recovery, no reset)', () => {
    const h = new Harness().connect();
    h.recv('35=A|34=5|98=0|108=30');
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=30', '35=2|34=2|7=1|16=0']);
    expect(h.session.state).toBe(SessionState.ResendInProgress);
  });

  it('ResetSeqNumFlag=Y wins over a stored gap: no ResendRequest after a reset Logon', () => {
    const h = new Harness();
    h.store.setNextTargetMsgSeqNum(3); // a previous connection left us expecting 3
    h.connect().recv('35=A|34=1|98=0|108=30|141=Y');
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=30|141=Y']);
    expect(h.session.state).toBe(SessionState.Active);
  });

  it('without a reset, a Logon below the expected number is refused as too low', () => {
    const h = new Harness();
    h.store.setNextTargetMsgSeqNum(5);
    h.connect().recv('35=A|34=1|98=0|108=30');
    expect(h.take()).toEqual(['35=5|34=1|58=MsgSeqNum too low, expecting 5 but received 1']);
    expect(h.session.state).toBe(SessionState.Disconnected);
  });

  it('a Logon above a stored expectation recovers the gap (recovery ordering)', () => {
    const h = new Harness();
    h.store.setNextTargetMsgSeqNum(3);
    h.store.setNextSenderMsgSeqNum(4);
    h.connect().recv('35=A|34=6|98=0|108=30');
    expect(h.take()).toEqual(['35=A|34=4|98=0|108=30', '35=2|34=5|7=3|16=0']);
    h.recv('35=4|34=3|43=Y|122=<NOW>|36=6|123=Y');
    expect(h.session.nextTargetMsgSeqNum()).toBe(7); // gap filled, queued Logon consumed
    expect(h.session.state).toBe(SessionState.Active);
  });

  it('a mid-session Logon without ResetSeqNumFlag drops the connection', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=A|34=2|98=0|108=30');
    expect(h.disconnects).toEqual(['Logon received while logged on']);
  });

  it('a mid-session Logon with ResetSeqNumFlag=Y resets both directions', () => {
    const h = new Harness().logon();
    h.recv('35=1|34=2|112=a').recv('35=0|34=3');
    h.take();
    h.recv('35=A|34=1|98=0|108=30|141=Y');
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=30|141=Y']);
    h.recv('35=1|34=2|112=b');
    expect(h.take()).toEqual(['35=0|34=2|112=b']);
  });

  it('drops a connection that never logs on', () => {
    const h = new Harness({ logonTimeoutMs: 5000 }).connect();
    h.advance(4900);
    expect(h.session.isConnected).toBe(true);
    h.advance(200);
    expect(h.disconnects).toEqual(['no Logon received']);
  });
});

describe('initiator logon', () => {
  it('sends Logon with 141=Y and custom fields signed over its own MsgSeqNum and CompIDs', () => {
    const seen: string[] = [];
    const h = new Harness({
      role: 'initiator',
      heartBtIntSec: 60,
      resetSeqNumOnLogon: true,
      application: {
        onLogonOut: (_s, enc, ctx) => {
          seen.push(`${ctx.msgSeqNum}/${ctx.senderCompID}/${ctx.targetCompID}/${ctx.resetSeqNumFlag}`);
          enc.str(553, 'key').str(554, `sig-${ctx.msgSeqNum}`);
        },
      },
    });
    h.store.setNextSenderMsgSeqNum(40);
    h.connect();
    expect(h.take()).toEqual(['35=A|34=1|98=0|108=60|141=Y|553=key|554=sig-1']);
    expect(seen).toEqual(['1/TW/ISLD/true']);
    expect(h.session.state).toBe(SessionState.LogonSent);
    h.recv('35=A|34=1|98=0|108=60|141=Y');
    expect(h.session.state).toBe(SessionState.Active);
    expect(h.take()).toEqual([]); // the answer is not answered
    expect(h.logons).toBe(1);
  });

  it('without reset continues the stored numbers', () => {
    const h = new Harness({ role: 'initiator', heartBtIntSec: 30 });
    h.store.setNextSenderMsgSeqNum(7);
    h.store.setNextTargetMsgSeqNum(4);
    h.connect();
    expect(h.take()).toEqual(['35=A|34=7|98=0|108=30']);
    h.recv('35=A|34=4|98=0|108=30');
    expect(h.session.nextTargetMsgSeqNum()).toBe(5);
  });

  it('times out waiting for the Logon answer', () => {
    const h = new Harness({ role: 'initiator', logonTimeoutMs: 3000 }).connect();
    h.advance(3100);
    expect(h.disconnects).toEqual(['timed out waiting for Logon response']);
  });

  it('reports the Text of a Logout that refuses our Logon', () => {
    const h = new Harness({ role: 'initiator' }).connect();
    h.recv('35=5|34=1|58=Invalid signature');
    expect(h.disconnects).toEqual(['Logon refused by counterparty: Invalid signature']);
  });
});
