import { describe, expect, it } from 'vitest';
import { MessageValidator } from '../../src/session/index.js';
import { FixFramer, getDictionary } from '../../src/codec/index.js';
import { Harness, fix } from './helpers.js';

const D = '35=D|34=2|11=ID|21=1|40=1|54=1|55=INTC|60=20240514-12:00:00';

// [case, inbound (header filled by the harness), expected Reject after 35/34]
const CASES: [string, string, string][] = [
  ['undefined tag', '35=0|34=2|999=HI', '45=2|58=Invalid tag number|371=999|372=0|373=0'],
  ['tag zero', '35=0|34=2|0=HI', '45=2|58=Invalid tag number|371=0|372=0|373=0'],
  ['negative tag', '35=0|34=2|-1=HI', '45=2|58=Invalid tag number|371=-1|372=0|373=0'],
  ['required tag missing (body)', '35=D|34=2|21=1|40=1|54=1|60=20240514-12:00:00', '45=2|58=Required tag missing|371=11|372=D|373=1'],
  ['tag not defined for message', '35=0|34=2|55=MSFT', '45=2|58=Tag not defined for this message type|371=55|372=0|373=2'],
  ['tag without value', '35=1|34=2|112=', '45=2|58=Tag specified without a value|371=112|372=1|373=4'],
  ['enum out of range', D.replace('21=1', '21=4'), '45=2|58=Value is incorrect (out of range) for this tag|371=21|372=D|373=5'],
  ['int format', '35=2|34=2|7=x1|16=0', '45=2|58=Incorrect data format for value|371=7|372=2|373=6'],
  ['float format (leading +)', `${D}|38=+200.00`, '45=2|58=Incorrect data format for value|371=38|372=D|373=6'],
  ['char format', D.replace('54=1', '54=12'), '45=2|58=Incorrect data format for value|371=54|372=D|373=6'],
  ['boolean format', '35=0|34=2|43=X', '45=2|58=Incorrect data format for value|371=43|372=0|373=6'],
  ['UTCTimestamp format', `${D}|126=20040415`, '45=2|58=Incorrect data format for value|371=126|372=D|373=6'],
  ['repeated tag', D.replace('40=1', '40=1|40=2'), '45=2|58=Tag appears more than once|371=40|372=D|373=13'],
  ['NumInGroup count', `${D}|386=3|336=PRE-OPEN|336=AFTER-HOURS`, '45=2|58=Incorrect NumInGroup count for repeating group|371=386|372=D|373=16'],
  ['invalid MsgType', '35=*|34=2', '45=2|58=Invalid MsgType|372=*|373=11'],
  ['SendingTime accuracy', '35=0|34=2|52=<NOW-121>', '45=2|58=SendingTime accuracy problem|372=0|373=10'],
  ['CompID problem', '35=0|34=2|49=WT', '45=2|58=CompID problem|372=0|373=9'],
];

describe('session-level Reject (35=3) with QuickFIX texts', () => {
  for (const [name, inbound, expected] of CASES) {
    it(name, () => {
      const h = new Harness({ framing: 'quickfix' }).logon();
      h.take();
      h.recv(inbound);
      const out = h.take();
      expect(out[0]).toBe(`35=3|34=2|${expected}`);
    });
  }

  it('a rejected message consumes its sequence number', () => {
    const h = new Harness().logon();
    h.recv('35=0|34=2|999=HI');
    expect(h.session.nextTargetMsgSeqNum()).toBe(3);
  });

  it('SendingTime and CompID problems also log out', () => {
    const h = new Harness().logon();
    h.take();
    h.recv('35=0|34=2|52=<NOW+121>');
    expect(h.take()[1]).toBe('35=5|34=3');
  });

  it('header field after the body: Tag specified out of required order', () => {
    const h = new Harness().logon();
    h.take();
    h.recv(`35=D|11=id|21=3|40=1|54=1|55=MSFT|60=<NOW>|34=2|49=TW|52=<NOW>|56=ISLD`, { raw: true });
    expect(h.take()).toEqual(['35=3|34=2|45=2|58=Tag specified out of required order|371=34|372=D|373=14']);
  });

  it('reverses routing tags, skipping empty ones', () => {
    const h = new Harness().logon();
    h.take();
    h.recv(`35=D|34=2|115=JCD|116=CS|11=ID|21=3|38=100|40=w|54=1|55=INTC|60=<NOW>`);
    h.recv(`35=D|34=3|128=JCD|129=|11=ID|21=3|38=100|40=1|54=1|55=INTC|60=<NOW>`);
    expect(h.take()).toEqual([
      '35=3|34=2|128=JCD|129=CS|45=2|58=Value is incorrect (out of range) for this tag|371=40|372=D|373=5',
      '35=3|34=3|115=JCD|45=3|58=Tag specified without a value|371=129|372=D|373=4',
    ]);
  });

  it('empty values pass when checkFieldsHaveValues is off', () => {
    const h = new Harness({ validation: { enabled: true, checkFieldsHaveValues: false } }).logon();
    h.take();
    h.recv('35=1|34=2|112=');
    expect(h.take()).toEqual(['35=0|34=2|112=']);
  });

  it('validation off lets dictionary problems through to the application', () => {
    const h = new Harness({ validation: { enabled: false } }).logon();
    h.take();
    h.recv(`${D}|999=x`);
    expect(h.take()).toEqual([]);
    expect(h.app.length).toBe(1);
  });

  it('a group with NumInGroup 0 and no instances is valid', () => {
    const dictionary = getDictionary({ kraken: false });
    const v = new MessageValidator(dictionary);
    const msg = fix('35=d|34=2|49=TW|56=ISLD|52=20240514-12:00:00|320=R1|322=X|323=6|55=TBS|454=0');
    const results: boolean[] = [];
    new FixFramer(dictionary).push(msg, { onMessage: (view) => results.push(v.validate(view)), onError: () => {} });
    expect(results).toEqual([true]);
  });
});
