// What the emulated 1C bases hold: per base its credentials and handlers' version, the counterparties (контрагенты:
// физ. лица from amoCRM contacts, юр. лица with ИНН from companies), customer orders (заказы клиентов) from deals,
// further documents of a deal (an invoice the accountant made), invoices made by new_invoice (invoices.ts), and the
// transformation table. Ids are stable: the
// same amoCRM id always maps to the same id_1c, and a repeated new_lead/new_order updates the record in place.
import { randomUUID } from 'node:crypto';
import { InvoiceBook } from './invoices.js';

export interface BaseConfig {
  /** `id_base` the hub must send. */
  readonly idBase: string;
  /** The publication name: the base's handlers answer at `/{publication}/hs/amo`. */
  readonly publication: string;
  /** HTTP Basic login and password (the hub's param1/param2). */
  readonly login: string;
  readonly password: string;
  /** When set, requests must carry this amoCRM account id as `key`. */
  readonly key?: string;
  /** get_handlers_version's answer. */
  readonly version?: string;
}

export interface Counterparty {
  readonly id_1c: string;
  readonly kind: 'contact' | 'company';
  readonly amoId: string;
  link: string;
  name: string;
  responsible_user_id: unknown;
  inn?: string;
  phone?: string;
  email?: string;
  /** The `p_*` values as last sent. */
  custom: Record<string, unknown>;
  /** How many times new_lead/new_order wrote it (1 = created, never updated). */
  writes: number;
}

export interface Order {
  readonly id_1c: string;
  readonly amoId: string;
  readonly number: string;
  readonly date: string;
  link: string;
  name: string;
  responsible_user_id: unknown;
  contact_id_1c?: string;
  company_id_1c?: string;
  custom: Record<string, unknown>;
  writes: number;
}

export interface ExtraDocument {
  readonly title: string;
  readonly doc_type: string;
  readonly link: string;
  readonly parent_link: string;
  readonly google_drive_id: string;
  readonly google_drive_link: string;
}

export class BaseState {
  version: string;
  readonly counterparties = new Map<string, Counterparty>();
  readonly orders = new Map<string, Order>();
  readonly documents = new Map<string, ExtraDocument[]>();
  corrTable: Array<{ user_id: unknown; row: Record<string, unknown> }> = [];
  /** Invoices made by new_invoice, by request_id. */
  readonly invoices = new InvoiceBook();
  #orderNo = 0;

  constructor(readonly config: BaseConfig) {
    this.version = config.version ?? '1.0.0';
  }

  /** The record new_lead addresses: the one with this amoCRM id, else the one with the given id_1c, else a new one. */
  upsertCounterparty(kind: Counterparty['kind'], amoId: string, id1c: string | undefined, linkOf: (id: string) => string): Counterparty {
    const byAmo = this.counterparties.get(`${kind}:${amoId}`);
    const byId = id1c ? [...this.counterparties.values()].find((c) => c.id_1c === id1c && c.kind === kind) : undefined;
    const found = byAmo ?? byId;
    if (found) {
      if (found.amoId !== amoId) {
        // 1C relinks its counterparty to the amoCRM record that names it.
        this.counterparties.delete(`${kind}:${found.amoId}`);
        const moved = { ...found, amoId };
        this.counterparties.set(`${kind}:${amoId}`, moved);
        return moved;
      }
      return found;
    }
    const id = randomUUID();
    const created: Counterparty = { id_1c: id, kind, amoId, link: linkOf(id), name: '', responsible_user_id: null, custom: {}, writes: 0 };
    this.counterparties.set(`${kind}:${amoId}`, created);
    return created;
  }

  upsertOrder(amoId: string, linkOf: (id: string) => string, today: string): Order {
    const found = this.orders.get(amoId);
    if (found) return found;
    const id = randomUUID();
    const order: Order = {
      id_1c: id,
      amoId,
      number: `ЗК-${String(++this.#orderNo).padStart(6, '0')}`,
      date: today,
      link: linkOf(id),
      name: '',
      responsible_user_id: null,
      custom: {},
      writes: 0,
    };
    this.orders.set(amoId, order);
    return order;
  }

  /** get_orders: the deal's order as a document, then the documents added under it. */
  documentsOf(amoId: string): ExtraDocument[] {
    const order = this.orders.get(amoId);
    const own: ExtraDocument[] = order
      ? [
          {
            title: `Заказ клиента ${order.number} от ${order.date}`,
            doc_type: 'leads',
            link: order.link,
            parent_link: '',
            google_drive_id: '',
            google_drive_link: '',
          },
        ]
      : [];
    return [...own, ...(this.documents.get(amoId) ?? [])];
  }
}

export class OnecStore {
  readonly bases = new Map<string, BaseState>();

  addBase(config: BaseConfig): BaseState {
    const state = new BaseState(config);
    this.bases.set(config.publication, state);
    return state;
  }

  base(publication: string): BaseState | undefined {
    return this.bases.get(publication);
  }

  clear(): void {
    this.bases.clear();
  }
}
