// A status's effect in amoCRM: the account's mapping for it (stage, fields, note) applied to the lead through the
// connector — one PATCH for stage and fields, one note. Field values go through the connector's custom-field builder,
// so a date or a number field gets what amoCRM wants. What amoCRM refused for good (the lead was deleted, a field
// removed since the mapping was saved) is answered as `failed` for the timeline; what may pass later is thrown so
// the job retries.
import {
  buildCustomFieldsValues,
  isAmoError,
  type AmoConnector,
  type AmoCustomField,
  type AmoCustomFieldValueWrite,
  type LeadWrite,
} from '../../connectors/amocrm/index.js';
import type { Mapping } from './mappings.js';
import { render } from './kinds.js';
import { addNoteOnce } from './note-once.js';

export type LeadUpdate =
  { readonly outcome: 'updated'; readonly changed: readonly string[] } | { readonly outcome: 'failed'; readonly error: string };

/** How long an account's lead field definitions are reused: one amoCRM read per burst, not per notification. */
const FIELDS_TTL_MS = 5 * 60_000;

export class LeadUpdater {
  readonly #fields = new Map<number, { readonly at: number; readonly defs: Promise<AmoCustomField[]> }>();

  constructor(private readonly amo: AmoConnector) {}

  /** The lead fields' definitions (the builder needs their types), read again after FIELDS_TTL_MS or a failure. */
  #fieldsOf(accountId: number): Promise<AmoCustomField[]> {
    const held = this.#fields.get(accountId);
    if (held && Date.now() - held.at < FIELDS_TTL_MS) return held.defs;
    const defs = this.amo.api(accountId).customFields('leads');
    this.#fields.set(accountId, { at: Date.now(), defs });
    defs.catch(() => this.#fields.delete(accountId));
    return defs;
  }

  /** `rerun`: an earlier run of the same notification may have reached amoCRM (the note is then added once). */
  async apply(
    accountId: number,
    leadId: number,
    mapping: Mapping,
    values: Readonly<Record<string, string>>,
    rerun = false,
  ): Promise<LeadUpdate> {
    const api = this.amo.api(accountId);
    try {
      const patch: LeadWrite = {};
      const changed: string[] = [];
      if (mapping.status_id !== null) {
        patch.status_id = mapping.status_id;
        if (mapping.pipeline_id !== null) patch.pipeline_id = mapping.pipeline_id;
        changed.push('stage');
      }
      if (mapping.fields.length) {
        const defs = await this.#fieldsOf(accountId);
        const assignments = mapping.fields.map((f) => ({ field: f.field_id, value: render(f.value, values) }));
        // An empty value clears the field: amoCRM takes `values: null` for that, the builder skips empty strings.
        const built = buildCustomFieldsValues(
          defs,
          assignments.filter((a) => a.value !== ''),
        );
        if (built.errors.length) return { outcome: 'failed', error: built.errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
        const cleared: AmoCustomFieldValueWrite[] = assignments
          .filter((a) => a.value === '')
          .map((a) => ({ field_id: Number(a.field), values: null }));
        patch.custom_fields_values = [...built.values, ...cleared];
        changed.push(...mapping.fields.map((f) => `field ${f.field_id}`));
      }
      if (changed.length) await api.leads.update([{ id: leadId, ...patch }]);
      if (mapping.note) {
        const text = render(mapping.note, values).trim();
        if (text) {
          const note = await addNoteOnce(api, leadId, text, rerun);
          changed.push(note === 'added' ? 'note' : 'note (already there)');
        }
      }
      return { outcome: 'updated', changed };
    } catch (err) {
      if (isAmoError(err) && !err.retryable) return { outcome: 'failed', error: `${err.code}: ${err.message}` };
      throw err;
    }
  }
}
