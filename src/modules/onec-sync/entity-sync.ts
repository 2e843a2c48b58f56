// 1C → amoCRM (seed 001 §2.3–2.5): a counterparty becomes a contact or a company, an order a deal. The entity is
// found by its amoCRM id, else by the base's link to the 1C record (id_1c), else — counterparties — by phone,
// e-mail or ИНН in the hub's index; it is then updated or created through the shared batcher, its link stored,
// and its amoCRM id returned to 1C. No search request is spent on matching (amo-index.ts).
import { isAmoError, type AmoConnector, type AmoCustomFieldValueWrite } from '../../connectors/amocrm/index.js';
import type { AmoIndex, IndexedEntity } from './amo-index.js';
import { amoId, buildValues, holds, mappedValues, money, textOf } from './amo-values.js';
import type { AmoWriteBatcher, CreatedEntity, WriteEntity } from './batcher.js';
import type { BaseService } from './bases.js';
import type { FieldDirectory } from './directory.js';
import { onecError } from './errors.js';
import type { LinkService } from './links.js';
import { keysFromOnec, type MatchKey } from './match-keys.js';
import type { ClientCompanyBody, ClientContactBody, OrderBody } from './sync-contract.js';

export interface SyncDeps {
  readonly amo: () => AmoConnector;
  readonly bases: BaseService;
  readonly links: LinkService;
  readonly index: AmoIndex;
  readonly directory: FieldDirectory;
  readonly batcher: AmoWriteBatcher;
}

const WHAT: Record<WriteEntity, string> = { contacts: 'Контакт', companies: 'Компания', leads: 'Сделка' };
const MISSING: Record<WriteEntity, (id: number) => string> = {
  contacts: (id) => `Контакт ${id} не найден в amoCRM`,
  companies: (id) => `Компания ${id} не найдена в amoCRM`,
  leads: (id) => `Сделка ${id} не найдена в amoCRM`,
};

export interface Target {
  readonly key: string;
  readonly idBase: string;
  readonly account: number;
}

export class EntitySync {
  constructor(private readonly deps: SyncDeps) {}

  /** §2.3 / §2.4: the amoCRM id of the contact or company now standing for the 1C counterparty. */
  async counterparty(entity: IndexedEntity, body: ClientContactBody | ClientCompanyBody): Promise<number> {
    const t = await this.target(body.key, body.id_base);
    const input = body as Record<string, unknown> & ClientContactBody & ClientCompanyBody;
    const mapping = await this.deps.bases.fields(t.key, t.idBase, entity);
    await this.amo(() => this.deps.index.ensureLoaded(t.key));
    const id1c = textOf(input.id_1c);
    const keys = keysFromOnec({
      ...(textOf(input.phone) !== undefined ? { phone: textOf(input.phone)! } : {}),
      ...(textOf(input.email) !== undefined ? { email: textOf(input.email)! } : {}),
      ...(entity === 'companies' && textOf(input.inn) !== undefined ? { inn: textOf(input.inn)! } : {}),
    });
    const existing =
      amoId(input.id) ??
      (id1c === undefined ? undefined : (await this.deps.links.byId1c(t.key, t.idBase, entity, id1c))?.amoId) ??
      (await this.deps.index.lookup(t.key, entity, keys));

    const mapped = mappedValues(mapping, input, ['id', 'key', 'id_base']);
    const assignments = [...mapped.custom];
    // Phones and e-mails go to amoCRM's own fields unless the table sends them elsewhere; an update keeps the
    // entity's other phones (amoCRM replaces the whole field) and sends nothing when all are there already.
    const known = existing === undefined ? [] : await this.deps.index.keysOf(t.key, entity, existing);
    for (const [kind, code] of [
      ['phone', 'PHONE'],
      ['email', 'EMAIL'],
    ] as const) {
      if (entity !== 'contacts' || mapping?.[kind] !== undefined) continue;
      const incoming = keys.filter((k) => k.kind === kind);
      const had = known.filter((k) => k.kind === kind);
      if (incoming.length === 0 || incoming.every((k) => had.some((h) => h.value === k.value))) continue;
      const merged = [...had, ...incoming.filter((k) => !had.some((h) => h.value === k.value))];
      assignments.push({ field: code, value: merged.map((k) => k.raw) });
    }
    const values = await this.#values(t, entity, assignments, mapping);
    const name = textOf(mapped.builtIn.name as string | undefined) ?? textOf(input.name);
    const responsible = amoId(input.responsible_user_id);
    const fields = {
      ...(name !== undefined ? { name } : {}),
      ...(responsible !== undefined ? { responsible_user_id: responsible } : {}),
      ...(values.length > 0 ? { custom_fields_values: values } : {}),
    };
    const result = await this.#write(t, entity, existing, fields, this.#recognise(mapping, id1c, name, responsible));
    await this.deps.index.add(t.key, entity, result.id, keys);
    await this.#remember(t, entity, id1c, textOf(input.link), result);
    return result.id;
  }

  /** §2.5: the amoCRM deal standing for the 1C order. */
  async order(body: OrderBody): Promise<number> {
    const t = await this.target(body.key, body.id_base);
    const input = body as Record<string, unknown> & OrderBody;
    const mapping = await this.deps.bases.fields(t.key, t.idBase, 'leads');
    const id1c = textOf(input.id_1c);
    const existing =
      amoId(input.id) ?? (id1c === undefined ? undefined : (await this.deps.links.byId1c(t.key, t.idBase, 'leads', id1c))?.amoId);
    const mapped = mappedValues(mapping, input, ['id', 'key', 'id_base', 'budget', 'contact_id', 'company_id']);
    const values = await this.#values(t, 'leads', mapped.custom, mapping);
    const number = textOf(input.order_number);
    // An update renames the deal only when asked to; a new deal without a name is «Заказ <номер>».
    const name =
      textOf(input.name) ??
      textOf(mapped.builtIn.name as string | undefined) ??
      (existing === undefined && number !== undefined ? `Заказ ${number}` : undefined);
    const price = money(input.budget) ?? money(mapped.builtIn.price as string | undefined);
    const responsible = amoId(input.responsible_user_id);
    const contact = amoId(input.contact_id);
    const company = amoId(input.company_id);
    const fields = {
      ...(name !== undefined ? { name } : {}),
      ...(price !== undefined ? { price: Math.round(price) } : {}),
      ...(responsible !== undefined ? { responsible_user_id: responsible } : {}),
      ...(values.length > 0 ? { custom_fields_values: values } : {}),
    };
    // amoCRM links a new deal to its contact and company in the same request; an existing deal through /link.
    const embedded = {
      ...(contact !== undefined ? { contacts: [{ id: contact, is_main: true }] } : {}),
      ...(company !== undefined ? { companies: [{ id: company }] } : {}),
    };
    const result = await this.#write(
      t,
      'leads',
      existing,
      existing === undefined && Object.keys(embedded).length > 0 ? { ...fields, _embedded: embedded } : fields,
      this.#recognise(mapping, id1c, name, responsible),
    );
    if (existing !== undefined && (contact !== undefined || company !== undefined)) {
      const links = [
        ...(contact !== undefined ? [{ to_entity_id: contact, to_entity_type: 'contacts' as const }] : []),
        ...(company !== undefined ? [{ to_entity_id: company, to_entity_type: 'companies' as const }] : []),
      ];
      await this.amo(() => this.deps.amo().api(t.account).links.link('leads', existing, links), 'leads', existing);
    }
    await this.#remember(t, 'leads', id1c, textOf(input.link), result);
    return result.id;
  }

  /**
   * The registered base a call names. The account itself was proved by the gate (auth.ts): its secret, that it is
   * the body's `key`, and that it is still connected to amoCRM — not read again here.
   */
  async target(key: number | string, idBase: number | string): Promise<Target> {
    const t = { key: String(key), idBase: String(idBase), account: Number(key) };
    if (!(await this.deps.bases.exists(t.key, t.idBase))) throw onecError('BASE_NOT_FOUND');
    return t;
  }

  async #values(
    t: Target,
    entity: WriteEntity,
    assignments: Parameters<typeof buildValues>[1],
    mapping: Record<string, number | string> | null,
  ): Promise<AmoCustomFieldValueWrite[]> {
    if (assignments.length === 0) return [];
    const source = (field: number | string) =>
      Object.entries(mapping ?? {}).find(([, target]) => String(target) === String(field))?.[0] ??
      (field === 'PHONE' ? 'phone' : field === 'EMAIL' ? 'email' : String(field));
    const defs = await this.amo(() => this.deps.directory.get(t.key, entity));
    const unknown = assignments.some((a) => !defs.some((d) => d.id === Number(a.field) || d.code === a.field || d.name === a.field));
    // A field added in amoCRM after the list was read: read it again once before calling the mapping wrong.
    const fresh = unknown ? await this.amo(() => this.deps.directory.get(t.key, entity, true)) : defs;
    return buildValues(fresh, assignments, source);
  }

  #recognise(
    mapping: Record<string, number | string> | null,
    id1c: string | undefined,
    name: string | undefined,
    responsible: number | undefined,
  ) {
    const idField = mapping?.id_1c;
    if (id1c !== undefined && typeof idField === 'number') return (e: CreatedEntity) => holds(e, idField, id1c);
    return (e: CreatedEntity) => e.name === name && (responsible === undefined || e.responsible_user_id === responsible);
  }

  async #write(t: Target, entity: WriteEntity, existing: number | undefined, fields: object, matches: (e: CreatedEntity) => boolean) {
    if (existing === undefined) {
      if (!(fields as { name?: string }).name) throw onecError('NAME_REQUIRED');
      return this.amo(() => this.deps.batcher.submit(t.account, entity, 'create', { body: fields, matches }), entity);
    }
    return this.amo(() => this.deps.batcher.submit(t.account, entity, 'update', { body: { id: existing, ...fields } }), entity, existing);
  }

  async #remember(
    t: Target,
    entity: WriteEntity,
    id1c: string | undefined,
    link: string | undefined,
    result: { id: number; updated_at?: number },
  ) {
    if (id1c !== undefined)
      await this.deps.links.save(t.key, t.idBase, entity, {
        id1c,
        amoId: result.id,
        link: link ?? null,
        amoUpdatedAt: result.updated_at ?? null,
      });
    else if (result.updated_at !== undefined) await this.deps.links.stamp(t.key, entity, result.id, result.updated_at);
  }

  /** amoCRM's failures as the module's: "try later" for what a retry may fix, the reason for a refusal. */
  async amo<T>(call: () => Promise<T>, entity?: WriteEntity, id?: number): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!isAmoError(err)) throw err;
      if (err.code === 'NEEDS_REAUTH' || err.code === 'NOT_CONNECTED') throw onecError('ACCOUNT_NOT_CONNECTED');
      if (err.retryable || !err.notApplied) throw onecError('AMO_UNAVAILABLE', undefined, undefined, { 'retry-after': '5' });
      if (err.code === 'NOT_FOUND' && entity && id !== undefined) throw onecError('ENTITY_NOT_FOUND', MISSING[entity](id));
      const detail = (err.validationErrors ?? []).map((v) => JSON.stringify(v)).join('; ');
      throw onecError(
        'AMO_REJECTED',
        `amoCRM отклонил данные${entity ? ` (${WHAT[entity]}${id !== undefined ? ` ${id}` : ''})` : ''}: ${detail || err.message}`,
      );
    }
  }
}

export type { MatchKey };
