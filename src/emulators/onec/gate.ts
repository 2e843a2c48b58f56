// 1C's side of the kit's request gate. A base's handlers answer at `/{publication}/hs/amo`; fault rules and the
// request log see the path `/{publication}/{type}` (e.g. `/base1/new_order`), so a rule can hit one request type:
// the body is read before the kit's gate runs and handed to Fastify's parser again. After faults, HTTP Basic is
// checked against the base. Faults look as 1C's do: gateway statuses as the web server's HTML page, 500 as 1C's
// HTML error page, `html_error` (any status), `bom` (the normal answer after a UTF-8 BOM), `not_json` (200 with
// a text body) and `answer_lost` (the write lands, the answer is dropped or replaced).
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerGate, type EmulatorCore } from '../kit/index.js';
import type { OnecStore } from './store.js';

export const ONEC_FAULT_KINDS = ['html_error', 'bom', 'not_json', 'answer_lost'] as const;
export type OnecFaultKind = (typeof ONEC_FAULT_KINDS)[number];

/** 1C's fields of a request-log entry. */
export interface OnecLogFields {
  readonly base: string | null;
  readonly type: string | null;
  readonly login: string | null;
}

const HANDLER = /^\/([^/_][^/]*)\/hs\/amo\/?$/;
const MAX_PEEK = 16 * 1024 * 1024;

/** The publication a URL addresses, or null when it is not a base's handler URL. */
export function publicationOf(url: string): string | null {
  const m = HANDLER.exec(url.split('?')[0] ?? '');
  return m ? decodeURIComponent(m[1]!) : null;
}

const GATEWAY: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export const gatewayPage = (status: number) =>
  `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${GATEWAY[status] ?? 'Error'}</title>\n</head><body>\n<h1>${GATEWAY[status] ?? 'Error'}</h1>\n<p>The server is temporarily unable to service your request.</p>\n<hr>\n<address>Apache/2.4.58 (Win64) Server</address>\n</body></html>\n`;

export const onecErrorPage = () =>
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Ошибка при выполнении запроса</title></head>\n<body><h1>Ошибка при выполнении обработчика HTTP-сервиса</h1>\n<p>{ОбщийМодуль.ОбменAmoCRM.Модуль(42)}: Ошибка при вызове метода контекста (Записать): Операция не может быть выполнена</p>\n</body></html>\n';

export function credentialsOf(req: FastifyRequest): { login: string; password: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { login: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

/** 401 as the 1C web extension sends it; refuses a missing or wrong login/password. */
function checkAuth(store: OnecStore, req: FastifyRequest, reply: FastifyReply): FastifyReply | void {
  const publication = publicationOf(req.url);
  const base = publication ? store.base(publication) : undefined;
  if (!base) return; // the route answers 404
  const creds = credentialsOf(req);
  if (creds && creds.login === base.config.login && creds.password === base.config.password) return;
  return reply
    .code(401)
    .header('www-authenticate', 'Basic realm="1C:Enterprise"')
    .type('text/plain; charset=utf-8')
    .send('401 Unauthorized: неправильное имя пользователя или пароль');
}

export function faultAnswer(status: number, kind: OnecFaultKind | null): { type: string; body: string } {
  if (kind === 'not_json') return { type: 'text/plain; charset=utf-8', body: 'Данные записаны' };
  if (GATEWAY[status] && kind !== 'html_error') return { type: 'text/html', body: gatewayPage(status) };
  if (status >= 500 || kind === 'html_error') return { type: 'text/html; charset=utf-8', body: onecErrorPage() };
  return { type: 'application/json; charset=utf-8', body: JSON.stringify({ error: `injected ${status}` }) };
}

export function registerOnecGate(app: FastifyInstance, core: EmulatorCore<OnecLogFields, OnecFaultKind>, store: OnecStore): void {
  const peeked = new WeakMap<FastifyRequest, Buffer>();
  const types = new WeakMap<FastifyRequest, string>();
  const withBom = new WeakSet<FastifyRequest>();

  // Before the kit's gate: read the body so faults can match the request type; preParsing hands it back.
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'POST' || publicationOf(req.url) === null) return;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req.raw) {
      chunks.push(chunk as Buffer);
      if ((size += (chunk as Buffer).length) > MAX_PEEK) break;
    }
    const buf = Buffer.concat(chunks);
    peeked.set(req, buf);
    const type = /"type"\s*:\s*"([a-z_]+)"/.exec(buf.toString('utf8'))?.[1];
    if (type) types.set(req, type);
  });
  app.addHook('preParsing', async (req, _reply, payload) => {
    const buf = peeked.get(req);
    if (!buf) return payload;
    const stream = Readable.from([buf]) as Readable & { receivedEncodedLength?: number };
    stream.receivedEncodedLength = buf.length;
    return stream;
  });

  registerGate<OnecLogFields, OnecFaultKind>(app, {
    clock: core.clock,
    faults: core.faults,
    requests: core.requests,
    classify: (req) => {
      const publication = publicationOf(req.url);
      if (publication === null) return { path: req.url.split('?')[0] ?? '', api: false };
      return { path: `/${publication}/${types.get(req) ?? 'unknown'}`, api: true };
    },
    describe: (req) => ({ base: publicationOf(req.url), type: types.get(req) ?? null, login: credentialsOf(req)?.login ?? null }),
    renderFault: (reply, fault) => {
      if (fault.kind === 'bom' && fault.status === null) {
        // Not a failure: the request goes on (after the auth check) and its answer gets a BOM in front.
        withBom.add(reply.request);
        // Returning no reply lets Fastify go on to the route (an unsent reply returned from a hook stalls it).
        return checkAuth(store, reply.request, reply) ?? (undefined as unknown as FastifyReply);
      }
      const status = fault.status ?? (fault.kind === 'not_json' || fault.kind === 'bom' ? 200 : 500);
      const { type, body } = faultAnswer(status, fault.kind);
      return reply
        .code(status)
        .type(type)
        .send(fault.kind === 'bom' ? `\uFEFF${body}` : body);
    },
    answerLost: { kinds: ['answer_lost'], answer: (status) => faultAnswer(status, null) },
    admit: (req, reply) => checkAuth(store, req, reply),
    // Credentials travel in the header, never in the body: the body is logged as sent.
  });

  app.addHook('onSend', async (req, _reply, payload) => (withBom.has(req) && typeof payload === 'string' ? `\uFEFF${payload}` : payload));
}
