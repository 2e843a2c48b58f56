// The notification kinds the module receives, as data: who sends each (its token's source), which queue processes
// it, what its codes mean, and which of its fields a status mapping may quote ({registrationNumber}…). The inbox →
// job → status → timeline → amoCRM pipeline (notifications.ts) is the same for every kind; adding a webhook is a
// schema, an entry here and a route line.
import type { TObject } from '@sinclair/typebox';
import { defineQueue, type Queue } from '../../platform/jobs/queue.js';
import type { InboxJob } from '../../platform/inbox/inbox.js';
import type { Source } from './contract.js';
import { PTD_STATUSES, PtdStatusNotification, TRANSIT_STATUSES, TransitDeclarationStatusNotification } from './status-contract.js';
import { LAB_STATUSES, LabDocumentsNotification, SVH_STATUSES, SvhReleaseNotification } from './warehouse-contract.js';
import { labWarnings } from './lab-checks.js';
import { ONEC_KINDS } from './onec-kinds.js';

/** What every notification carries (the schemas' common part). */
export interface NotificationBody {
  readonly eventId: string;
  readonly leadId: number;
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
   * Fields the hub adds to a stored notification before it is recorded (kept in the status's details, quotable by a
   * mapping): the lab's `warnings`. Computed by the worker from the stored body, so the inbox keeps what was sent.
   */
  readonly derived?: { readonly fields: readonly string[]; of(body: NotificationBody): Record<string, unknown> };
  /**
   * An action the job performs instead of recording a status (the 1C kinds, onec-kinds.ts, run by
   * onec-pipeline.ts); its result's code selects the mapping and its values join the template values.
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
  svh: {
    kind: 'svh',
    source: 'ved-sklad',
    title: 'Товар на СВХ',
    queue: defineQueue<InboxJob>('customs.ved-sklad-svh-release'),
    schema: SvhReleaseNotification,
    labels: SVH_STATUSES,
    codeOf: statusCode,
  },
  lab: {
    kind: 'lab',
    source: 'lab',
    title: 'Документы лаборатории',
    queue: defineQueue<InboxJob>('customs.lab-documents'),
    schema: LabDocumentsNotification,
    labels: LAB_STATUSES,
    codeOf: statusCode,
    derived: {
      fields: ['warnings'],
      of: (body) => {
        const warnings = labWarnings(body);
        return warnings.length ? { warnings } : {};
      },
    },
  },
  ...ONEC_KINDS,
} as const satisfies Record<string, NotificationKind>;

export type KindName = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as KindName[];
export const kindOf = (name: string): NotificationKind | undefined => (KINDS as Record<string, NotificationKind>)[name];

/** Fields every template may quote besides the notification's own: the code, its meaning and the kind's title. */
export const COMMON_PLACEHOLDERS = ['code', 'label', 'title', 'leadId', 'eventId', 'occurredAt'] as const;

/** The placeholders a mapping of this kind may use: the schema's top-level fields, derived, result and common ones. */
export function placeholdersOf(kind: NotificationKind): string[] {
  const extra = [...(kind.derived?.fields ?? []), ...(kind.placeholders ?? [])];
  return [...new Set([...COMMON_PLACEHOLDERS, ...Object.keys(kind.schema.properties), ...extra])];
}

/** The notification as the hub keeps it: what was sent and the kind's derived fields (the lab's warnings). */
export function withDerived(kind: NotificationKind, body: NotificationBody): NotificationBody {
  return kind.derived ? { ...body, ...kind.derived.of(body) } : body;
}

/**
 * A value as text for a template: scalars as written, arrays one item per line, objects their `url` (a file: «name:
 * url»), their `message` (a warning) or JSON.
 */
function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(asText).filter(Boolean).join('\n');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.url === 'string') return typeof o.name === 'string' ? `${o.name}: ${o.url}` : o.url;
    return typeof o.message === 'string' ? o.message : JSON.stringify(o);
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
