// Per-base behaviour an operator sets through the admin API (PUT /admin/v1/onec/bases/:key/:idBase/options): which
// amoCRM stage each 1C event moves a deal to, which lead fields an event fills, and when a deal goes to 1C as an
// order. Stored in onec_sync_bases.options; absent parts mean "do nothing" (an event still leaves its note).
import { Type, type Static } from '@sinclair/typebox';
import { MAX_ID } from '../../platform/http/schema-types.js';

/** Seed 001 §2.6: the events 1C reports. */
export const EVENT_NAMES = ['cancel_order', 'payment', 'part_payment', 'shipment', 'part_shipment'] as const;
export type OnecEventName = (typeof EVENT_NAMES)[number];

const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
export const Stage = Type.Object({ pipeline_id: Id, status_id: Id }, { additionalProperties: false, description: 'воронка и этап amoCRM' });

export const BaseOptions = Type.Object(
  {
    events: Type.Optional(
      Type.Partial(Type.Object(Object.fromEntries(EVENT_NAMES.map((e) => [e, Stage])) as Record<OnecEventName, typeof Stage>), {
        additionalProperties: false,
        description: 'event → the stage the deal moves to',
      }),
    ),
    eventFields: Type.Optional(
      Type.Object(
        { sum: Type.Optional(Id), debt_sum: Type.Optional(Id), document_name: Type.Optional(Id) },
        { additionalProperties: false, description: 'lead custom fields an event writes: its sum, the remaining debt, the document' },
      ),
    ),
    orderStage: Type.Optional({ ...Stage, description: 'a deal reaching this stage is sent to 1C as new_order' }),
    pushCounterparties: Type.Optional(
      Type.Boolean({ description: 'contact and company changes in amoCRM are sent to 1C as new_lead (default true)' }),
    ),
  },
  { additionalProperties: false, title: 'OnecBaseOptions' },
);
export type BaseOptions = Static<typeof BaseOptions>;
