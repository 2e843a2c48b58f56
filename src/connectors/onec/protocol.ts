// Seed §1 on the wire: request bodies built with the seed's field names, and answers read tolerantly, the way
// 1C HTTP services really answer: a UTF-8 BOM before the JSON, an HTML page (the web server's or 1C's own) instead
// of JSON on errors, numbers where strings were expected. Pure functions; the connector sends what they build.
import { OnecError } from './errors.js';
import { ONEC_FACTS, type OnecRequestType } from './facts.js';
import type {
  OnecClient,
  OnecCorrTableInput,
  OnecDocument,
  OnecInvoice,
  OnecInvoiceInput,
  OnecLink,
  OnecOrderInput,
  OnecTarget,
  OnecVersion,
} from './types.js';

/** `{ key, id_base, type, ...fields }`: every request's body. */
export function requestBody(target: OnecTarget, type: OnecRequestType, fields: object = {}): Record<string, unknown> {
  return { key: target.key, id_base: target.idBase, type, ...fields };
}

export const getOrdersBody = (t: OnecTarget, leadId: number | string) => requestBody(t, 'get_orders', { id: leadId });
export const newLeadBody = (t: OnecTarget, client: OnecClient) =>
  requestBody(t, 'new_lead', { clients: { [ONEC_FACTS.counterpartyKey]: client } });
export const newOrderBody = (t: OnecTarget, order: OnecOrderInput) => requestBody(t, 'new_order', order);
export const handlersVersionBody = (t: OnecTarget) => requestBody(t, 'get_handlers_version');
export const corrTableBody = (t: OnecTarget, input: OnecCorrTableInput) => requestBody(t, 'corr_table', input);
/** new_invoice: the invoice's fields at the top level, like new_order's. */
export const newInvoiceBody = (t: OnecTarget, invoice: OnecInvoiceInput) => requestBody(t, 'new_invoice', invoice);

/** HTTP Basic from param1/param2 (UTF-8: 1C user names are often Cyrillic). */
export function basicAuth(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`, 'utf8').toString('base64')}`;
}

const stripBom = (text: string) => (text.startsWith(ONEC_FACTS.bom) ? text.slice(1) : text);

/** The JSON in a body, after a BOM and whitespace; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  const body = stripBom(text).trim();
  if (body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const decodeEntities = (s: string) =>
  s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

/**
 * A short human text of an error body: a JSON `error`/`message`/`description`, an HTML page's title and
 * headings (or its text), or the start of plain text; whitespace collapsed, at most errorTextChars.
 */
export function shortText(text: string): string {
  const body = stripBom(text).trim();
  const json = parseJson(body);
  let out: string;
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    const said = [o.error, o.message, o.description, o.detail].find((v) => typeof v === 'string' && v !== '');
    out = typeof said === 'string' ? said : body;
  } else if (/^<(!doctype|html|head|body|\?xml)/i.test(body) || /<\/(html|body|h1|title)>/i.test(body)) {
    const pick = (re: RegExp) => [...body.matchAll(re)].map((m) => m[1]!.replace(/<[^>]*>/g, ' ').trim()).filter(Boolean);
    const parts = [...pick(/<title[^>]*>([\s\S]*?)<\/title>/gi), ...pick(/<h[1-3][^>]*>([\s\S]*?)<\/h[1-3]>/gi)];
    const unique = [...new Set(parts.map((p) => decodeEntities(p).replace(/\s+/g, ' ')))];
    out = unique.length
      ? unique.join(' — ')
      : decodeEntities(
          body
            .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
            .replace(/<[^>]*>/g, ' ')
            .trim(),
        );
  } else out = body;
  return out.replace(/\s+/g, ' ').trim().slice(0, ONEC_FACTS.errorTextChars);
}

function unexpected(type: OnecRequestType, why: string, text: string, ambiguous: boolean): OnecError {
  const detail = shortText(text);
  return new OnecError('UNEXPECTED_RESPONSE', `1C answered ${type} with ${why}${detail ? `: ${detail}` : ''}`.slice(0, 400), {
    retryable: false,
    ambiguous,
    httpStatus: 200,
    ...(detail ? { detail } : {}),
  });
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** get_orders: an array of documents (an empty body or `null`: none). */
export function parseDocuments(text: string): OnecDocument[] {
  const json = parseJson(text);
  if (json === undefined && stripBom(text).trim() !== '') throw unexpected('get_orders', 'a body that is not JSON', text, false);
  if (json === undefined || json === null) return [];
  if (!Array.isArray(json)) throw unexpected('get_orders', 'something other than a list', text, false);
  return json.map((d) => {
    const o = (d && typeof d === 'object' ? d : {}) as Record<string, unknown>;
    return {
      title: asString(o.title),
      doc_type: asString(o.doc_type),
      link: asString(o.link),
      parent_link: asString(o.parent_link),
      google_drive_id: asString(o.google_drive_id),
      google_drive_link: asString(o.google_drive_link),
    };
  });
}

/** new_lead / new_order: `{ link, id_1c }`. The create ran when 1C answered 200, so a bad body is ambiguous. */
export function parseLink(type: OnecRequestType, text: string): OnecLink {
  const json = parseJson(text);
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (!o) throw unexpected(type, json === undefined ? 'a body that is not JSON' : 'something other than an object', text, true);
  const id = asString(o.id_1c);
  if (id === '') throw unexpected(type, 'no id_1c', text, true);
  return { link: asString(o.link), id_1c: id };
}

/** get_handlers_version / corr_table: `{ version }`. */
export function parseVersion(type: OnecRequestType, text: string): OnecVersion {
  const json = parseJson(text);
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (!o || o.version === undefined || o.version === null) throw unexpected(type, 'no version', text, false);
  return { version: asString(o.version) };
}

/**
 * new_invoice: `{ id_1c, number, date, link, total }`. A 200 means the handler ran, so a bad body is ambiguous
 * (the invoice may exist); sending the same request_id again returns it.
 */
export function parseInvoice(text: string): OnecInvoice {
  const json = parseJson(text);
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (!o) throw unexpected('new_invoice', json === undefined ? 'a body that is not JSON' : 'something other than an object', text, true);
  const id = asString(o.id_1c);
  const number = asString(o.number);
  if (id === '' || number === '') throw unexpected('new_invoice', id === '' ? 'no id_1c' : 'no number', text, true);
  return { id_1c: id, number, date: asString(o.date), link: asString(o.link), total: asString(o.total) };
}
