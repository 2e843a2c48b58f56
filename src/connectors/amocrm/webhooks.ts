// amoCRM webhooks into typed events. Account and Digital Pipeline hooks arrive form-encoded with PHP-style keys
// (`leads[status][0][status_id]=142`), legacy v2 field names and every value a string; widget DP actions
// arrive as JSON. A webhook is a hint that something changed, not the state: hooks go missing and intermediate
// status changes may be skipped, so handlers re-read the entity (api(...).leads.get(id)) before acting.
import qs from 'qs';
import type {
  AmoUnsortedDecisionEvent,
  AmoWebhookCustomField,
  AmoWebhookEventAny,
  AmoWebhookItem,
  AmoWidgetEvent,
  ParsedAmoWebhook,
} from './types.js';

const NUMERIC_FIELDS = [
  'status_id',
  'old_status_id',
  'pipeline_id',
  'old_pipeline_id',
  'price',
  'responsible_user_id',
  'old_responsible_user_id',
  'created_at',
  'updated_at',
] as const;
const ENTITY_KEYS = ['leads', 'contacts', 'companies', 'customers', 'unsorted', 'task', 'catalogs', 'message', 'talk'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** qs turns `a[0]`…`a[n]` into arrays, but gaps or big indexes give objects with numeric keys: both become arrays. */
function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObj(v))
    return Object.keys(v)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  return v === undefined ? [] : [v];
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * Parses a webhook body: the raw text, or what the hub's parsers already made of it (JSON value or the
 * PHP-style nested object from `parseForm`). Unknown parts are ignored, never thrown on: amoCRM adds fields.
 */
export function parseAmoWebhook(body: unknown, contentType: string | undefined): ParsedAmoWebhook {
  let data: unknown = body;
  if (typeof body === 'string') {
    const isJson = /json/i.test(contentType ?? '') || /^\s*[{[]/.test(body);
    data = isJson ? JSON.parse(body) : qs.parse(body, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 });
  }
  if (!isObj(data)) return { account: {}, events: [] };
  if (isObj(data.event)) return parseWidget(data);

  const accountRaw = isObj(data.account) ? data.account : {};
  const account = {
    ...(num(accountRaw.id) !== undefined ? { id: num(accountRaw.id)! } : {}),
    ...(typeof accountRaw.subdomain === 'string' ? { subdomain: accountRaw.subdomain } : {}),
  };
  const events: AmoWebhookEventAny[] = [];
  for (const key of Object.keys(data)) {
    if (!ENTITY_KEYS.includes(key) || !isObj(data[key])) continue;
    const actions = data[key] as Obj;
    for (const action of Object.keys(actions)) {
      for (const raw of list(actions[action])) {
        if (!isObj(raw)) continue;
        if (key === 'unsorted' && action === 'delete' && typeof raw.action === 'string') {
          events.push(unsortedDecision(raw));
          continue;
        }
        const item = toItem(raw);
        const entity = key === 'contacts' && item.type === 'company' ? 'companies' : key;
        events.push({ kind: 'entity', entity, action, item });
      }
    }
  }
  return { account, events };
}

function toItem(raw: Obj): AmoWebhookItem {
  const item: Record<string, unknown> = { id: num(raw.id) ?? num(raw.lead_id) ?? 0, custom_fields: customFields(raw.custom_fields), raw };
  if (typeof raw.name === 'string') item.name = raw.name;
  if (typeof raw.type === 'string') item.type = raw.type;
  for (const f of NUMERIC_FIELDS) {
    const n = num(raw[f]);
    if (n !== undefined) item[f] = n;
  }
  // Legacy names for the timestamps.
  item.created_at ??= num(raw.date_create);
  item.updated_at ??= num(raw.last_modified);
  for (const k of ['created_at', 'updated_at']) if (item[k] === undefined) delete item[k];
  return item as unknown as AmoWebhookItem;
}

function customFields(v: unknown): AmoWebhookCustomField[] {
  const out: AmoWebhookCustomField[] = [];
  for (const f of list(v)) {
    if (!isObj(f)) continue;
    const id = num(f.id);
    if (id === undefined) continue;
    // A date field's values can be a bare array of timestamps; others are `{value, enum?}`.
    const values = list(f.values).map((x) =>
      isObj(x) ? { value: String(x.value ?? ''), ...(x.enum !== undefined ? { enum: String(x.enum) } : {}) } : { value: String(x) },
    );
    out.push({
      id,
      ...(typeof f.name === 'string' ? { name: f.name } : {}),
      ...(typeof f.code === 'string' ? { code: f.code } : {}),
      values,
    });
  }
  return out;
}

function unsortedDecision(raw: Obj): AmoUnsortedDecisionEvent {
  const decision = String(raw.action);
  const result = raw[`${decision}_result`];
  const leadIds = isObj(result)
    ? list(result.leads)
        .map(num)
        .filter((x): x is number => x !== undefined)
    : [];
  return { kind: 'unsorted_decision', decision, ...(typeof raw.uid === 'string' ? { uid: raw.uid } : {}), leadIds, raw };
}

function parseWidget(data: Obj): ParsedAmoWebhook {
  const event = data.event as Obj;
  const d = isObj(event.data) ? event.data : {};
  const action = isObj(data.action) ? data.action : {};
  const widget = isObj(action.settings) && isObj(action.settings.widget) ? action.settings.widget : {};
  const settings = isObj(widget.settings) ? widget.settings : {};
  const e: AmoWidgetEvent = {
    kind: 'widget',
    type: num(event.type) ?? 0,
    ...(typeof event.type_code === 'string' ? { typeCode: event.type_code } : {}),
    leadId: num(d.id) ?? 0,
    ...(num(d.status_id) !== undefined ? { statusId: num(d.status_id)! } : {}),
    ...(num(d.pipeline_id) !== undefined ? { pipelineId: num(d.pipeline_id)! } : {}),
    ...(num(event.time) !== undefined ? { time: num(event.time)! } : {}),
    settings,
  };
  const id = num(data.account_id);
  return {
    account: { ...(id !== undefined ? { id } : {}), ...(typeof data.subdomain === 'string' ? { subdomain: data.subdomain } : {}) },
    events: [e],
  };
}
