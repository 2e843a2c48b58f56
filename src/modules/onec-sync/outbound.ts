// amoCRM → 1C (seed 001 §1.2, §1.3, §1.5): the pushes the hub makes to every base of an account, each a job.
// A contact or company becomes a counterparty (new_lead), a deal reaching the base's order stage an order
// (new_order); 1C's answer is stored as the link and written back into the amoCRM fields the base's table names,
// stamped with the updated_at of that write so its webhook echo is recognised and not pushed again.
import type { AmoApi, AmoConnector, AmoContact, AmoCompany } from '../../connectors/amocrm/index.js';
import { isOnecError, type OnecConnector, type OnecContactClient, type OnecCompanyClient } from '../../connectors/onec/index.js';
import type { Hub } from '../../platform/hub.js';
import { PermanentJobError } from '../../platform/jobs/queue.js';
import type { BaseService, MappedEntity } from './bases.js';
import { targetOf } from './base-check.js';
import type { LinkService } from './links.js';
import type { OptionStore } from './option-store.js';
import { OUTBOUND, type CorrTableJob, type PushJob } from './outbound-queues.js';
import { companyClient, contactClient, innOf, orderBase, writeBack, type FieldMap } from './payload.js';
import type { BaseOptions } from './options.js';
import { onecError } from './errors.js';

export interface OutboundDeps {
  readonly hub: Hub;
  readonly amo: AmoConnector;
  readonly onec: OnecConnector;
  readonly bases: BaseService;
  readonly links: LinkService;
  readonly options: OptionStore;
}

type Outcome = Record<string, unknown>;

/** What a webhook says of a change: amoCRM's updated_at (seconds) and the user who made it. */
export interface WebhookChange {
  readonly updatedAt?: number | undefined;
  readonly modifiedBy?: number | undefined;
}

/**
 * The stamp a push job compares with the hub's last write (an older or equal one is skipped as already sent). A
 * manager's edit in the second of the hub's write goes without it: its stamp equals the write's, yet it is new.
 */
const stampOf = (change: WebhookChange, seen: 'change' | 'same_second_edit') =>
  seen === 'change' && change.updatedAt ? { updatedAt: change.updatedAt } : {};

export class OutboundService {
  constructor(private readonly d: OutboundDeps) {}

  /**
   * A contact or company changed in amoCRM (webhook): unless the change is the hub's own write (see #classify), a push
   * to every base that takes them.
   */
  async counterpartyChanged(key: string, entity: 'contacts' | 'companies', amoId: number, change: WebhookChange): Promise<Outcome> {
    const seen = await this.#classify(key, entity, amoId, change);
    if (seen === 'echo') return { echo: true };
    const bases = (await this.d.options.bases(key)).filter((b) => b.options.pushCounterparties !== false);
    await this.#enqueue(bases.map((b) => ({ key, idBase: b.idBase, entity, amoId, ...stampOf(change, seen) })));
    return { pushes: bases.length, ...(seen === 'same_second_edit' ? { sameSecondEdit: true } : {}) };
  }

  /** A deal entered a stage (webhook): an order push to every base whose orderStage it is. */
  async leadMoved(key: string, leadId: number, stage: { pipelineId?: number; statusId?: number }, change: WebhookChange): Promise<Outcome> {
    const seen = await this.#classify(key, 'leads', leadId, change);
    if (seen === 'echo') return { echo: true };
    const atStage = (o: BaseOptions) =>
      o.orderStage !== undefined && o.orderStage.status_id === stage.statusId && o.orderStage.pipeline_id === stage.pipelineId;
    const bases = (await this.d.options.bases(key)).filter((b) => atStage(b.options));
    await this.#enqueue(bases.map((b) => ({ key, idBase: b.idBase, entity: 'leads' as const, amoId: leadId, ...stampOf(change, seen) })));
    return { orders: bases.length };
  }

  /** An operator's "send it now" (admin API / CLI): a forced push job. */
  async pushNow(key: string, idBase: string, entity: MappedEntity, amoId: number): Promise<string | null> {
    return this.d.hub.jobs.send(OUTBOUND.push, { key, idBase, entity, amoId, force: true });
  }

  async corrTableLater(key: string, idBase: string): Promise<string | null> {
    return this.d.hub.jobs.send(OUTBOUND.corrTable, { key, idBase });
  }

  /** The push job. Throws to be retried (1C or amoCRM unavailable); PermanentJobError when no retry can help. */
  async push(job: PushJob): Promise<Outcome> {
    const { key, idBase, entity, amoId } = job;
    const base = await this.d.bases.credentials(key, idBase);
    if (!base) return { skipped: 'base not registered' };
    const api = await this.#api(key);
    const own = (await this.d.links.byAmoId(key, entity, amoId)).find((l) => l.idBase === idBase);
    // This base already has a state at least this new (a webhook raced the stamp of the hub's own write).
    if (!job.force && job.updatedAt !== undefined && own?.amoUpdatedAt != null && job.updatedAt <= own.amoUpdatedAt)
      return { skipped: 'already sent' };
    const map = await this.d.bases.fields(key, idBase, entity);
    const target = targetOf(base);
    if (entity === 'leads') {
      const lead = await api.leads.get(amoId, ['contacts']);
      if (!lead) return { skipped: 'deleted in amoCRM' };
      const contactId = (lead._embedded?.contacts ?? []).find((c) => c.is_main)?.id ?? lead._embedded?.contacts?.[0]?.id;
      const companyId = lead._embedded?.companies?.[0]?.id;
      const contact = contactId === undefined ? undefined : await this.#client(api, key, idBase, 'contacts', contactId);
      const company = companyId === undefined ? undefined : await this.#client(api, key, idBase, 'companies', companyId);
      const clients = {
        ...(contact ? { contact: contact as OnecContactClient } : {}),
        ...(company ? { company: company as OnecCompanyClient } : {}),
      };
      const answer = await call(() =>
        this.d.onec.upsertOrder(target, { ...orderBase(lead, map, own?.id1c), ...(Object.keys(clients).length ? { clients } : {}) }),
      );
      return this.#linked(api, key, idBase, 'leads', lead, map, answer);
    }
    const e = entity === 'contacts' ? await api.contacts.get(amoId) : await api.companies.get(amoId);
    if (!e) return { skipped: 'deleted in amoCRM' };
    const client = await this.#clientOf(entity, e, map, own?.id1c);
    if (!client) {
      this.d.hub.log.warn({ account: key, idBase, amoId }, '1C sync: company without a valid ИНН/УНП is not sent to 1C');
      return { skipped: 'no ИНН/УНП' };
    }
    const answer = await call(() => this.d.onec.upsertCounterparty(target, client));
    return this.#linked(api, key, idBase, entity, e, map, answer);
  }

  /** corr_table (§1.5): the account's contact, company and deal fields and its users, sent to the base. */
  async corrTable(job: CorrTableJob): Promise<Outcome> {
    const base = await this.d.bases.credentials(job.key, job.idBase);
    if (!base) return { skipped: 'base not registered' };
    const api = await this.#api(job.key);
    const table: Array<{ amo_name: string; amo_id: number; entity_name: string }> = [];
    for (const [entity, name] of [
      ['contacts', 'Контакт'],
      ['companies', 'Компания'],
      ['leads', 'Сделка'],
    ] as const)
      for (const f of await api.customFields(entity)) table.push({ amo_name: f.name, amo_id: f.id, entity_name: name });
    for (const u of await api.users()) table.push({ amo_name: u.name, amo_id: u.id, entity_name: 'Сотрудник' });
    const account = await this.d.amo.getAccount(Number(job.key));
    const answer = await call(() =>
      this.d.onec.sendCorrTable(targetOf(base), { ...(account?.amoUserId ? { user_id: account.amoUserId } : {}), table }),
    );
    return { rows: table.length, version: answer.version };
  }

  /** get_orders (§1.1) for the admin API: the deal's documents in 1C, asked now. */
  async documents(key: string, idBase: string, leadId: number) {
    const base = await this.d.bases.credentials(key, idBase);
    if (!base) throw onecError('BASE_NOT_FOUND');
    return this.d.onec.getOrders(targetOf(base), leadId);
  }

  async #api(key: string): Promise<AmoApi> {
    const account = await this.d.amo.getAccount(Number(key));
    // A disconnected account has no tokens: retrying cannot help until an operator reconnects it.
    if (account?.status !== 'active')
      throw new PermanentJobError(`amoCRM account ${key} is not connected (${account?.status ?? 'unknown'})`);
    return this.d.amo.api(Number(key));
  }

  /**
   * Whose change a webhook reports: the hub's own write (`echo`: its updated_at is older than the stamp of the hub's
   * last write of the entity, or in the same second), someone's `change`, or a `same_second_edit`. amoCRM stamps in
   * whole seconds, so a manager's edit in the second of the hub's write carries the same stamp: the webhook's
   * modified_user_id tells it apart when it names someone other than the integration's user (the hub writes as it).
   */
  async #classify(
    key: string,
    entity: MappedEntity,
    amoId: number,
    change: WebhookChange,
  ): Promise<'echo' | 'change' | 'same_second_edit'> {
    const { updatedAt, modifiedBy } = change;
    if (updatedAt === undefined) return 'change';
    const links = await this.d.links.byAmoId(key, entity, amoId);
    if (links.length === 0) return 'change';
    // A link without a stamp is an entity the hub created from 1C: amoCRM answers a create without updated_at, so
    // the first webhook after it is that create's echo; its stamp is taken from it.
    if (links.some((l) => l.amoUpdatedAt === null)) {
      await this.d.links.stamp(key, entity, amoId, updatedAt);
      return 'echo';
    }
    const stamp = Math.max(...links.map((l) => l.amoUpdatedAt ?? 0));
    if (updatedAt < stamp) return 'echo';
    if (updatedAt > stamp) return 'change';
    if (modifiedBy === undefined) return 'echo';
    const hubUser = (await this.d.amo.getAccount(Number(key)))?.amoUserId;
    return hubUser != null && modifiedBy !== hubUser ? 'same_second_edit' : 'echo';
  }

  async #enqueue(jobs: PushJob[]): Promise<void> {
    if (jobs.length) await this.d.hub.jobs.sendMany(OUTBOUND.push, jobs);
  }

  async #clientOf(entity: 'contacts' | 'companies', e: AmoContact | AmoCompany, map: FieldMap | null, id1c?: string) {
    if (entity === 'contacts') return contactClient(e as AmoContact, map, id1c);
    const inn = innOf(e as AmoCompany, map);
    return inn === undefined ? undefined : companyClient(e as AmoCompany, map, inn, id1c);
  }

  /** A deal's contact or company as new_order carries it (with its own link's id_1c and its own table's p_ values). */
  async #client(api: AmoApi, key: string, idBase: string, entity: 'contacts' | 'companies', amoId: number) {
    const e = entity === 'contacts' ? await api.contacts.get(amoId) : await api.companies.get(amoId);
    if (!e) return undefined;
    const own = (await this.d.links.byAmoId(key, entity, amoId)).find((l) => l.idBase === idBase);
    return this.#clientOf(entity, e, await this.d.bases.fields(key, idBase, entity), own?.id1c);
  }

  /** Stores 1C's answer as the link, writes it back into amoCRM and stamps the write (its echo is ignored). */
  async #linked(
    api: AmoApi,
    key: string,
    idBase: string,
    entity: MappedEntity,
    e: { id: number; updated_at: number; custom_fields_values: AmoContact['custom_fields_values']; [k: string]: unknown },
    map: FieldMap | null,
    answer: { id_1c: string; link: string },
  ): Promise<Outcome> {
    const values = writeBack(e, map, answer);
    let stamp = e.updated_at;
    if (values.length) {
      const patch = [{ id: e.id, custom_fields_values: values }];
      const entityApi = entity === 'leads' ? api.leads : entity === 'contacts' ? api.contacts : api.companies;
      const [written] = await entityApi.update(patch);
      stamp = written?.updated_at ?? (await entityApi.get(e.id))?.updated_at ?? stamp;
    }
    await this.d.links.save(key, idBase, entity, { id1c: answer.id_1c, amoId: e.id, link: answer.link || null, amoUpdatedAt: stamp });
    return { id_1c: answer.id_1c, link: answer.link, writtenBack: values.length };
  }
}

/** A 1C call in a job: transient failures (outage, timeout, a lost answer) are retried, the rest fail for good. */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isOnecError(err) && !err.retryable && !err.ambiguous) throw new PermanentJobError(err.message, err.toJSON());
    throw err;
  }
}
