// A quiz result + its rule → one amoCRM complex lead (lead, contact, and a company when the rule maps company
// fields). Pure: everything it needs comes in. Values are converted by field type with the connector's builder;
// an answer that cannot be written (a select option amoCRM does not have, text in a number field) is reported
// as a warning on the result, never silently dropped.
import {
  buildCustomFieldsValues,
  type AmoCustomField,
  type AmoCustomFieldValueWrite,
  type AmoTagRef,
  type ComplexLeadInput,
  type ContactWrite,
  type CompanyWrite,
  type FieldAssignment,
} from '../../connectors/amocrm/index.js';
import type { AccountCache, FieldRow } from './cache.js';
import type { FieldMap } from './schema.js';
import type { RuleRow } from './rules.js';
import type { Answer, QuizResult } from './results-contract.js';

export interface BuiltLead {
  readonly item: ComplexLeadInput;
  readonly warnings: string[];
}

const TEXT_TYPES = new Set(['text', 'textarea', 'url', 'streetaddress', 'tracking_data']);

export function buildLead(result: QuizResult, rule: RuleRow, cache: AccountCache): BuiltLead {
  const warnings: string[] = [];
  const answers = new Map<string, Answer['value']>();
  for (const a of result.answers) answers.set(String(a.questionId), a.value);
  const contact = result.contact ?? {};

  const leadValues = fieldValues('leads', rule.fieldsRule.lead, answers, result.utm ?? {}, [], cache, warnings);
  const item: ComplexLeadInput = {
    name: leadName(result),
    pipeline_id: rule.pipelineId,
    status_id: rule.stepId,
    responsible_user_id: rule.performerId,
    ...(leadValues.length ? { custom_fields_values: leadValues } : {}),
    _embedded: {},
  };
  const embedded = item._embedded!;
  const leadTags = tagRefs(rule.tagsToAdd.Lead, cache, warnings);
  if (leadTags.length) embedded.tags = leadTags;

  const systemContactFields: FieldAssignment[] = [];
  if (contact.phone) systemContactFields.push({ field: 'PHONE', value: contact.phone, enumCode: 'WORK' });
  if (contact.email) systemContactFields.push({ field: 'EMAIL', value: contact.email, enumCode: 'WORK' });
  const contactValues = fieldValues('contacts', rule.fieldsRule.contact, answers, {}, systemContactFields, cache, warnings);
  const contactTags = tagRefs(rule.tagsToAdd.Contact, cache, warnings);
  if (contact.name || contactValues.length || contactTags.length) {
    const c: ContactWrite = {
      name: contact.name || contact.phone || contact.email || 'Контакт из квиза',
      responsible_user_id: rule.performerId,
      ...(contactValues.length ? { custom_fields_values: contactValues } : {}),
      ...(contactTags.length ? { _embedded: { tags: contactTags } } : {}),
    };
    embedded.contacts = [c];
  }

  if (rule.fieldsRule.company.some((m) => Object.keys(m).length > 0)) {
    const companyValues = fieldValues('companies', rule.fieldsRule.company, answers, {}, [], cache, warnings);
    const companyTags = tagRefs(rule.tagsToAdd.Company, cache, warnings);
    const c: CompanyWrite = {
      name: contact.company || contact.name || `Компания из квиза ${result.quizId}`,
      responsible_user_id: rule.performerId,
      ...(companyValues.length ? { custom_fields_values: companyValues } : {}),
      ...(companyTags.length ? { _embedded: { tags: companyTags } } : {}),
    };
    embedded.companies = [c];
  }
  if (Object.keys(embedded).length === 0) delete item._embedded;
  return { item, warnings };
}

function leadName(result: QuizResult): string {
  const who = result.contact?.name || result.contact?.phone || result.contact?.email;
  return `Заявка с квиза ${result.quizId}${who ? `: ${who}` : ''}`;
}

/** Applies one entity's maps (question or utm key → field id) to the answers through the type-aware builder. */
function fieldValues(
  entity: 'leads' | 'contacts' | 'companies',
  maps: readonly FieldMap[],
  answers: ReadonlyMap<string, Answer['value']>,
  utm: Readonly<Record<string, string>>,
  extra: readonly FieldAssignment[],
  cache: AccountCache,
  warnings: string[],
): AmoCustomFieldValueWrite[] {
  const defs = cache.fields.get(entity) ?? new Map<number, FieldRow>();
  const assignments: FieldAssignment[] = [...extra];
  const textFields = new Set<number>();
  const source = new Map<number | string, string>();
  for (const map of maps) {
    for (const [key, fieldId] of Object.entries(map)) {
      const raw = key.startsWith('utm_') ? utm[key] : answers.get(key);
      if (raw === undefined || raw === null || raw === '') continue; // not answered: nothing to write
      const def = defs.get(fieldId);
      if (!def) {
        warnings.push(`${label(key)}: поле ${fieldId} (${entity}) не найдено в amoCRM`);
        continue;
      }
      assignments.push({ field: fieldId, value: adapt(def.type, raw) });
      if (TEXT_TYPES.has(def.type)) textFields.add(fieldId);
      source.set(fieldId, key);
    }
  }
  if (assignments.length === 0) return [];
  const built = buildCustomFieldsValues([...defs.values()].map(toAmoField), joinTextAnswers(assignments, textFields));
  for (const e of built.errors) {
    const key = source.get(e.field);
    warnings.push(`${key ? label(key) : String(e.field)}: ${e.message}`);
  }
  return built.values;
}

/** Several questions mapped to one text field are joined line by line (amoCRM keeps one text value). */
function joinTextAnswers(assignments: FieldAssignment[], textFields: ReadonlySet<number>): FieldAssignment[] {
  const out: FieldAssignment[] = [];
  const joined = new Map<number, number>();
  for (const a of assignments) {
    const at = typeof a.field === 'number' && textFields.has(a.field) ? joined.get(a.field) : undefined;
    if (at === undefined) {
      if (typeof a.field === 'number' && textFields.has(a.field)) joined.set(a.field, out.length);
      out.push(a);
    } else out[at] = { ...out[at]!, value: `${String(out[at]!.value)}\n${String(a.value)}` };
  }
  return out;
}

/** Quiz answers arrive loosely typed; shape them the way the builder expects for the field's type. */
function adapt(type: string, value: Answer['value']): unknown {
  if (TEXT_TYPES.has(type)) {
    if (Array.isArray(value)) return value.join(', ');
    if (typeof value === 'boolean') return value ? 'Да' : 'Нет';
    return String(value);
  }
  if (type === 'checkbox' && typeof value === 'string') {
    if (/^(да|yes|true|1|on)$/i.test(value.trim())) return true;
    if (/^(нет|no|false|0|off)$/i.test(value.trim())) return false;
  }
  if ((type === 'numeric' || type === 'price' || type === 'monetary') && typeof value === 'string') {
    const n = Number(value.replace(/\s/g, '').replace(',', '.'));
    return Number.isFinite(n) && value.trim() !== '' ? n : value;
  }
  if ((type === 'select' || type === 'radiobutton') && Array.isArray(value) && value.length === 1) return value[0];
  return value;
}

function label(key: string): string {
  return key.startsWith('utm_') ? key : `вопрос ${key}`;
}

function tagRefs(ids: readonly number[], cache: AccountCache, warnings: string[]): AmoTagRef[] {
  const refs: AmoTagRef[] = [];
  for (const id of ids) {
    const tag = cache.tags.get(id);
    if (tag) refs.push({ id: tag.amoId });
    else warnings.push(`тег ${id} удалён в amoCRM`);
  }
  return refs;
}

export function toAmoField(f: FieldRow): AmoCustomField {
  return {
    id: f.amoId,
    name: f.name,
    type: f.type,
    code: f.code || null,
    entity_type: f.entityType,
    enums: f.enums.map((e) => ({ id: e.id, value: e.value, ...(e.code ? { code: e.code } : {}) })),
  };
}
