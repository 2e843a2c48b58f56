// Each account's amoCRM custom-field definitions, read once and reused for ONEC_SYNC_FIELDS_CACHE_SECONDS: turning
// a 1C value into `custom_fields_values` needs the field's type, and reading it per call would cost a request.
import type { AmoConnector, AmoCustomField } from '../../connectors/amocrm/index.js';
import type { WriteEntity } from './batcher.js';

interface Entry {
  readonly at: number;
  readonly defs: Promise<AmoCustomField[]>;
}

export class FieldDirectory {
  readonly #cache = new Map<string, Entry>();

  constructor(
    private readonly amo: () => AmoConnector,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The definitions, from the cache when fresh; `refresh` reads them again (a mapped field was not found). */
  async get(key: string, entity: WriteEntity, refresh = false): Promise<AmoCustomField[]> {
    const id = `${key}:${entity}`;
    const hit = this.#cache.get(id);
    if (hit && !refresh && this.now() - hit.at < this.ttlMs) return hit.defs;
    const defs = this.amo().api(Number(key)).customFields(entity);
    this.#cache.set(id, { at: this.now(), defs });
    // A failed read is not cached: the next call tries again.
    defs.catch(() => this.#cache.get(id)?.defs === defs && this.#cache.delete(id));
    return defs;
  }
}
