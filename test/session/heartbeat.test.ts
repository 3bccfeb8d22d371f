import { describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('heartbeats and test requests', () => {
  it('sends a Heartbeat after HeartBtInt without sending anything', () => {
    const h = new Harness().logon(10);
    h.take();
    h.recv('35=0|34=2');
    h.advance(9900);
    expect(h.take()).toEqual([]);
    h.advance(200);
    expect(h.take()).toEqual(['35=0|34=2']);
  });

  it('answers a TestRequest with its TestReqID', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=1|34=2|112=PING 1');
    expect(h.take()).toEqual(['35=0|34=2|112=PING 1']);
  });

  it('sends TestRequest after HeartBtInt x testRequestFactor of silence, then disconnects at timeoutFactor', () => {
    const h = new Harness({ testRequestFactor: 1.2, timeoutFactor: 2.4 }).logon(10);
    h.take();
    h.advance(10_100); // our heartbeat at 10 s
    expect(h.take()).toEqual(['35=0|34=2']);
    h.advance(1_800); // 11.9 s of silence
    expect(h.take()).toEqual([]);
    h.advance(200); // 12.1 s: 1.2 x HeartBtInt
    expect(h.take()).toEqual(['35=1|34=3|112=TEST']);
    h.advance(11_700); // 23.8 s
    expect(h.disconnects).toEqual([]);
    h.advance(300); // 24.1 s: 2.4 x HeartBtInt
    expect(h.disconnects).toEqual(['timed out waiting for heartbeat']);
    expect(h.logouts).toEqual(['timed out waiting for heartbeat']);
  });

  it('an answer to the TestRequest keeps the session alive', () => {
    const h = new Harness({ testRequestFactor: 1.5 }).logon(6);
    h.take();
    h.advance(9_100);
    expect(h.take()).toEqual(['35=0|34=2', '35=1|34=3|112=TEST']);
    h.recv('35=0|34=2|112=TEST');
    h.advance(14_000);
    expect(h.disconnects).toEqual([]);
  });
});
