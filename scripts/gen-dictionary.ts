/**
 * Generates src/codec/dictionary/fix44.generated.ts from the FIX 4.4 dictionary (../shared/spec/FIX44.xml)
 * and Kraken's overlay (scripts/dictionary/kraken-overlay.xml), plus build/FIX44-kraken.xml, the merged
 * dictionary QuickFIX peers load to validate Kraken traffic. Output is deterministic: a test regenerates it
 * and compares byte for byte, so nobody edits the generated file by hand.
 *
 * Usage: tsx scripts/gen-dictionary.ts [--check | --xml-only]
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

type XNode = Record<string, unknown>;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIX44_XML = resolve(ROOT, '..', 'shared', 'spec', 'FIX44.xml');
export const OVERLAY_XML = join(ROOT, 'scripts', 'dictionary', 'kraken-overlay.xml');
export const GENERATED_TS = join(ROOT, 'src', 'codec', 'dictionary', 'fix44.generated.ts');
export const MERGED_XML = join(ROOT, 'build', 'FIX44-kraken.xml');

/** Field type codes shared with src/codec/dictionary/types.ts (FieldType). */
const TYPE_CODES: Record<string, number> = {
  STRING: 0, CHAR: 1, INT: 2, LENGTH: 3, NUMINGROUP: 4, SEQNUM: 5, BOOLEAN: 6, FLOAT: 7, QTY: 8, PRICE: 9,
  PRICEOFFSET: 10, AMT: 11, PERCENTAGE: 12, UTCTIMESTAMP: 13, UTCTIMEONLY: 14, UTCDATEONLY: 15,
  LOCALMKTDATE: 16, MONTHYEAR: 17, MULTIPLEVALUESTRING: 18, DATA: 19, CURRENCY: 20, EXCHANGE: 21,
  COUNTRY: 22, DAYOFMONTH: 23,
};

interface FieldInfo { tag: number; name: string; type: string; kraken: boolean; values: EnumValue[] }
interface EnumValue { value: string; name: string; kraken: boolean }
interface EntryField { kind: 'field'; tag: number; required: boolean; kraken: boolean; krakenOptional?: boolean }
interface EntryGroup { kind: 'group'; tag: number; required: boolean; kraken: boolean; entries: Entry[] }
type Entry = EntryField | EntryGroup;
interface MessageInfo { msgType: string; name: string; admin: boolean; entries: Entry[] }

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true });

function children(node: XNode): XNode[] {
  for (const k of Object.keys(node)) if (k !== ':@') return (node[k] as XNode[]) ?? [];
  return [];
}
function tagOf(node: XNode): string {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return '';
}
function attr(node: XNode, name: string): string {
  const a = node[':@'] as Record<string, string> | undefined;
  return a?.[name] ?? '';
}
function find(nodes: XNode[], tag: string): XNode {
  const n = nodes.find((x) => tagOf(x) === tag);
  if (!n) throw new Error(`dictionary: <${tag}> not found`);
  return n;
}

export interface Dictionary { fields: Map<number, FieldInfo>; header: Entry[]; trailer: Entry[]; messages: MessageInfo[] }

export function loadDictionary(fixXml = readFileSync(FIX44_XML, 'utf8'), overlayXml = readFileSync(OVERLAY_XML, 'utf8')): Dictionary {
  const fix = children(find(parser.parse(fixXml) as XNode[], 'fix'));
  const overlay = children(find(parser.parse(overlayXml) as XNode[], 'overlay'));

  const fields = new Map<number, FieldInfo>();
  const byName = new Map<string, FieldInfo>();
  const addField = (node: XNode, kraken: boolean) => {
    const f: FieldInfo = {
      tag: Number(attr(node, 'number')), name: attr(node, 'name'), type: attr(node, 'type'), kraken,
      values: children(node).filter((v) => tagOf(v) === 'value')
        .map((v) => ({ value: attr(v, 'enum'), name: attr(v, 'description'), kraken })),
    };
    if (!(f.type in TYPE_CODES)) throw new Error(`dictionary: field ${f.name} has unknown type ${f.type}`);
    if (fields.has(f.tag) || byName.has(f.name)) throw new Error(`dictionary: field ${f.tag} ${f.name} defined twice`);
    fields.set(f.tag, f);
    byName.set(f.name, f);
  };
  for (const n of children(find(fix, 'fields'))) if (tagOf(n) === 'field') addField(n, false);
  for (const n of children(find(overlay, 'fields'))) if (tagOf(n) === 'field') addField(n, true);
  for (const n of children(find(overlay, 'values'))) {
    const f = fieldByName(byName, attr(n, 'name'));
    for (const v of children(n)) if (tagOf(v) === 'value') f.values.push({ value: attr(v, 'enum'), name: attr(v, 'description'), kraken: true });
  }

  const components = new Map<string, XNode>();
  for (const n of children(find(fix, 'components'))) if (tagOf(n) === 'component') components.set(attr(n, 'name'), n);

  // Components are inlined: a field inside is required only if the component and the field both are.
  const expand = (nodes: XNode[], required: boolean, kraken: boolean): Entry[] => {
    const out: Entry[] = [];
    for (const n of nodes) {
      const t = tagOf(n);
      const req = required && attr(n, 'required') === 'Y';
      if (t === 'field') {
        out.push({ kind: 'field', tag: fieldByName(byName, attr(n, 'name')).tag, required: req, kraken });
      } else if (t === 'group') {
        const entries = expand(children(n), true, kraken);
        out.push({ kind: 'group', tag: fieldByName(byName, attr(n, 'name')).tag, required: req, kraken, entries });
      } else if (t === 'component') {
        const c = components.get(attr(n, 'name'));
        if (!c) throw new Error(`dictionary: component ${attr(n, 'name')} not defined`);
        out.push(...expand(children(c), req, kraken));
      }
    }
    return out;
  };
  const header = expand(children(find(fix, 'header')), true, false);
  const trailer = expand(children(find(fix, 'trailer')), true, false);
  const messages: MessageInfo[] = children(find(fix, 'messages')).filter((n) => tagOf(n) === 'message').map((n) => ({
    msgType: attr(n, 'msgtype'), name: attr(n, 'name'), admin: attr(n, 'msgcat') === 'admin',
    entries: expand(children(n), true, false),
  }));

  for (const n of children(find(overlay, 'messages'))) {
    const t = tagOf(n);
    if (t === 'optional') {
      // Kraken does not require a field FIX 4.4 requires (e.g. OrigClOrdID when OrderID is given).
      const msg = messages.find((m) => m.msgType === attr(n, 'msgtype'));
      const tag = fieldByName(byName, attr(n, 'name')).tag;
      const entry = msg?.entries.find((e): e is EntryField => e.kind === 'field' && e.tag === tag);
      if (!entry || !entry.required) throw new Error(`overlay: ${attr(n, 'name')} is not a required field of ${attr(n, 'msgtype')}`);
      entry.krakenOptional = true;
      continue;
    }
    if (t !== 'message' && t !== 'group') continue;
    const msg = messages.find((m) => m.msgType === attr(n, 'msgtype'));
    if (!msg) throw new Error(`overlay: message ${attr(n, 'msgtype')} not in FIX44.xml`);
    let target = msg.entries;
    if (t === 'group') {
      const g = findGroup(msg.entries, fieldByName(byName, attr(n, 'name')).tag);
      if (!g) throw new Error(`overlay: group ${attr(n, 'name')} not in message ${msg.msgType}`);
      target = g.entries;
    }
    target.push(...expand(children(n), true, true));
  }
  return { fields, header, trailer, messages };
}

function fieldByName(byName: Map<string, FieldInfo>, name: string): FieldInfo {
  const f = byName.get(name);
  if (!f) throw new Error(`dictionary: field ${name} not defined`);
  return f;
}
function findGroup(entries: Entry[], tag: number): EntryGroup | undefined {
  for (const e of entries) {
    if (e.kind !== 'group') continue;
    if (e.tag === tag) return e;
    const inner = findGroup(e.entries, tag);
    if (inner) return inner;
  }
  return undefined;
}

// ---- TypeScript output ----

function identifier(name: string): string {
  let id = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  if (/^[0-9]/.test(id)) id = '_' + id;
  return id;
}

function entriesLiteral(entries: Entry[]): string {
  // Compact: [tag, flags] for a field, [tag, flags, [...]] for a group.
  // flags: 1 required, 2 Kraken's addition, 4 required by FIX 4.4 but optional for Kraken.
  return '[' + entries.map((e) => {
    const flags = (e.required ? 1 : 0) | (e.kraken ? 2 : 0) | (e.kind === 'field' && e.krakenOptional ? 4 : 0);
    return e.kind === 'field' ? `[${e.tag},${flags}]` : `[${e.tag},${flags},${entriesLiteral(e.entries)}]`;
  }).join(',') + ']';
}

export function generateTs(d: Dictionary): string {
  const tags = [...d.fields.values()].sort((a, b) => a.tag - b.tag);
  const L: string[] = [];
  L.push('// GENERATED by scripts/gen-dictionary.ts from ../shared/spec/FIX44.xml and scripts/dictionary/kraken-overlay.xml.');
  L.push('// Do not edit: run `npm run gen`. A test regenerates this file and compares it byte for byte.');
  L.push('/* eslint-disable */');
  L.push('');
  L.push('/** Tag numbers by FIX field name. */');
  L.push('export const Tag = {');
  for (const f of tags) L.push(`  ${f.name}: ${f.tag},`);
  L.push('} as const;');
  L.push('');
  L.push('/** [tag, name, FieldType code, flags (2 = Kraken), enum values as [value, name, flags]]. */');
  L.push('export const FIELD_DEFS: readonly (readonly [number, string, number, number, readonly (readonly [string, string, number])[]])[] = [');
  for (const f of tags) {
    const vals = f.values.map((v) => `[${JSON.stringify(v.value)},${JSON.stringify(v.name)},${v.kraken ? 2 : 0}]`).join(',');
    L.push(`  [${f.tag},${JSON.stringify(f.name)},${TYPE_CODES[f.type]},${f.kraken ? 2 : 0},[${vals}]],`);
  }
  L.push('];');
  L.push('');
  L.push('/** Named enum values per field, e.g. OrdType.LIMIT === "2". */');
  for (const f of tags) {
    if (f.values.length === 0) continue;
    const seen = new Set<string>();
    L.push(`export const ${f.name} = {`);
    for (const v of f.values) {
      let id = identifier(v.name);
      while (seen.has(id)) id += '_';
      seen.add(id);
      L.push(`  ${id}: ${JSON.stringify(v.value)},`);
    }
    L.push('} as const;');
  }
  L.push('');
  L.push('/** Entries: [tag, flags] or [countTag, flags, entries] for a group; flags 1 = required, 2 = Kraken, 4 = optional for Kraken. */');
  L.push(`export const HEADER_DEF = ${entriesLiteral(d.header)} as const;`);
  L.push(`export const TRAILER_DEF = ${entriesLiteral(d.trailer)} as const;`);
  L.push('/** [MsgType, name, admin, entries]. */');
  L.push('export const MESSAGE_DEFS = [');
  for (const m of d.messages) L.push(`  [${JSON.stringify(m.msgType)},${JSON.stringify(m.name)},${m.admin},${entriesLiteral(m.entries)}],`);
  L.push('] as const;');
  L.push('');
  return L.join('\n');
}

// ---- merged QuickFIX XML for peers ----

export function generateMergedXml(fixXml: string, overlayXml: string): string {
  // Textual merge keeps QuickFIX's own file intact apart from the additions, which is easiest to audit.
  const d = loadDictionary(fixXml, overlayXml);
  const overlay = children(find(parser.parse(overlayXml) as XNode[], 'overlay'));
  let xml = fixXml;
  const fieldXml = [...d.fields.values()].filter((f) => f.kraken).map((f) => {
    const vals = f.values.map((v) => `   <value enum='${v.value}' description='${v.name}' />\n`).join('');
    return vals ? `  <field number='${f.tag}' name='${f.name}' type='${f.type}'>\n${vals}  </field>\n` : `  <field number='${f.tag}' name='${f.name}' type='${f.type}' />\n`;
  }).join('');
  xml = xml.replace(/(\n\s*<\/fields>)/, `\n${fieldXml.trimEnd()}$1`);
  for (const n of children(find(overlay, 'values'))) {
    const name = attr(n, 'name');
    const add = children(n).filter((v) => tagOf(v) === 'value').map((v) => `   <value enum='${attr(v, 'enum')}' description='${attr(v, 'description')}' />`).join('\n');
    xml = xml.replace(new RegExp(`(<field number='\\d+' name='${name}' type='[A-Z]+'>[\\s\\S]*?)(\\n\\s*</field>)`), `$1\n${add}$2`);
  }
  for (const n of children(find(overlay, 'messages'))) {
    const t = tagOf(n);
    if (t === 'optional') {
      const msgRe = new RegExp(`(<message name='\\w+' msgtype='${attr(n, 'msgtype')}'[^>]*>[\\s\\S]*?<field name='${attr(n, 'name')}' required=')Y(')`);
      xml = xml.replace(msgRe, '$1N$2');
      continue;
    }
    if (t !== 'message' && t !== 'group') continue;
    const add = children(n).filter((v) => tagOf(v) === 'field').map((v) => `   <field name='${attr(v, 'name')}' required='N' />`).join('\n');
    const msgRe = new RegExp(`(<message name='\\w+' msgtype='${attr(n, 'msgtype')}'[^>]*>)([\\s\\S]*?)(\\n\\s*</message>)`);
    if (t === 'message') {
      xml = xml.replace(msgRe, `$1$2\n${add}$3`);
    } else {
      // Groups of these messages live in components; add the fields to the component's group definition.
      const group = attr(n, 'name');
      const compName = componentHoldingGroup(fixXml, attr(n, 'msgtype'), group);
      const compRe = new RegExp(`(<component name='${compName}'>[\\s\\S]*?<group name='${group}'[^>]*>[\\s\\S]*?)(\\n\\s*</group>)`);
      xml = xml.replace(compRe, `$1\n${add}$2`);
    }
  }
  return xml;
}

function componentHoldingGroup(fixXml: string, msgType: string, group: string): string {
  const m = new RegExp(`<message name='\\w+' msgtype='${msgType}'[^>]*>([\\s\\S]*?)</message>`).exec(fixXml);
  if (!m) throw new Error(`merge: message ${msgType} not found`);
  for (const c of m[1]!.matchAll(/<component name='(\w+)'/g)) {
    const body = new RegExp(`<component name='${c[1]}'>([\\s\\S]*?)\\n  </component>`).exec(fixXml);
    if (body && body[1]!.includes(`<group name='${group}'`)) return c[1]!;
  }
  throw new Error(`merge: group ${group} not found in a component of ${msgType}`);
}

function main(): void {
  if (process.argv.includes('--xml-only') && !existsSync(FIX44_XML)) {
    // The TypeScript tables are committed; only QuickFIX peers need the merged XML, and their tests skip without it.
    console.warn(`gen-dictionary: ${FIX44_XML} not found; build/FIX44-kraken.xml not written (QuickFIX peer tests will skip)`);
    return;
  }
  const fixXml = readFileSync(FIX44_XML, 'utf8');
  const overlayXml = readFileSync(OVERLAY_XML, 'utf8');
  if (process.argv.includes('--xml-only')) {
    // The build only needs the merged XML for QuickFIX peers; the TypeScript is committed.
    mkdirSync(dirname(MERGED_XML), { recursive: true });
    writeFileSync(MERGED_XML, generateMergedXml(fixXml, overlayXml));
    return;
  }
  const ts = generateTs(loadDictionary(fixXml, overlayXml));
  if (process.argv.includes('--check')) {
    const current = readFileSync(GENERATED_TS, 'utf8');
    if (current !== ts) { console.error('fix44.generated.ts is stale: run `npm run gen`'); process.exit(1); }
    return;
  }
  mkdirSync(dirname(GENERATED_TS), { recursive: true });
  writeFileSync(GENERATED_TS, ts);
  mkdirSync(dirname(MERGED_XML), { recursive: true });
  writeFileSync(MERGED_XML, generateMergedXml(fixXml, overlayXml));
  console.log(`wrote ${GENERATED_TS} and ${MERGED_XML}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
