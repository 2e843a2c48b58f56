// Events from 1C (seed 001 §2.6) end to end: the stage and fields the base's options name, a Russian note with the
// sums, nothing changed by the same event twice, and the allowed values named for an unknown event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventNote } from '../../../src/modules/onec-sync/events.js';
import { fieldValues, syncBed } from './sync-bed.js';

test('payment: the deal moves to the mapped stage, the paid sum lands in its field, a note tells the story; twice = once', async (t) => {
  const bed = await syncBed(t);
  const pipeline = bed.emu.control.account().pipelines.find((p) => p.is_main)!;
  const paid = pipeline.statuses.filter((s) => s.type === 0)[1]!;
  await bed.setOptions({ events: { payment: { pipeline_id: pipeline.id, status_id: paid.id } }, eventFields: { sum: bed.fields.leadSum } });
  const leadId = (await bed.post('leads', { id_1c: 'ЗК-1', order_number: 'ЗК-1', budget: 125000.5 })).body.data as number;

  const event = {
    event_name: 'payment',
    id_1c: 'ЗК-1',
    sum: '125000.50',
    debt_sum: 0,
    document_name: 'Платёжное поручение № 512 от 04.12.2026',
  };
  const first = await bed.post('process_event', event);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, { success: true, data: leadId, error: null });
  const lead = bed.emu.control.entities.get('leads', leadId)!;
  assert.equal(lead.status_id, paid.id);
  assert.deepEqual(fieldValues(lead, bed.fields.leadSum), ['125000.5']);
  const notes = bed.emu.control.entities.notes('leads', leadId);
  assert.equal(notes.length, 1);
  const text = (notes[0]!.params as { text: string }).text;
  assert.match(
    text,
    /^Оплата по данным 1С\nДокумент: Платёжное поручение № 512 от 04\.12\.2026\nСумма: 125\s000,50\s₽\nОжидаемый остаток: 0,00\s₽$/,
  );

  const writes = bed.amoRequests('PATCH', '/api/v4/leads') + bed.amoRequests('POST', '/api/v4/leads/notes');
  const again = await bed.post('process_event', { ...event, id: leadId, id_1c: 'ЗК-1' });
  assert.equal(again.body.data, leadId);
  assert.equal(bed.emu.control.entities.notes('leads', leadId).length, 1, 'no second note');
  assert.equal(bed.amoRequests('PATCH', '/api/v4/leads') + bed.amoRequests('POST', '/api/v4/leads/notes'), writes, 'no amoCRM write');
});

test('an event without a stage mapping still leaves its note; an unknown event or deal is refused in Russian', async (t) => {
  const bed = await syncBed(t);
  const leadId = (await bed.post('leads', { id_1c: 'ЗК-2', order_number: 'ЗК-2' })).body.data as number;
  const status = bed.emu.control.entities.get('leads', leadId)!.status_id;
  const res = await bed.post('process_event', { event_name: 'part_shipment', id: String(leadId), document_name: 'УПД № 7' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(bed.emu.control.entities.get('leads', leadId)!.status_id, status);
  assert.equal(
    (bed.emu.control.entities.notes('leads', leadId)[0]!.params as { text: string }).text,
    'Частичная отгрузка по данным 1С\nДокумент: УПД № 7',
  );

  const unknown = await bed.post('process_event', { event_name: 'refund', id: leadId });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error!, /cancel_order, payment, part_payment, shipment, part_shipment/);
  const noDeal = await bed.post('process_event', { event_name: 'payment', id_1c: 'нет-такого' });
  assert.equal(noDeal.status, 404);
  assert.match(noDeal.body.error!, /Сделка не найдена/);
});

test('the note formats sums the Russian way', () => {
  assert.equal(eventNote('cancel_order', {}), 'Заказ аннулирован в 1С');
  assert.match(eventNote('part_payment', { sum: 1234567.8, debt: 10 }), /Сумма: 1\s234\s567,80\s₽\nОжидаемый остаток: 10,00\s₽/);
});
