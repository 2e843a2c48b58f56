// Operator API for what the operator entered: GET (a page, with filters) / GET one / PATCH / DELETE of customers,
// placements, acts and payments under /admin/v1/samba. Thin: the schemas check the shape, RecordService the rest.
// Paging as in quiz and tracking: `page` from 1 (0 is the first page too), `page_size` above 100 read as 100.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LineString } from '../../platform/http/schema-types.js';
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import * as A from './answers.js';
import { ADMIN_TAG, DateIn, Money, Opt } from './admin-routes.js';
import type { Services } from './services.js';

export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 1_000_000;
const Paging = {
  page: Type.Integer({ minimum: 0, maximum: MAX_PAGE, default: 1, description: 'Номер страницы, с 1; 0 — тоже первая страница' }),
  page_size: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 50,
    description: `Размер страницы; больше ${MAX_PAGE_SIZE} — читается как ${MAX_PAGE_SIZE}`,
  }),
};
/** The page asked for, as the service reads it: page 0 → 1, size clamped to MAX_PAGE_SIZE. */
export const pageOf = (q: { page: number; page_size: number }) => ({
  page: Math.max(q.page, 1),
  pageSize: Math.min(q.page_size, MAX_PAGE_SIZE),
});

// Closed query strings: an unknown filter is a 400 naming it, not an unfiltered page that looks like an answer.
const Query = <T extends TProperties>(filters: T) => Type.Object({ ...Paging, ...filters }, { additionalProperties: false });
const byCustomer = { inn: Opt(12, 'ИНН юр. лица'), kpp: Opt(9, 'КПП юр. лица') };
const byCampaign = { ...byCustomer, rk_id: Opt(100, 'РК: номер в SAMBA'), uuid_rk: Opt(100, 'РК: uuid') };
const Paged = (item: TSchema, title: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      total: Type.Integer({ description: 'Записей по фильтру' }),
      page: Type.Integer(),
      page_size: Type.Integer(),
    },
    { title },
  );

const S = Type.String();
const Placement = Type.Object({ uuid_rk: S, rk_id: S, placement: S, placement_amount: Type.Number() }, { title: 'SambaPlacementRecord' });
const Act = Type.Object(
  { uuid: S, uuid_rk: S, rk_id: S, placement: S, document: S, act_amount: Type.Number() },
  { title: 'SambaActRecord' },
);
const Uuid = Type.Object({ uuid: LineString({ minLength: 1, maxLength: 100 }) });
const PlacementKey = Type.Object({
  uuid_rk: LineString({ minLength: 1, maxLength: 100 }),
  placement: LineString({ minLength: 1, maxLength: 200, description: 'Размещение (в пути URL-кодировано)' }),
});
const patch = <T extends TProperties>(props: T) => Type.Object(props, { additionalProperties: false, minProperties: 1 });
const CustomerPatch = patch({
  inn: Opt(12, 'ИНН'),
  kpp: Type.Optional(LineString({ maxLength: 9, description: 'КПП ("" — нет)' })),
  name: Opt(300, 'Наименование'),
  fullName: Opt(500, 'Полное наименование'),
});
const PlacementPatch = patch({ placement: Opt(200, 'Размещение'), amount: Type.Optional(Money) });
const ActPatch = patch({ placement: Opt(200, 'Размещение'), document: Opt(300, 'Документ'), amount: Type.Optional(Money) });
const PaymentPatch = patch({
  uuid_po: Opt(100, 'Другой счет: uuid (или number_po и date_po)'),
  number_po: Opt(100, 'Другой счет: номер'),
  date_po: Type.Optional(DateIn('Другой счет: дата')),
  doctype: Opt(200, 'Тип документа'),
  numberMF: Opt(50, 'Номер документа в 1С'),
  number: Opt(50, 'Номер платежного документа'),
  date: Type.Optional(DateIn('Дата платежного документа')),
  paymentdate: Type.Optional(DateIn('Фактическая дата оплаты')),
  amount: Type.Optional(Money),
  payment_details: Opt(2000, 'Назначение платежа'),
});

export function recordRoutes(scope: FastifyInstance, s: Services): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const r = s.records;
  const base = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };
  const one = (item: TSchema) => ({ 200: item, 400: E, 401: E, 404: E });
  const changed = (item: TSchema) => ({ 200: item, 400: E, 401: E, 404: E, 409: E });

  app.get(
    '/samba/customers',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaCustomerList',
        summary: 'Customers (юр. лица), by name; filters: ИНН, КПП, name (substring, any case)',
        querystring: Query({ ...byCustomer, name: Opt(300, 'Наименование (подстрока)') }),
        response: { 200: Paged(A.Customer, 'SambaCustomerPage'), 400: E, 401: E },
      },
    },
    async (req) => r.customers(req.query, pageOf(req.query)),
  );
  app.get(
    '/samba/customers/:uuid',
    { schema: { ...base, operationId: 'AdminSambaCustomerGet', summary: 'One customer', params: Uuid, response: one(A.Customer) } },
    async (req) => r.customer(req.params.uuid),
  );
  app.patch(
    '/samba/customers/:uuid',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaCustomerPatch',
        summary: 'Correct a customer (ИНН/КПП checked as on creation; another customer with the same ИНН and КПП: 409)',
        params: Uuid,
        body: CustomerPatch,
        response: changed(A.Customer),
      },
    },
    async (req) => r.patchCustomer(req.params.uuid, req.body),
  );
  app.delete(
    '/samba/customers/:uuid',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaCustomerRemove',
        summary: 'Remove a customer (409 IN_USE while contracts, brands or campaigns name it); answers what was removed',
        params: Uuid,
        response: changed(A.Customer),
      },
    },
    async (req) => r.deleteCustomer(req.params.uuid),
  );

  app.get(
    '/samba/placements',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPlacementList',
        summary: "Campaigns' placements; filters: the contractor's ИНН/КПП, rk_id, uuid_rk, placement",
        querystring: Query({ ...byCampaign, placement: Opt(200, 'Размещение') }),
        response: { 200: Paged(Placement, 'SambaPlacementPage'), 400: E, 401: E },
      },
    },
    async (req) => r.placements(req.query, pageOf(req.query)),
  );
  const placementPath = '/samba/placements/:uuid_rk/:placement';
  app.get(
    placementPath,
    {
      schema: { ...base, operationId: 'AdminSambaPlacementGet', summary: 'One placement', params: PlacementKey, response: one(Placement) },
    },
    async (req) => r.placement(req.params.uuid_rk, req.params.placement),
  );
  app.patch(
    placementPath,
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPlacementPatch',
        summary: 'Rename a placement or correct its sum (the campaign already has the new name: 409)',
        params: PlacementKey,
        body: PlacementPatch,
        response: changed(Placement),
      },
    },
    async (req) => r.patchPlacement(req.params.uuid_rk, req.params.placement, req.body),
  );
  app.delete(
    placementPath,
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPlacementRemove',
        summary: 'Remove a placement (its acts name it by text and stay); answers what was removed',
        params: PlacementKey,
        response: one(Placement),
      },
    },
    async (req) => r.deletePlacement(req.params.uuid_rk, req.params.placement),
  );

  app.get(
    '/samba/acts',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaActList',
        summary: "Acts (реализации); filters: the contractor's ИНН/КПП, rk_id, uuid_rk, placement",
        querystring: Query({ ...byCampaign, placement: Opt(200, 'Размещение') }),
        response: { 200: Paged(Act, 'SambaActPage'), 400: E, 401: E },
      },
    },
    async (req) => r.acts(req.query, pageOf(req.query)),
  );
  app.get(
    '/samba/acts/:uuid',
    { schema: { ...base, operationId: 'AdminSambaActGet', summary: 'One act', params: Uuid, response: one(Act) } },
    async (req) => r.act(req.params.uuid),
  );
  app.patch(
    '/samba/acts/:uuid',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaActPatch',
        summary: 'Correct an act (the same document for the same placement already there: 409)',
        params: Uuid,
        body: ActPatch,
        response: changed(Act),
      },
    },
    async (req) => r.patchAct(req.params.uuid, req.body),
  );
  app.delete(
    '/samba/acts/:uuid',
    { schema: { ...base, operationId: 'AdminSambaActRemove', summary: 'Remove an act', params: Uuid, response: one(Act) } },
    async (req) => r.deleteAct(req.params.uuid),
  );

  app.get(
    '/samba/payments',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPaymentList',
        summary: "Payment documents, each with its invoice's status; filters: invoice (number_po, uuid_po), rk_id, uuid_rk, ИНН/КПП",
        querystring: Query({ ...byCampaign, number_po: Opt(100, 'Счет: номер (1С или вызывающего)'), uuid_po: Opt(100, 'Счет: uuid') }),
        response: { 200: Paged(A.Payment, 'SambaPaymentPage'), 400: E, 401: E },
      },
    },
    async (req) => r.payments(req.query, pageOf(req.query)),
  );
  app.get(
    '/samba/payments/:uuid',
    { schema: { ...base, operationId: 'AdminSambaPaymentGet', summary: 'One payment document', params: Uuid, response: one(A.Payment) } },
    async (req) => r.payment(req.params.uuid),
  );
  app.patch(
    '/samba/payments/:uuid',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPaymentPatch',
        summary: 'Correct a payment document, or move it to another invoice',
        params: Uuid,
        body: PaymentPatch,
        response: changed(A.Payment),
      },
    },
    async (req) => r.patchPayment(req.params.uuid, req.body),
  );
  app.delete(
    '/samba/payments/:uuid',
    {
      schema: {
        ...base,
        operationId: 'AdminSambaPaymentRemove',
        summary: 'Remove a payment document',
        params: Uuid,
        response: one(A.Payment),
      },
    },
    async (req) => r.deletePayment(req.params.uuid),
  );
}
