// Requests for the fuzzing suite, one operation of the OpenAPI document at a time: credentials (valid, missing,
// wrong), path and query parameters (valid, hostile, invalid percent-encoding, over-long), and a body (valid,
// mutated, or hostile as a whole: deep nesting, invalid JSON, invalid UTF-8, oversized) under a content type
// (JSON mostly; text, form, XML, multipart or none as well).
import fc from 'fast-check';
import { hostileValue, mutate, validValue, type Schema } from './fuzz-values.js';

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly id: string;
  readonly security: readonly string[];
  readonly parameters: ReadonlyArray<{ in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema }>;
  readonly body?: Schema;
  readonly responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface Credentials {
  readonly adminToken: string;
  readonly quizJwt: string;
  readonly trackingApiKey: string;
  /** Whole Authorization headers (HTTP Basic) of the 1C sync module: an account's and the handler publisher's. */
  readonly onecBasic: string;
  readonly onecPublisher: string;
  /** The Authorization header (HTTP Basic) of a SAMBA user. */
  readonly sambaBasic: string;
  /** The customs module's source tokens: amoCRM's (the ПТД export's caller), Alta's and ВЭД-склад's (their webhooks). */
  readonly customsToken: string;
  readonly customsAltaToken: string;
  readonly customsVedSkladToken: string;
  /** 1C's (the payment webhook's caller). */
  readonly customs1cToken: string;
}

export interface Known {
  /** Ids worth hitting (they exist), per kind of route: the public API's and the operator API's. */
  readonly ids: readonly number[];
  /** Existing string ids by parameter name (client_code, resultId, quizID…). */
  readonly strings: Record<string, readonly string[]>;
}

/** A body too large to carry around in every generated value (fast-check prints and compares them). */
export interface Oversized {
  readonly oversized: true;
}

export interface FuzzRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer | Oversized;
  readonly remoteAddress: string;
  /** What was done to the request, for the failure report. */
  readonly note: string;
}

/** Over every body limit of the hub (1 MiB by default, 8 MiB for quiz results); made once, when first sent. */
let oversized: Buffer | undefined;
export const bytesOf = (payload: string | Buffer | Oversized): string | Buffer =>
  typeof payload === 'object' && 'oversized' in payload ? (oversized ??= Buffer.from(`"${'a'.repeat(9 * 1024 * 1024)}"`)) : payload;

const HOSTILE_SEGMENTS = [
  '0',
  '-1',
  '1.5',
  '1e308',
  'Infinity',
  'NaN',
  '0x10',
  '9007199254740993',
  '99999999999999999999999',
  '%00',
  'a%00b',
  '%01%1F',
  '%ZZ',
  '%FF%FE',
  '%C3%28',
  'a%2Fb',
  '%20',
  'true',
  '%F0%9F%99%82',
];
const HOSTILE_QUERY = [...HOSTILE_SEGMENTS, '', '%E0%80', '-Infinity', '1e400', 'a&b', '%0D%0Aset-cookie:x'];

/** Percent-encodes UTF-8 bytes (lone surrogates included, which encodeURIComponent refuses). */
const pct = (raw: string) =>
  [...Buffer.from(raw, 'utf8')]
    .map((b) => (/[A-Za-z0-9_~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`))
    .join('');
const segment = (raw: string) => pct(raw);

function pathValue(p: Operation['parameters'][number], known: Known): fc.Arbitrary<string> {
  const strings = known.strings[p.name] ?? [];
  return fc.oneof(
    {
      weight: 6,
      arbitrary: validValue(p.schema, known.ids)
        .map((v) => segment(String(v)))
        .filter((s) => s.length > 0),
    },
    ...(strings.length ? [{ weight: 6, arbitrary: fc.constantFrom(...strings.map(segment)) }] : []),
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: 1500 }).map((n) => 'x'.repeat(n)) },
  );
}

function queryValue(p: Operation['parameters'][number], known: Known): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: p.required ? 0 : 3, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: validValue(p.schema, known.ids).map((v) => pct(String(v))) },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_QUERY) },
    { weight: 1, arbitrary: hostileValue.map((v) => pct(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))) },
  );
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'none'];

function invalidUtf8(text: string): Buffer {
  const at = Math.max(text.indexOf(':"') + 2, 1);
  return Buffer.concat([
    Buffer.from(text.slice(0, at)),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    Buffer.from(text.slice(at)),
  ]);
}

/** A body as bytes on the wire, with a description. */
function bodyOf(op: Operation, known: Known): fc.Arbitrary<{ payload: string | Buffer | Oversized; note: string }> {
  const valid = op.body ? validValue(op.body, known.ids) : fc.constant({});
  const whole = fc.oneof(
    fc.constantFrom(65, 1000, 200_000).map((n) => ({ payload: '['.repeat(n) + ']'.repeat(n), note: `${n} nested arrays` })),
    fc.constantFrom(100, 100_000).map((n) => ({ payload: '{"a":'.repeat(n) + '1' + '}'.repeat(n), note: `${n} nested objects` })),
    fc
      .constantFrom('', '{"a":', 'nul', 'null', '[]', '0', '"x"', '"\\u0000"', 'true', '{"__proto__":{"admin":true}}', '\ufeff{}')
      .map((p) => ({
        payload: p,
        note: `body ${JSON.stringify(p)}`,
      })),
    fc.constant({ payload: { oversized: true } as const, note: 'oversized body' }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => ({ payload: JSON.stringify(v) ?? '', note: 'valid body' })) },
    { weight: 6, arbitrary: valid.chain(mutate).map((v) => ({ payload: JSON.stringify(v) ?? 'null', note: 'mutated body' })) },
    { weight: 1, arbitrary: valid.map((v) => ({ payload: invalidUtf8(JSON.stringify(v) ?? '{}'), note: 'invalid UTF-8 in the body' })) },
    { weight: 2, arbitrary: whole },
  );
}

function credential(op: Operation, credentials: Credentials): fc.Arbitrary<{ headers: Record<string, string>; note: string }> {
  const scheme = op.security[0];
  if (!scheme) return fc.constant({ headers: {}, note: 'no security' });
  const header = (v: string): Record<string, string> =>
    scheme === 'trackingApiKey'
      ? { 'x-api-key': v }
      : scheme === 'customsToken'
        ? { 'x-hub-token': v }
        : scheme.startsWith('onec')
          ? { authorization: v }
          : { authorization: `Bearer ${v}` };
  // A customs token opens only its source's routes: Alta's webhooks take Alta's, ВЭД-склад's (and the lab's)
  // ВЭД-склад's, 1C's payment webhook 1C's; the rest (the export, the amoCRM triggers to 1C) amoCRM's.
  const valid =
    scheme === 'customsToken' && /\/status-webhook$/.test(op.path)
      ? credentials.customsAltaToken
      : scheme === 'customsToken' && op.path.startsWith('/ved-sklad/')
        ? credentials.customsVedSkladToken
        : scheme === 'customsToken' && op.path === '/1c/invoice-payment-webhook'
          ? credentials.customs1cToken
          : credentials[scheme as keyof Credentials];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant({ headers: header(valid), note: 'valid credentials' }) },
    { weight: 1, arbitrary: fc.constant({ headers: {}, note: 'no credentials' }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(`${valid}x`, 'tb_0000000000000000000000000000000000', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '')
        .map((v) => ({ headers: header(v), note: 'wrong credentials' })),
    },
  );
}

export function requestFor(op: Operation, credentials: Credentials, known: Known): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const readsBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method);
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...JSON_TYPES) },
    { weight: 2, arbitrary: fc.constantFrom(...OTHER_TYPES) },
  );
  const body = readsBody
    ? fc.oneof(
        { weight: op.body ? 0 : 2, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.tuple(bodyOf(op, known), contentType) },
      )
    : fc.constant(undefined);
  return fc
    .record({
      auth: credential(op, credentials),
      path: fc.tuple(...pathParams.map((p) => pathValue(p, known))),
      query: fc.tuple(...queryParams.map((p) => queryValue(p, known))),
      extraQuery: fc.option(fc.constantFrom('unknown=1', 'page=1&page=2', '%ZZ=1', 'a[b][c]=1'), { freq: 5 }),
      body,
      ip: fc.ipV4(),
    })
    .map(({ auth, path, query, extraQuery, body, ip }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i]!)));
      const pairs = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${p.name}=${query[i]}`]));
      if (extraQuery) pairs.push(extraQuery);
      if (pairs.length) url += `?${pairs.join('&')}`;
      const headers: Record<string, string> = { ...auth.headers };
      let payload: string | Buffer | Oversized | undefined;
      let note = auth.note;
      if (body) {
        const [{ payload: p, note: bodyNote }, type] = body;
        payload = p;
        if (type !== 'none') headers['content-type'] = type;
        note += `, ${bodyNote} as ${type}`;
      }
      const req: FuzzRequest = { method: op.method, url, headers, ...(payload !== undefined ? { payload } : {}), remoteAddress: ip, note };
      // How fast-check prints it: bodies of 200 000 brackets are summed up, not spelled out.
      const preview =
        typeof payload === 'string'
          ? ` ${JSON.stringify(payload.slice(0, 200))}${payload.length > 200 ? `… (${payload.length} characters)` : ''}`
          : '';
      Object.defineProperty(req, fc.toStringMethod, { value: () => `${req.method} ${req.url.slice(0, 300)} [${note}]${preview}` });
      return req;
    });
}
