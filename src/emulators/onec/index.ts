// A 1C:Enterprise emulator for the requests the hub sends to a tenant's base (seed 001 §1) and for the calls real
// 1C makes to the hub (`callHub`). One loopback port serves several bases, each at `/{publication}/hs/amo` (its
// web_address) with its own Basic login/password. Built from the emulator kit; see docs/emulators/onec.md.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createEmulatorApp, createEmulatorCore, emulatorListener } from '../kit/index.js';
import { createControl, type OnecEmulatorControl } from './control.js';
import { onecControlRoutes } from './control-routes.js';
import { ONEC_FAULT_KINDS, publicationOf, registerOnecGate, type OnecFaultKind, type OnecLogFields } from './gate.js';
import { handle, OnecFault } from './protocol.js';
import { OnecStore, type BaseConfig } from './store.js';

export type { OnecEmulatorControl, HubCallResult } from './control.js';
export type { BaseConfig, Counterparty, Order, ExtraDocument } from './store.js';
export type { Invoice, InvoiceLine } from './invoices.js';
export { ONEC_FAULT_KINDS, type OnecFaultKind } from './gate.js';

export interface OnecEmulatorOptions {
  logger?: FastifyServerOptions['logger'];
  /** The bases served (default: one, `base1` / id_base `base1`, login `amo`, password `secret`). */
  bases?: readonly BaseConfig[];
  /** The hub's origin, for `control.callHub` (can be set later). */
  hubUrl?: string;
  /** Where the emulated clock starts (default: now). */
  startTime?: Date | number;
}

export interface OnecEmulator {
  readonly app: FastifyInstance;
  readonly control: OnecEmulatorControl;
  readonly defaults: BaseConfig;
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** A base's web_address once listening: `origin/{publication}/hs/amo`. */
  webAddress(publication?: string): string;
  /** POSTs to the hub as real 1C does (`control.callHub`): e.g. `callHub('/onec/sync/base', {...}, { login, password })`. */
  callHub: OnecEmulatorControl['callHub'];
  /** The hub settings that let a hub call this emulator on loopback. */
  hubSettings(): Record<string, string>;
  close(): Promise<void>;
}

export const DEFAULT_BASE: BaseConfig = { idBase: 'base1', publication: 'base1', login: 'amo', password: 'secret', version: '1.0.0' };

const ddmmyyyy = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};

export function createOnecEmulator(options: OnecEmulatorOptions = {}): OnecEmulator {
  const core = createEmulatorCore<OnecLogFields, OnecFaultKind>({ startTime: options.startTime, faultKinds: ONEC_FAULT_KINDS });
  const store = new OnecStore();
  const bases = options.bases?.length ? options.bases : [DEFAULT_BASE];
  const seed = () => {
    core.reset();
    store.clear();
    for (const b of bases) store.addBase(b);
  };
  seed();
  const app = createEmulatorApp({ logger: options.logger, invalidJson: () => new OnecFault(400, 'тело запроса не является JSON') });
  const server = emulatorListener(app);
  const control = createControl(core, store, seed, options.hubUrl);

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err instanceof OnecFault ? err.status : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'emulator error');
    return reply
      .code(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: err.message }));
  });
  // What Apache answers for a publication that does not exist.
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).type('text/html').send('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>'),
  );
  registerOnecGate(app, core, store);
  onecControlRoutes(app, control);
  app.post('/:publication/hs/amo', async (req, reply) => {
    const publication = publicationOf(req.url)!;
    const base = store.base(publication);
    if (!base) return reply.callNotFound();
    const baseUrl = `${req.protocol}://${req.headers.host ?? '127.0.0.1'}/${publication}`;
    const answer = handle(base, req.body, { baseUrl, today: ddmmyyyy(core.clock.nowMs()) });
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer));
  });

  return {
    app,
    control,
    defaults: bases[0]!,
    listen: server.listen,
    webAddress(publication = bases[0]!.publication) {
      return `${server.origin()}/${encodeURIComponent(publication)}/hs/amo`;
    },
    callHub: (path, body, basicAuth) => control.callHub(path, body, basicAuth),
    hubSettings() {
      return { ONEC_ALLOW_PRIVATE_TARGETS: 'true' };
    },
    close: server.close,
  };
}
