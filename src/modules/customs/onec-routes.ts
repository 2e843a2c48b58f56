// The seed's three 1C endpoints under /1c, wired like every notification webhook (webhook-routes.ts): the kind's
// source token (naming the amoCRM account), the schema plus the checks it cannot make (an ИНН's check digits, two
// decimals in money) before anything is stored, the platform inbox (200 only after the commit, a repeated eventId
// acknowledged as a duplicate), then a job performing the 1C action (onec-side.ts) and applying the account's
// mapping of its result to the amoCRM lead (notifications.ts).
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../platform/hub.js';
import { TAG_1C } from './onec-contract.js';
import { ONEC_KINDS } from './onec-kinds.js';
import type { NotificationBody } from './kinds.js';
import { clientProblems, invoiceProblems, paymentProblems } from './onec-values.js';
import { notificationRoute } from './webhook-routes.js';

export function onecRoutes(scope: FastifyInstance, hub: Hub): void {
  notificationRoute(scope, hub, {
    path: '/client-data',
    kind: ONEC_KINDS.onec_client,
    operationId: 'OnecClientData',
    tag: TAG_1C,
    summary: 'Передача данных клиента из AmoCRM в 1С',
    description:
      'AmoCRM отправляет данные клиента (триггер «сделка на этапе Договор») для создания или обновления контрагента в 1С; ' +
      'id_1c и ссылка на контрагента записываются в сделку по настройке аккаунта. ИНН проверяется по контрольным цифрам.',
    check: (body: NotificationBody) => clientProblems(body as never),
  });
  notificationRoute(scope, hub, {
    path: '/service-data-for-invoice',
    kind: ONEC_KINDS.onec_invoice,
    operationId: 'OnecServiceDataForInvoice',
    tag: TAG_1C,
    summary: 'Передача данных по услугам из AmoCRM для формирования счета в 1С',
    description:
      'AmoCRM отправляет услуги сделки; хаб выставляет счёт в 1С (тип запроса new_invoice). НДС по каждой строке в копейках ' +
      'по дате счёта: 20 % до 01.01.2026, 22 % с этой даты; итог — сумма строк. Номер и сумма счёта записываются в сделку.',
    check: (body: NotificationBody) => invoiceProblems(body as never),
  });
  notificationRoute(scope, hub, {
    path: '/invoice-payment-webhook',
    kind: ONEC_KINDS.onec_payment,
    operationId: 'OnecInvoicePaymentWebhook',
    tag: TAG_1C,
    summary: 'Webhook для уведомлений об оплате счетов от 1С',
    description:
      '1С отправляет уведомление об оплате счёта: этап сделки, оплаченная сумма и примечание — по настройке аккаунта. ' +
      'Более старое уведомление не уменьшает оплаченную сумму.',
    check: (body: NotificationBody) => paymentProblems(body as never),
  });
}
