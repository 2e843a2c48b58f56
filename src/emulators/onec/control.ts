// The in-process control of the 1C emulator: the kit's clock, faults and request log, plus 1C's own operations —
// bases, what they store, documents appearing in 1C (an invoice made by the accountant), the handlers' version —
// and `callHub`, which calls the hub's 1C endpoints the way real 1C does (POST JSON, optional Basic auth).
import { request } from 'undici';
import type { CoreControl, EmulatorCore } from '../kit/index.js';
import type { OnecFaultKind, OnecLogFields } from './gate.js';
import type { BaseConfig, BaseState, Counterparty, ExtraDocument, OnecStore, Order } from './store.js';
import type { Invoice } from './invoices.js';

export interface HubCallResult {
  readonly status: number;
  /** The parsed JSON answer (the text when it is not JSON). */
  readonly body: unknown;
}

export interface OnecEmulatorControl extends CoreControl<OnecLogFields, OnecFaultKind> {
  reset(): void;
  bases(): Array<Omit<BaseConfig, 'password'> & { version: string }>;
  addBase(config: BaseConfig): void;
  counterparties(publication?: string): Counterparty[];
  orders(publication?: string): Order[];
  corrTable(publication?: string): BaseState['corrTable'];
  /** Invoices made by new_invoice, in the order they were made. */
  invoices(publication?: string): Invoice[];
  /** A document of the deal appears in 1C (get_orders lists it after the order). */
  addDocument(leadId: number | string, doc: Partial<ExtraDocument> & { title: string }, publication?: string): ExtraDocument;
  setVersion(version: string, publication?: string): void;
  setHubUrl(url: string): void;
  /** POSTs `body` to the hub at `path` (e.g. `/onec/sync/base`), as 1C does; Basic auth when given. */
  callHub(path: string, body: unknown, basicAuth?: { login: string; password: string }): Promise<HubCallResult>;
}

export function createControl(
  core: EmulatorCore<OnecLogFields, OnecFaultKind>,
  store: OnecStore,
  seed: () => void,
  initialHubUrl?: string,
): OnecEmulatorControl {
  let hubUrl = initialHubUrl;
  const base = (publication?: string): BaseState => {
    const b = publication === undefined ? [...store.bases.values()][0] : store.base(publication);
    if (!b) throw new Error(`no base ${publication ?? ''}`);
    return b;
  };
  return {
    ...core.control,
    reset: seed,
    bases: () => [...store.bases.values()].map(({ config: { password: _p, ...rest }, version }) => ({ ...rest, version })),
    addBase: (config) => {
      if (!config.idBase || !config.publication || !config.login) throw new Error('idBase, publication and login are required');
      store.addBase(config);
    },
    counterparties: (publication) => [...base(publication).counterparties.values()],
    orders: (publication) => [...base(publication).orders.values()],
    corrTable: (publication) => base(publication).corrTable,
    invoices: (publication) => [...base(publication).invoices.byRequest.values()],
    addDocument: (leadId, doc, publication) => {
      const b = base(publication);
      const order = b.orders.get(String(leadId));
      const full: ExtraDocument = {
        title: doc.title,
        doc_type: doc.doc_type ?? 'leads',
        link: doc.link ?? `${order?.link.split('#')[0] ?? ''}#e1cib/data/Документ.СчетНаОплатуПокупателю?ref=${Date.now().toString(16)}`,
        parent_link: doc.parent_link ?? order?.link ?? '',
        google_drive_id: doc.google_drive_id ?? '',
        google_drive_link: doc.google_drive_link ?? '',
      };
      b.documents.set(String(leadId), [...(b.documents.get(String(leadId)) ?? []), full]);
      return full;
    },
    setVersion: (version, publication) => {
      base(publication).version = version;
    },
    setHubUrl: (url) => {
      hubUrl = url.replace(/\/$/, '');
    },
    async callHub(path, body, basicAuth) {
      if (!hubUrl) throw new Error('no hub URL: pass hubUrl or call setHubUrl first');
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (basicAuth) headers.authorization = `Basic ${Buffer.from(`${basicAuth.login}:${basicAuth.password}`, 'utf8').toString('base64')}`;
      const res = await request(`${hubUrl}${path.startsWith('/') ? path : `/${path}`}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: hand back the text
      }
      return { status: res.statusCode, body: parsed };
    },
  };
}
