import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAmoWebhook } from '../../src/connectors/amocrm/index.js';
import { parseForm } from '../../src/platform/http/body.js';

const form = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

test('a lead status change (account webhook, form-encoded, PHP-style keys)', () => {
  const raw = form([
    ['leads[status][0][id]', '25399013'],
    ['leads[status][0][status_id]', '142'],
    ['leads[status][0][pipeline_id]', '3104455'],
    ['leads[status][0][old_status_id]', '30222787'],
    ['leads[status][0][old_pipeline_id]', '3104455'],
    ['leads[status][0][name]', 'Заявка с квиза'],
    ['leads[status][0][price]', '15000'],
    ['leads[status][0][responsible_user_id]', '504141'],
    ['leads[status][0][last_modified]', '1700000100'],
    ['leads[status][0][date_create]', '1700000000'],
    ['leads[status][0][custom_fields][0][id]', '427495'],
    ['leads[status][0][custom_fields][0][name]', 'Источник'],
    ['leads[status][0][custom_fields][0][values][0][value]', 'Сайт'],
    ['leads[status][0][custom_fields][0][values][0][enum]', '905341'],
    ['leads[status][0][custom_fields][1][id]', '427497'],
    ['leads[status][0][custom_fields][1][name]', 'Дата встречи'],
    ['leads[status][0][custom_fields][1][values][0]', '1700006400'],
    ['account[subdomain]', 'acme'],
    ['account[id]', '29085955'],
    ['account[_links][self]', 'https://acme.amocrm.ru'],
  ]);
  // Both what the hub's form parser makes of the body and the raw text give the same events.
  for (const body of [parseForm(raw), raw]) {
    const parsed = parseAmoWebhook(body, 'application/x-www-form-urlencoded');
    assert.deepEqual(parsed.account, { id: 29085955, subdomain: 'acme' });
    assert.equal(parsed.events.length, 1);
    const e = parsed.events[0]!;
    assert.equal(e.kind, 'entity');
    if (e.kind !== 'entity') return;
    assert.equal(e.entity, 'leads');
    assert.equal(e.action, 'status');
    assert.equal(e.item.id, 25399013);
    assert.equal(e.item.status_id, 142);
    assert.equal(e.item.old_status_id, 30222787);
    assert.equal(e.item.pipeline_id, 3104455);
    assert.equal(e.item.price, 15000);
    assert.equal(e.item.created_at, 1700000000);
    assert.equal(e.item.updated_at, 1700000100);
    assert.deepEqual(e.item.custom_fields, [
      { id: 427495, name: 'Источник', values: [{ value: 'Сайт', enum: '905341' }] },
      { id: 427497, name: 'Дата встречи', values: [{ value: '1700006400' }] },
    ]);
    assert.equal(e.item.raw.name, 'Заявка с квиза');
  }
});

test('several entities and actions in one hook; companies arrive under contacts with type=company', () => {
  const raw = form([
    ['contacts[add][0][id]', '11'],
    ['contacts[add][0][name]', 'Иван'],
    ['contacts[add][0][type]', 'contact'],
    ['contacts[add][0][custom_fields][0][id]', '5'],
    ['contacts[add][0][custom_fields][0][code]', 'PHONE'],
    ['contacts[add][0][custom_fields][0][values][0][value]', '+79990000000'],
    ['contacts[add][0][custom_fields][0][values][0][enum]', '101'],
    ['contacts[update][0][id]', '12'],
    ['contacts[update][0][type]', 'company'],
    ['contacts[update][0][linked_leads_id][7]', '7'],
    ['leads[add][0][id]', '7'],
    ['leads[add][0][status_id]', '30222787'],
    ['leads[add][1][id]', '8'],
    ['account[subdomain]', 'acme'],
  ]);
  const parsed = parseAmoWebhook(raw, 'application/x-www-form-urlencoded');
  const summary = parsed.events.map((e) => (e.kind === 'entity' ? `${e.entity}:${e.action}:${e.item.id}` : e.kind)).sort();
  assert.deepEqual(summary, ['companies:update:12', 'contacts:add:11', 'leads:add:7', 'leads:add:8']);
  const contact = parsed.events.find((e) => e.kind === 'entity' && e.item.id === 11);
  assert.ok(contact && contact.kind === 'entity');
  assert.deepEqual(contact.item.custom_fields[0], { id: 5, code: 'PHONE', values: [{ value: '+79990000000', enum: '101' }] });
});

test('unsorted accept becomes a decision with the resulting lead ids', () => {
  const raw = form([
    ['unsorted[delete][0][action]', 'accept'],
    ['unsorted[delete][0][uid]', 'e2b2c1a0-0000-4000-8000-000000000001'],
    ['unsorted[delete][0][category]', 'forms'],
    ['unsorted[delete][0][accept_result][leads][0]', '9001'],
    ['unsorted[delete][0][accept_result][contacts][0]', '9002'],
    ['account[id]', '29085955'],
  ]);
  const parsed = parseAmoWebhook(raw, 'application/x-www-form-urlencoded; charset=UTF-8');
  assert.equal(parsed.events.length, 1);
  const e = parsed.events[0]!;
  assert.equal(e.kind, 'unsorted_decision');
  if (e.kind !== 'unsorted_decision') return;
  assert.equal(e.decision, 'accept');
  assert.equal(e.uid, 'e2b2c1a0-0000-4000-8000-000000000001');
  assert.deepEqual(e.leadIds, [9001]);
});

test('Digital Pipeline hook with a big index and a widget JSON action', () => {
  const dp = parseAmoWebhook(
    form([
      ['leads[status][1500][id]', '77'],
      ['leads[status][1500][status_id]', '143'],
      ['leads[status][1500][pipeline_id]', '5'],
    ]),
    'application/x-www-form-urlencoded',
  );
  assert.equal(dp.events.length, 1);
  assert.ok(dp.events[0]!.kind === 'entity' && dp.events[0]!.item.id === 77 && dp.events[0]!.item.status_id === 143);

  const widget = parseAmoWebhook(
    JSON.stringify({
      event: {
        type: 14,
        type_code: 'lead_appeared_in_status',
        data: { id: 555, element_type: 2, status_id: 142, pipeline_id: 3, direction_of_movement: 'forward' },
        time: 1700000000,
      },
      action: { settings: { widget: { settings: { quiz_id: '42' } } } },
      subdomain: 'acme',
      account_id: 29085955,
    }),
    'application/json',
  );
  assert.deepEqual(widget.account, { id: 29085955, subdomain: 'acme' });
  assert.deepEqual(widget.events, [
    {
      kind: 'widget',
      type: 14,
      typeCode: 'lead_appeared_in_status',
      leadId: 555,
      statusId: 142,
      pipelineId: 3,
      time: 1700000000,
      settings: { quiz_id: '42' },
    },
  ]);
});

test('unknown shapes are ignored rather than thrown on', () => {
  assert.deepEqual(parseAmoWebhook('', 'application/x-www-form-urlencoded'), { account: {}, events: [] });
  assert.deepEqual(parseAmoWebhook({ something: 'else' }, undefined).events, []);
});
