// The 1C emulator's control API over HTTP under /_emulator (for the standalone `hub emulator onec`): the kit's
// routes (state, reset, clock, faults, outage, request log) plus 1C's (bases, stored records, documents, version,
// calls to the hub). Same operations as the in-process `control` object; errors are 400 `{ "error": "…" }`.
import type { FastifyInstance } from 'fastify';
import { bodyOf as body, ok, registerControlRoutes, str } from '../kit/index.js';
import type { OnecEmulatorControl } from './control.js';
import type { OnecFaultKind, OnecLogFields } from './gate.js';
import type { BaseConfig } from './store.js';

type B = Record<string, unknown>;

export function onecControlRoutes(app: FastifyInstance, control: OnecEmulatorControl): void {
  registerControlRoutes<OnecLogFields, OnecFaultKind>(app, {
    core: control,
    reset: () => control.reset(),
    state: () => ({ bases: control.bases() }),
    requestFilters: ['base', 'type', 'login'],
    routes: (c) => {
      c.get('/bases', async (_req, reply) => ok(reply, control.bases()));
      c.post('/bases', async (req, reply) => {
        const b = body(req.body);
        control.addBase({
          idBase: String(b.idBase ?? ''),
          publication: String(b.publication ?? b.idBase ?? ''),
          login: String(b.login ?? ''),
          password: String(b.password ?? ''),
          ...(str(b.key) ? { key: str(b.key)! } : {}),
          ...(str(b.version) ? { version: str(b.version)! } : {}),
        } satisfies BaseConfig);
        return ok(reply);
      });
      const pub = (req: { params: unknown }) => (req.params as B).publication as string;
      c.get('/bases/:publication/counterparties', async (req, reply) => ok(reply, control.counterparties(pub(req))));
      c.get('/bases/:publication/orders', async (req, reply) => ok(reply, control.orders(pub(req))));
      c.get('/bases/:publication/invoices', async (req, reply) => ok(reply, control.invoices(pub(req))));
      c.get('/bases/:publication/corr-table', async (req, reply) => ok(reply, control.corrTable(pub(req))));
      c.post('/bases/:publication/documents', async (req, reply) => {
        const b = body(req.body);
        const doc = control.addDocument(String(b.leadId), { ...(b as { title: string }), title: String(b.title ?? '') }, pub(req));
        return ok(reply, doc);
      });
      c.post('/bases/:publication/version', async (req, reply) => {
        control.setVersion(String(body(req.body).version), pub(req));
        return ok(reply);
      });
      c.post('/hub', async (req, reply) => (control.setHubUrl(String(body(req.body).url)), ok(reply)));
      c.post('/call-hub', async (req, reply) => {
        const b = body(req.body);
        const auth = str(b.login) ? { login: str(b.login)!, password: String(b.password ?? '') } : undefined;
        return ok(reply, await control.callHub(String(b.path), b.body, auth));
      });
    },
  });
}
