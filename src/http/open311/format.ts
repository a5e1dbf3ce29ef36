/**
 * Open311's two formats, chosen by the path's suffix: XML (the spec's required format, with its element names)
 * and JSON (the same objects, in arrays). Errors are `<errors><error><code/><description/></error></errors>`.
 */
import type { FastifyReply } from 'fastify';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../domain/errors.js';

export type Format = 'xml' | 'json';

/** 'CX.03.json' → { name: 'CX.03', format: 'json' }; null when the suffix is neither. */
export function splitSuffix(file: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(xml|json)$/.exec(file);
  return m ? { name: m[1] ?? '', format: m[2] as Format } : null;
}

/** The format an error should use: the path's suffix, XML when there is none (the spec's default). */
export function formatOfUrl(url: string): Format {
  const p = url.split('?')[0] ?? '';
  return /\.json$/.test(p) ? 'json' : 'xml';
}

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** XML text of a value: null → empty element, booleans as 'true'/'false', arrays as repeated elements. */
function toXmlValue(v: Plain): unknown {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map(toXmlValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toXmlValue(x)]));
  return v;
}

/** send(reply, 'xml', 'services', 'service', [{ service_code: 'HB.02', … }]) */
export function sendList(reply: FastifyReply, format: Format, root: string, item: string, items: { [k: string]: Plain }[], status = 200): FastifyReply {
  if (format === 'json') return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(items));
  const xml = builder.build({ [root]: { [item]: items.map((i) => toXmlValue(i)) } });
  return reply.status(status).type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>${xml}`);
}

/** One object (discovery, a service definition): the XML root holds its fields; JSON is the object itself. */
export function sendObject(reply: FastifyReply, format: Format, root: string, value: { [k: string]: Plain }, status = 200): FastifyReply {
  if (format === 'json') return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(value));
  const xml = builder.build({ [root]: toXmlValue(value) });
  return reply.status(status).type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>${xml}`);
}

export function sendErrors(reply: FastifyReply, format: Format, status: number, errors: { code: number; description: string }[]): FastifyReply {
  return sendList(reply, format, 'errors', 'error', errors, status);
}

/** Parsed POST fields: scalars as strings, `attribute[CODE]` (and `attribute[CODE][]`) collected per code. */
export type PostFields = { fields: Record<string, string>; attributes: Record<string, string[]> };

const ATTR = /^attribute\[([^\]]{1,60})\](\[\])?$/;

function addField(out: PostFields, key: string, value: unknown): void {
  const m = ATTR.exec(key);
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (v !== null && typeof v === 'object') throw new DomainError('VALIDATION_FAILED', `${key}：应为文字或数字`, [{ field: key, reason: '应为文字或数字' }]);
    const s = v === null || v === undefined ? '' : String(v as string | number | boolean);
    if (m?.[1]) (out.attributes[m[1]] ??= []).push(s);
    else if (!(key in out.fields)) out.fields[key] = s;
  }
}

export function fieldsFromForm(body: string): PostFields {
  const out: PostFields = { fields: {}, attributes: {} };
  for (const [k, v] of new URLSearchParams(body)) addField(out, k, v);
  return out;
}

/** JSON: flat keys as in the form, or `attribute: { CODE: value }`. */
export function fieldsFromObject(obj: unknown): PostFields {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new DomainError('VALIDATION_FAILED', 'body：应为一个对象', [{ field: 'body', reason: '应为对象' }]);
  const out: PostFields = { fields: {}, attributes: {} };
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [code, x] of Object.entries(v as Record<string, unknown>)) addField(out, `attribute[${code}]`, x);
    } else addField(out, k, v);
  }
  return out;
}

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true });

/** XML: one root element whose children are the fields (`<attribute><CODE>…</CODE></attribute>` for attributes). */
export function fieldsFromXml(text: string): PostFields {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DomainError('VALIDATION_FAILED', `body：XML 格式错误（第 ${valid.err.line} 行：${valid.err.msg}）`, [{ field: 'body', reason: 'XML 格式错误' }]);
  const doc = parser.parse(text) as Record<string, unknown>;
  const roots = Object.entries(doc).filter(([k]) => k !== '?xml');
  const root = roots[0]?.[1];
  return fieldsFromObject(root ?? {});
}
