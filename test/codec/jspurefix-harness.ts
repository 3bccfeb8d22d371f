/**
 * The smallest jspurefix setup that encodes and parses whole messages, for the cross-check tests and
 * bench/codec.bench.ts: its DI session container with the bundled QuickFIX FIX44.xml ('qf44'), its
 * AsciiMsgTransmitter (header, BodyLength, CheckSum) and its AsciiParser, with no socket.
 */
import 'reflect-metadata';
import jsp from 'jspurefix';
import jspUtil from 'jspurefix/dist/util/index.js';

const { MessageGenerator } = jspUtil as unknown as {
  MessageGenerator: new (words: string[], definitions: unknown) => { generate(msgType: string, density?: number, repeatGroups?: boolean): Record<string, unknown> };
};
const { SessionContainer, DITokens, AsciiParser } = jsp as unknown as {
  AsciiParser: new (config: unknown, readStream: null, buffer: unknown, maxLen: number) => any;
  SessionContainer: new () => { registerGlobal(level: string): void; makeSystem(d: unknown): Promise<Container> };
  DITokens: Record<string, string>;
};

interface Container { resolve<T = any>(token: string): T }

export interface JspParsed { msgType: string; fields: [number, string][] }

export interface Jspurefix {
  /** Encodes a jspurefix object (field names, nested components and groups) as a whole message. */
  encode(msgType: string, body: Record<string, unknown>, seqNum?: number): Buffer;
  /** Encodes as jspurefix does before a send (encode + trim); returns the length (for benchmarks). */
  encodeInPlace(msgType: string, body: Record<string, unknown>): number;
  /** Parses bytes; returns each message's fields in wire order. */
  parse(data: Uint8Array): JspParsed[];
  /** The raw parser: parser.on('msg', (msgType, view) => ...), parser.parseBuffer(buf). */
  readonly parser: { on(ev: string, f: (...a: any[]) => void): void; parseBuffer(b: Buffer): void; removeAllListeners(): void };
  /** A random message of a type, from jspurefix's own generator. */
  generate(msgType: string, density: number, seed: number): Record<string, unknown>;
  readonly definitions: { message: Map<string, unknown> };
}

export const JSP_SENDER = 'KFIX-JSP';
export const JSP_TARGET = 'KRAKEN-JSP';
const WORDS = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(' ');

/** Fields of a jspurefix view in wire order (tag, value as text). */
export function viewFields(view: any): [number, string][] {
  const tags = view.structure.tags;
  const out: [number, string][] = [];
  for (let i = 0; i < tags.nextTagPos; i++) {
    const tp = tags.tagPos[i];
    out.push([tp.tag, (view.buffer.buffer as Buffer).toString('latin1', tp.start, tp.start + tp.len)]);
  }
  return out;
}

export async function makeJspurefix(): Promise<Jspurefix> {
  const sys = new SessionContainer();
  sys.registerGlobal('error');
  const container = await sys.makeSystem({
    application: { type: 'initiator', name: 'kfix-crosscheck', tcp: { host: '127.0.0.1', port: 1 }, protocol: 'ascii', dictionary: 'qf44' },
    SenderCompId: JSP_SENDER, SenderCompID: JSP_SENDER, TargetCompID: JSP_TARGET, BeginString: 'FIX.4.4', HeartBtInt: 30,
    BodyLengthChars: 1,
  });
  const config = container.resolve(DITokens.IJsFixConfig!);
  const tx = container.resolve(DITokens.MsgTransmitter!);
  tx.time = new Date(Date.UTC(2025, 0, 15, 10, 30, 45, 123));
  const parser = new AsciiParser(config, null, container.resolve(DITokens.ParseBuffer!), 160 * 1024);
  let sink: JspParsed[] = [];
  parser.on('msg', (msgType: string, view: unknown) => { sink.push({ msgType, fields: viewFields(view) }); });
  let parseErrors: Error[] = [];
  parser.on('error', (e: Error) => { parseErrors.push(e); parser.reset(); });
  return {
    parser: {
      on: (ev, f) => parser.on(ev, f),
      parseBuffer: (b) => parser.parseBuffer(b),
      removeAllListeners: () => parser.removeAllListeners('msg'),
    },
    definitions: config.definitions,
    encode(msgType, body, seqNum = 1) {
      tx.msgSeqNum = seqNum;
      tx.encoder.reset();
      tx.encodeMessage(msgType, body);
      return Buffer.from(tx.encoder.trim()); // trim() puts SOH back where the log delimiter was written
    },
    encodeInPlace(msgType, body) {
      tx.msgSeqNum = 1;
      tx.encoder.reset();
      tx.encodeMessage(msgType, body);
      return tx.encoder.trim().length;
    },
    parse(data) {
      sink = [];
      parseErrors = [];
      try {
        parser.parseBuffer(Buffer.from(data.buffer, data.byteOffset, data.length));
      } catch (e) {
        parseErrors.push(e as Error);
        parser.reset();
      }
      if (parseErrors.length > 0) throw new Error(`jspurefix: ${parseErrors.map((e) => e.message).join('; ')}`);
      return sink;
    },
    generate(msgType, density, seed) {
      // The generator draws from Math.random: seed it for reproducible cases.
      const saved = Math.random;
      let a = seed >>> 0;
      Math.random = () => { a = (a + 0x6d2b79f5) >>> 0; let t = Math.imul(a ^ (a >>> 15), a | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
      try {
        return new MessageGenerator(WORDS, config.definitions).generate(msgType, density, true);
      } finally {
        Math.random = saved;
      }
    },
  };
}
