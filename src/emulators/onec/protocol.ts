// Seed 001 §1 as an emulated 1C base answers it: one POST endpoint whose `type` selects the handler. Required fields
// are checked (a 400 with `{ "error": "…" }`, what a careful 1C handler writes); counterparties and orders are
// stored with stable ids (store.ts). A contact and a company both arrive under `clients.company` (seed §1.2); a
// company is told by its `inn` (`clients.contact` is accepted too).
import type { BaseState, Counterparty } from './store.js';

export class OnecFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

export interface CallContext {
  /** Where the base's client links point: `http://host:port/{publication}`. */
  readonly baseUrl: string;
  /** DD.MM.YYYY on the emulated clock (order dates). */
  readonly today: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const text = (v: unknown) => (present(v) ? String(v) : undefined);

function require(o: Json, fields: readonly string[], where: string): void {
  const missing = fields.filter((f) => !present(o[f]));
  if (missing.length) throw new OnecFault(400, `${where}: не заполнены обязательные поля ${missing.join(', ')}`);
}

const customOf = (o: Json) => Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith('p_')));

const linkFor = (ctx: CallContext, catalogue: string) => (id: string) =>
  `${ctx.baseUrl}/#e1cib/data/${catalogue}?ref=${id.replaceAll('-', '')}`;

function writeCounterparty(base: BaseState, c: Json, ctx: CallContext, where: string, kind?: Counterparty['kind']): Counterparty {
  const company = kind ? kind === 'company' : present(c.inn);
  require(c, company ? ['id', 'name', 'responsible_user_id', 'inn'] : ['id', 'name', 'responsible_user_id'], where);
  const record = base.upsertCounterparty(
    company ? 'company' : 'contact',
    String(c.id),
    text(c.id_1c),
    linkFor(ctx, 'Справочник.Контрагенты'),
  );
  record.name = String(c.name);
  record.responsible_user_id = c.responsible_user_id;
  if (company) record.inn = String(c.inn);
  if (present(c.phone)) record.phone = String(c.phone);
  if (present(c.email)) record.email = String(c.email);
  record.custom = { ...record.custom, ...customOf(c) };
  record.writes++;
  return record;
}

function newLead(base: BaseState, body: Json, ctx: CallContext): Json {
  const clients = isObject(body.clients) ? body.clients : undefined;
  const client = clients && (isObject(clients.company) ? clients.company : isObject(clients.contact) ? clients.contact : undefined);
  if (!client) throw new OnecFault(400, 'new_lead: нет clients.company');
  const record = writeCounterparty(base, client, ctx, 'new_lead');
  return { link: record.link, id_1c: record.id_1c };
}

function newOrder(base: BaseState, body: Json, ctx: CallContext): Json {
  require(body, ['id', 'name', 'responsible_user_id'], 'new_order');
  const clients = isObject(body.clients) ? body.clients : {};
  const contact = isObject(clients.contact)
    ? writeCounterparty(base, clients.contact, ctx, 'new_order clients.contact', 'contact')
    : undefined;
  const company = isObject(clients.company)
    ? writeCounterparty(base, clients.company, ctx, 'new_order clients.company', 'company')
    : undefined;
  const order = base.upsertOrder(String(body.id), linkFor(ctx, 'Документ.ЗаказКлиента'), ctx.today);
  order.name = String(body.name);
  order.responsible_user_id = body.responsible_user_id;
  if (contact) order.contact_id_1c = contact.id_1c;
  if (company) order.company_id_1c = company.id_1c;
  order.custom = { ...order.custom, ...customOf(body) };
  order.writes++;
  return { link: order.link, id_1c: order.id_1c };
}

function corrTable(base: BaseState, body: Json): Json {
  const rows = Array.isArray(body.table) ? body.table : [body.table];
  for (const row of rows) {
    if (!isObject(row)) throw new OnecFault(400, 'corr_table: нет table');
    require(row, ['amo_name', 'amo_id', 'entity_name'], 'corr_table');
    // One row per amoCRM field and entity: sending it again replaces it.
    base.corrTable = base.corrTable.filter((r) => !(r.row.amo_id === row.amo_id && r.row.entity_name === row.entity_name));
    base.corrTable.push({ user_id: body.user_id ?? null, row });
  }
  return { version: base.version };
}

/** Answers one request of the base (auth has been checked); throws OnecFault for a request 1C would refuse. */
export function handle(base: BaseState, body: unknown, ctx: CallContext): unknown {
  if (!isObject(body)) throw new OnecFault(400, 'тело запроса должно быть JSON-объектом');
  require(body, ['key', 'id_base', 'type'], String(body.type ?? 'request'));
  if (String(body.id_base) !== base.config.idBase) throw new OnecFault(400, `id_base ${String(body.id_base)} не совпадает с базой`);
  if (base.config.key !== undefined && String(body.key) !== base.config.key)
    throw new OnecFault(403, `key ${String(body.key)} не подключен к этой базе`);
  switch (body.type) {
    case 'get_orders':
      require(body, ['id'], 'get_orders');
      return base.documentsOf(String(body.id));
    case 'new_lead':
      return newLead(base, body, ctx);
    case 'new_order':
      return newOrder(base, body, ctx);
    case 'get_handlers_version':
      return { version: base.version };
    case 'corr_table':
      return corrTable(base, body);
    case 'new_invoice':
      return base.invoices.handle(body, linkFor(ctx, 'Документ.СчетНаОплатуПокупателю'));
    default:
      throw new OnecFault(400, `неизвестный type ${String(body.type)}`);
  }
}
