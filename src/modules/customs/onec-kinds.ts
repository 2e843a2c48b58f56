// The 1C side's three notification kinds, in the shape of kinds.ts. Unlike a status, each is an action: the job
// performs it (onec-side.ts, through `perform`) and the action's result code — not a field of the body — selects
// the account's mapping; the result's values (id_1c, number, total…) join the placeholders a mapping may quote.
import { defineQueue } from '../../platform/jobs/queue.js';
import type { InboxJob } from '../../platform/inbox/inbox.js';
import type { NotificationBody, NotificationKind } from './kinds.js';
import { ClientDataFor1C, InvoicePaymentNotification, ServiceDataFor1CInvoice } from './onec-contract.js';

/** The action a kind's job performs (index.ts binds each to the OnecSide service). */
export type OnecAction = 'onec.client' | 'onec.invoice' | 'onec.payment';

export const ONEC_KINDS = {
  onec_client: {
    kind: 'onec_client',
    source: 'amocrm',
    title: 'Клиент в 1С',
    queue: defineQueue<InboxJob>('customs.onec-client'),
    schema: ClientDataFor1C,
    labels: { linked: 'Контрагент создан или обновлён в 1С' },
    codeOf: () => 'linked',
    perform: 'onec.client',
    placeholders: ['id_1c', 'link'],
  },
  onec_invoice: {
    kind: 'onec_invoice',
    source: 'amocrm',
    title: 'Счёт в 1С',
    queue: defineQueue<InboxJob>('customs.onec-invoice'),
    schema: ServiceDataFor1CInvoice,
    labels: { invoice_created: 'Счёт выставлен в 1С' },
    codeOf: () => 'invoice_created',
    perform: 'onec.invoice',
    placeholders: ['id_1c', 'number', 'link', 'total', 'vat'],
  },
  onec_payment: {
    kind: 'onec_payment',
    source: '1c',
    title: 'Оплата счёта',
    queue: defineQueue<InboxJob>('customs.onec-payment'),
    schema: InvoicePaymentNotification,
    labels: { paid: 'Счёт оплачен полностью', partially_paid: 'Счёт оплачен частично' },
    // What the sender says; the job's result (the sums held) has the last word.
    codeOf: (body: NotificationBody) => (body.kind === 'full' ? 'paid' : 'partially_paid'),
    perform: 'onec.payment',
    placeholders: ['id_1c', 'number', 'paid', 'total'],
  },
} as const satisfies Record<string, NotificationKind & { perform: OnecAction }>;
