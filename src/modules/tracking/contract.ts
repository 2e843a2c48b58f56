// Seed 004 as TypeBox schemas: the seed's paths, field names (tracking_numbers, total, current_status, weight_kg,
// total_cost_usd…) and `{detail}` errors. They validate requests, serialise responses and feed the OpenAPI document.
import { Type, type Static } from '@sinclair/typebox';
import { STATUSES } from './statuses.js';
import { IdInteger, LineString, Nullable, StringEnum, TextString } from '../../platform/http/schema-types.js';

export const StatusSchema = StringEnum(STATUSES, {
  description: 'pending → in_transit → delivered → issued (вперёд, шаги можно пропускать); cancelled — из любого, кроме issued',
});

export const ErrorBody = Type.Object({ detail: Type.String({ description: 'Описание ошибки по-русски' }) }, { title: 'TrackingError' });
export const InvalidTransitionBody = Type.Object(
  { detail: Type.String(), current_status: StatusSchema, allowed_statuses: Type.Array(StatusSchema) },
  { title: 'TrackingInvalidTransition' },
);

const Id = IdInteger();

// What the numeric columns hold (schema.ts): numeric(12,3), numeric(12,2) and numeric(14,2). A maximum with the
// column's own scale also keeps PostgreSQL's rounding of extra decimals from carrying a value past the column.
export const MAX_WEIGHT_KG = 999_999_999.999;
export const MAX_PRICE_PER_KG_USD = 9_999_999_999.99;
export const MAX_TOTAL_COST_USD = 999_999_999_999.99;
/** Pages beyond this are refused (a page of 100 at page 1 000 000 is row 100 million; the OFFSET stays an int8). */
export const MAX_PAGE = 1_000_000;
const Money = (maximum: number, description: string) => Nullable(Type.Number({ minimum: 0, maximum, description }));
/** ISO 8601 in UTC with milliseconds and `Z` (the seed's examples show no zone; parsers of both read ours). */
const Timestamp = Type.String({
  format: 'date-time',
  description: 'ISO 8601, UTC, с миллисекундами и суффиксом Z',
  examples: ['2025-01-27T10:00:00.000Z'],
});

export const BotParams = Type.Object({ bot_id: Id });
export const TrackingParams = Type.Object({ bot_id: Id, tracking_id: Id });
export const ClientParams = Type.Object({ bot_id: Id, client_id: Id });
export const ClientCodeSchema = LineString({ minLength: 1, maxLength: 64, description: 'Код клиента' });
export const ByClientParams = Type.Object({ bot_id: Id, client_code: ClientCodeSchema });

/** Page sizes above this are read as this (the seed's maximum). */
export const MAX_PAGE_SIZE = 100;
/** Sizes asked may be larger (clamped to MAX_PAGE_SIZE); this bound only keeps the number sane. */
const MAX_PAGE_SIZE_ASKED = 1_000_000;
// Pagination is the same in quiz and tracking (docs/modules/tracking.md, Pagination): page 0 is the first page
// (quiz's seed defaults to 0), a size over the maximum is clamped to it; negative, zero-size and non-integer values
// are 400s.
const Page = {
  page: Type.Integer({
    minimum: 0,
    maximum: MAX_PAGE,
    default: 1,
    description: `Номер страницы, с 1; 0 — тоже первая страница (не больше ${MAX_PAGE})`,
  }),
  page_size: Type.Integer({
    minimum: 1,
    maximum: MAX_PAGE_SIZE_ASKED,
    default: 50,
    description: `Размер страницы; больше ${MAX_PAGE_SIZE} — читается как ${MAX_PAGE_SIZE}`,
  }),
};
/** The page asked for, as the services read it: page 0 → 1, size clamped to MAX_PAGE_SIZE. */
export const pageOf = (q: { page: number; page_size: number }) => ({
  page: Math.max(q.page, 1),
  pageSize: Math.min(q.page_size, MAX_PAGE_SIZE),
});
// Query strings are closed: a parameter we do not know (`?status=pending` for `status_filter`) is a 400 naming it,
// not an unfiltered list that looks like a result.
const CLOSED_QUERY = { additionalProperties: false, description: 'Неизвестные параметры запроса — 400 с именем параметра' };
export const PageQuery = Type.Object(Page, CLOSED_QUERY);

export const TrackingNumber = Type.Object(
  {
    id: Type.Integer(),
    tracking_number: Type.String(),
    client_code: Type.String(),
    current_status: StatusSchema,
    quantity: Nullable(Type.Integer()),
    weight_kg: Nullable(Type.Number()),
    price_per_kg_usd: Nullable(Type.Number()),
    total_cost_usd: Nullable(Type.Number()),
    note: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'TrackingNumber' },
);
export type TrackingNumberView = Static<typeof TrackingNumber>;

export const HistoryEntry = Type.Object({
  status: StatusSchema,
  from_status: Nullable(StatusSchema),
  source: Type.String({ description: 'api, import или admin (исправление оператора)' }),
  changed_by: Nullable(Type.String({ description: 'Кто исправил статус (только для source=admin)' })),
  reason: Nullable(Type.String({ description: 'Причина исправления (только для source=admin)' })),
  changed_at: Timestamp,
});
export const TrackingDetail = Type.Intersect([TrackingNumber, Type.Object({ history: Type.Array(HistoryEntry) })], {
  title: 'TrackingNumberDetail',
});

export const TrackingList = Type.Object(
  { tracking_numbers: Type.Array(TrackingNumber), total: Type.Integer() },
  { title: 'TrackingNumberList' },
);

const TrackingNumberText = LineString({
  minLength: 1,
  maxLength: 64,
  pattern: '^\\S(.*\\S)?$',
  description: 'Трек-номер, уникален в пределах бота',
});
export const TrackingListQuery = Type.Object(
  {
    ...Page,
    status_filter: Type.Optional(StatusSchema),
    client_code: Type.Optional(ClientCodeSchema),
    tracking_number: Type.Optional({
      ...TrackingNumberText,
      description: 'Точный трек-номер (с учётом регистра): ответ — список из 0 или 1 элемента; поиск по индексу (bot_id, tracking_number)',
      examples: ['ABC123456'],
    }),
  },
  CLOSED_QUERY,
);
export const CreateTracking = Type.Object(
  {
    tracking_number: TrackingNumberText,
    client_code: ClientCodeSchema,
    status: Type.Optional(StatusSchema),
    quantity: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    weight_kg: Type.Optional(Money(MAX_WEIGHT_KG, 'Вес, кг')),
    price_per_kg_usd: Type.Optional(Money(MAX_PRICE_PER_KG_USD, 'Цена за кг, USD')),
    total_cost_usd: Type.Optional(
      Money(MAX_TOTAL_COST_USD, 'Стоимость, USD; если не задана — вес × цена за кг (произведение тоже не больше максимума)'),
    ),
    note: Type.Optional(Nullable(TextString({ maxLength: 1000 }))),
  },
  { additionalProperties: false, title: 'CreateTrackingNumber' },
);
export type CreateTrackingInput = Static<typeof CreateTracking>;

export const UpdateTracking = Type.Object(
  {
    status: Type.Optional(StatusSchema),
    quantity: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    weight_kg: Type.Optional(Money(MAX_WEIGHT_KG, 'Вес, кг')),
    price_per_kg_usd: Type.Optional(Money(MAX_PRICE_PER_KG_USD, 'Цена за кг, USD')),
    total_cost_usd: Type.Optional(Money(MAX_TOTAL_COST_USD, 'Стоимость, USD')),
    note: Type.Optional(Nullable(TextString({ maxLength: 1000 }))),
  },
  // No minProperties: an empty body is refused by the service with the list of fields it may carry (EMPTY_UPDATE),
  // which says more than a schema's "at least 1 property".
  {
    additionalProperties: false,
    title: 'UpdateTrackingNumber',
    description: 'Хотя бы одно поле; пустой объект — 400 со списком допустимых полей',
  },
);
export type UpdateTrackingInput = Static<typeof UpdateTracking>;

export const Client = Type.Object(
  { id: Type.Integer(), client_code: Type.String(), tracking_numbers_count: Type.Integer(), created_at: Timestamp },
  { title: 'TrackingClient' },
);
export const ClientList = Type.Object({ clients: Type.Array(Client), total: Type.Integer() }, { title: 'TrackingClientList' });
export const ClientTrackingList = Type.Object(
  { client_code: Type.String(), tracking_numbers: Type.Array(TrackingNumber), total: Type.Integer() },
  { title: 'TrackingClientNumbers' },
);

export const Overview = Type.Object(
  {
    total_clients: Type.Integer(),
    total_tracking_numbers: Type.Integer(),
    pending: Type.Integer(),
    in_transit: Type.Integer(),
    delivered: Type.Integer(),
    issued: Type.Integer(),
    cancelled: Type.Integer(),
  },
  { title: 'TrackingOverview' },
);

export const StatsQuery = Type.Object(
  {
    date_from: Type.Optional(Type.String({ format: 'date', description: 'Начало периода (включительно), по умолчанию 29 дней назад' })),
    date_to: Type.Optional(
      Type.String({ format: 'date', description: 'Конец периода (включительно, UTC), по умолчанию сегодня; период не длиннее 366 дней' }),
    ),
  },
  CLOSED_QUERY,
);
const StatusCounts = Type.Object(
  Object.fromEntries(STATUSES.map((s) => [s, Type.Integer()])) as Record<(typeof STATUSES)[number], ReturnType<typeof Type.Integer>>,
);
export const TrackingStats = Type.Object(
  {
    date_from: Type.String({ format: 'date' }),
    date_to: Type.String({ format: 'date' }),
    created: Type.Integer({ description: 'Трек-номеров создано за период' }),
    by_status: Type.Array(
      Type.Object({
        status: StatusSchema,
        count: Type.Integer({ description: 'Трек-номера, созданные за период, по текущему статусу' }),
        total_weight_kg: Type.Number(),
        total_cost_usd: Type.Number(),
      }),
      { description: 'Созданные за период трек-номера по их текущему статусу, с суммарным весом и стоимостью' },
    ),
    by_day: Type.Array(Type.Intersect([Type.Object({ date: Type.String({ format: 'date' }) }), StatusCounts]), {
      description:
        'По дням (UTC) периода: сколько трек-номеров перешло в каждый статус (включая начальный при создании); дни без событий — нули',
    }),
  },
  { title: 'TrackingStatistics' },
);

export const Bot = Type.Object(
  { id: Type.Integer(), name: Type.String(), username: Type.String(), is_active: Type.Boolean(), subscription_status: Type.String() },
  { title: 'TrackingBot' },
);
export type BotView = Static<typeof Bot>;
