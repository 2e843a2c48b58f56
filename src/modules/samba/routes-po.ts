// Invoices and their payments under /samba (seed 002 §6, §7.1). DELETE takes its parameters as a JSON body (as the
// seed documents it) or, for clients that send no body with DELETE, as a query string.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import * as A from './answers.js';
import * as C from './contract.js';
import { ok } from './routes.js';
import type { Services } from './services.js';

const F = A.SambaFailure;
const security = [{ sambaBasic: [] }];
const errors = (...codes: Array<400 | 404 | 409>) => Object.fromEntries([401, 429, ...codes].map((c) => [c, F])) as Record<number, TSchema>;

export function invoiceRoutes(scope: FastifyInstance, s: Services): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const tags = [C.TAG];
  app.get(
    '/po',
    {
      schema: {
        operationId: 'SambaPoList',
        tags,
        security,
        summary: 'Список счетов на оплату покупателю (§6.1)',
        querystring: C.PoQuery,
        response: { 200: A.Ok(Type.Array(A.Invoice), 'SambaPoListAnswer'), ...errors(400, 409) },
      },
    },
    async (req) => ok(null, await s.invoices.list(req.query)),
  );
  app.post(
    '/po',
    {
      schema: {
        operationId: 'SambaPoCreate',
        tags,
        security,
        summary: 'Создать счет (§6.3): номер УЛУ<цифры numberMF>/<NN>, дата — момент создания, НДС по ставке на дату счета',
        body: C.PoCreate,
        response: { 200: A.Ok(A.InvoiceSaved, 'SambaPoCreated'), ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      const r = await s.invoices.create(req.body);
      return ok(r.message, r.result);
    },
  );
  app.put(
    '/po',
    {
      schema: {
        operationId: 'SambaPoUpdate',
        tags,
        security,
        summary: 'Обновить счет (§6.4): по uuid, а если он пуст — по номеру (+дате); сумма и РК заменяются, НДС пересчитывается',
        body: C.PoUpdate,
        response: { 200: A.Ok(A.InvoiceSaved, 'SambaPoUpdated'), ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      const r = await s.invoices.update(req.body);
      return ok(r.message, r.result);
    },
  );
  app.delete(
    '/po',
    {
      schema: {
        operationId: 'SambaPoDelete',
        tags,
        security,
        summary: 'Удалить счет (§6.5); есть документы оплаты — 409, в result их список',
        body: Type.Unsafe<C.PoRefT | null>({ ...C.PoRef, type: ['object', 'null'] }),
        querystring: C.PoRef,
        response: {
          200: A.Ok(Type.Object({ uuid: Type.String(), number: Type.String(), date: Type.String() }), 'SambaPoDeleted'),
          ...errors(400, 404, 409),
        },
      },
    },
    async (req) => {
      const r = await s.invoices.delete(req.body ?? req.query);
      return ok(r.message, r.result);
    },
  );
  app.get(
    '/files/po',
    {
      schema: {
        operationId: 'SambaPoFile',
        tags,
        security,
        summary: 'Печатная форма счета (§6.2): pdf (по умолчанию), docx или xlsx, base64 в result.data',
        querystring: C.PoFileQuery,
        response: { 200: A.Ok(A.PrintedFile, 'SambaPoFileAnswer'), ...errors(400, 404, 409) },
      },
    },
    async (req) => ok(null, await s.print.file(req.query)),
  );
  app.get(
    '/payment/po',
    {
      schema: {
        operationId: 'SambaPaymentList',
        tags,
        security,
        summary: 'Оплаты по счету (§7.1) со статусом счета: Оплачено, Не оплачено, Частично оплачено, Переплата',
        querystring: C.PoRef,
        response: { 200: A.Ok(Type.Array(A.Payment), 'SambaPaymentListAnswer'), ...errors(400, 404, 409) },
      },
    },
    async (req) => ok(null, await s.payments.list(req.query)),
  );
}
