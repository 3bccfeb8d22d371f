/**
 * codec: FIX 4.4 bytes <-> fields. Owns framing, checksum, BodyLength, field decoding into a reusable
 * view, encoding into preallocated buffers, exact decimals, timestamps and the generated dictionary.
 * Must not know about sessions, sequence numbers, sockets or Kraken's business rules.
 */
export * from './ascii.js';
export * from './checksum.js';
export * from './decimal.js';
export * from './time.js';
export * from './message-view.js';
export * from './framer.js';
export * from './encoder.js';
export * from './reframe.js';
export { FixDictionary, getDictionary, FieldType, FIELD_TYPE_NAMES, UNKNOWN_FIELD } from './dictionary/index.js';
export type { GroupDef, MessageDef, SectionDef, DictionaryOptions } from './dictionary/index.js';
