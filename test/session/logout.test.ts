import { describe, expect, it } from 'vitest';
import { SessionState } from '../../src/session/index.js';
import { Harness, fix } from './helpers.js';

describe('logout', () => {
  it('answers the counterparty Logout and disconnects', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=5|34=2');
    expect(h.take()).toEqual(['35=5|34=2']);
    expect(h.session.state).toBe(SessionState.Disconnected);
    expect(h.logouts.length).toBe(1);
  });

  it('operator logout waits for the answer, then disconnects without answering it', () => {
    const h = new Harness().logon();
    h.take();
    h.session.logout('bye');
    expect(h.take()).toEqual(['35=5|34=2|58=bye']);
    expect(h.session.state).toBe(SessionState.LogoutSent);
    h.recv('35=5|34=2');
    expect(h.take()).toEqual([]);
    expect(h.disconnects).toEqual(['logout complete']);
  });

  it('disconnects when the Logout is not answered within logoutTimeoutMs', () => {
    const h = new Harness({ logoutTimeoutMs: 2000 }).logon();
    h.session.logout();
    h.advance(1900);
    expect(h.session.state).toBe(SessionState.LogoutSent);
    h.advance(200);
    expect(h.disconnects).toEqual(['timed out waiting for Logout response']);
  });

  it('a wrong BeginString after logon gets Logout "Incorrect BeginString"', () => {
    const h = new Harness().logon();
    h.take();
    h.bytes(fix('35=1|34=2|49=TW|52=20240514-12:00:00|56=ISLD|112=id', h.clock, 'FIX.4.1'));
    expect(h.take()).toEqual(['35=5|34=2|58=Incorrect BeginString']);
    expect(h.session.state).toBe(SessionState.LogoutSent);
  });

  it('garbled messages after logon are ignored (and then show up as a gap)', () => {
    const h = new Harness({ framing: 'quickfix' }).logon();
    h.take();
    h.bytes(Buffer.from('8=FIX.4.4\x019=52\x0135=0\x0134=2\x014garbled9=TW\x0152=20240514-12:00:00\x0156=ISLD\x0110=0\x01', 'latin1'));
    h.recv('35=0|34=3');
    expect(h.take()).toEqual(['35=2|34=2|7=2|16=0']);
  });
});
