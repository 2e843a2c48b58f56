// The notification kinds the module receives, as data: who sends each (its token's source), which queue processes
// it, what its codes mean, and which of its fields a status mapping may quote ({registrationNumber}…). The inbox →
// job → status → timeline → amoCRM pipeline (notifications.ts) is the same for every kind; adding a webhook is a
// schema, an entry here and a route line.
import type { TObject } from '@sinclair/typebox';
import { defineQueue, type Queue } from '../../platform/jobs/queue.js';
import type { InboxJob } from '../../platform/inbox/inbox.js';
import type { Source } from './contract.js';
import { PTD_STATUSES, PtdStatusNotification, TRANSIT_STATUSES, TransitDeclarationStatusNotification } from './status-contract.js';
import { ONEC_KINDS } from './onec-kinds.js';

/** What every notification carries (the schemas' common part). */
export interface NotificationBody {
  readonly eventId: string;
  readonly leadId: number;
  /** When the status took effect; the 1C kinds' bodies have none (their time is the hub's, or `paidAt`). */
  readonly occurredAt: string;
  readonly [field: string]: unknown;
}

export interface NotificationKind {
  /** ptd, transit…: the status row's kind, the mapping's kind, the timeline's kind. */
  readonly kind: string;
  readonly source: Source;
  /** Russian title used in notes and the timeline, e.g. «Статус ПТД». */
  readonly title: string;
  readonly queue: Queue<InboxJob>;
  readonly schema: TObject;
  /** Known codes and their meaning; a code outside is stored and shown with no label. */
  readonly labels: Readonly<Record<string, string>>;
  /** The notification's status code (a kind without codes answers one fixed code). */
  codeOf(body: NotificationBody): string;
  /**
   * An action the job performs instead of recording a status (the 1C kinds, onec-kinds.ts); its result's code
   * selects the mapping and its values join the template values.
   */
  readonly perform?: string;
  /** Template values the action's result adds (beyond the schema's fields and the common ones). */
  readonly placeholders?: readonly string[];
}

const statusCode = (body: NotificationBody) => String(body.status);

export const KINDS = {
  ptd: {
    kind: 'ptd',
    source: 'alta',
    title: 'Статус ПТД',
    queue: defineQueue<InboxJob>('customs.alta-ptd-status'),
    schema: PtdStatusNotification,
    labels: PTD_STATUSES,
    codeOf: statusCode,
  },
  transit: {
    kind: 'transit',
    source: 'alta',
    title: 'Статус транзитной декларации',
    queue: defineQueue<InboxJob>('customs.alta-transit-status'),
    schema: TransitDeclarationStatusNotification,
    labels: TRANSIT_STATUSES,
    codeOf: statusCode,
  },
  ...ONEC_KINDS,
} as const satisfies Record<string, NotificationKind>;

export type KindName = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as KindName[];
export const kindOf = (name: string): NotificationKind | undefined => (KINDS as Record<string, NotificationKind>)[name];

/** Fields every template may quote besides the notification's own: the code, its meaning and the kind's title. */
export const COMMON_PLACEHOLDERS = ['code', 'label', 'title', 'leadId', 'eventId', 'occurredAt'] as const;

/** The placeholders a mapping of this kind may use: the schema's top-level fields and the common ones. */
export function placeholdersOf(kind: NotificationKind): string[] {
  return [...new Set([...COMMON_PLACEHOLDERS, ...Object.keys(kind.schema.properties), ...(kind.placeholders ?? [])])];
}

/** A value as text for a template: scalars as written, arrays one item per line, objects their `url` or JSON. */
function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(asText).filter(Boolean).join('\n');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return typeof o.url === 'string' ? (typeof o.name === 'string' ? `${o.name}: ${o.url}` : o.url) : JSON.stringify(o);
  }
  return String(v);
}

/** Everything a template of this notification may quote, as text. */
export function valuesOf(kind: NotificationKind, body: NotificationBody): Record<string, string> {
  const code = kind.codeOf(body);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) out[k] = asText(v);
  return { ...out, code, label: kind.labels[code] ?? code, title: kind.title };
}

/** `{name}` replaced by the value (an unknown or empty one by nothing); `{{` and `}}` are literal braces. */
export function render(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name?: string) =>
    name === undefined ? m[0]! : (values[name] ?? ''),
  );
}

/** Placeholders a template uses that the kind does not offer (a typo caught when the mapping is saved). */
export function unknownPlaceholders(template: string, kind: NotificationKind): string[] {
  const known = new Set(placeholdersOf(kind));
  const used = [...template.replace(/\{\{|\}\}/g, '').matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
  return [...new Set(used.filter((u) => !known.has(u)))];
}
