// Alta's status webhooks end to end: stored in the inbox before the 200, recorded by a worker as the lead's latest
// status; a repeat (same eventId) is acknowledged and not processed again; an older status arriving late never
// replaces a newer one; unknown codes are kept; a wrong token is 401 and a malformed body 400, nothing stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, type TestHub } from '../../helpers/hub.js';
import { admin, customsHub, tokenOf } from './helpers.js';

const LEAD = 31245987;

function post(h: TestHub, path: string, body: unknown, token?: string) {
  return h.app.inject({
    method: 'POST',
    url: `/alta${path}`,
    headers: { 'content-type': 'application/json', ...(token ? { 'x-hub-token': token } : {}) },
    payload: JSON.stringify(body),
  });
}

const statusesOf = async (h: TestHub) =>
  (await admin(h, 'GET', `/customs/leads/${LEAD}/statuses`)).json().statuses as Array<Record<string, unknown>>;
const processed = (h: TestHub, n: number) =>
  eventually(async () => {
    const [row] = await h.hub.database.query<{ n: number }>(
      "select count(*)::int as n from inbox_messages where source = 'alta' and status = 'processed'",
    );
    return row!.n >= n ? row!.n : undefined;
  });

const ptd = (eventId: string, occurredAt: string, status: string, extra: object = {}) => ({
  eventId,
  leadId: LEAD,
  occurredAt,
  status,
  ...extra,
});

test('a ПТД status is stored before the answer and recorded; a repeat is acknowledged, not processed twice', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'alta');
  const body = ptd('alta-1', '2025-03-03T12:40:00+03:00', '10', {
    statusName: 'Выпуск разрешен',
    registrationNumber: '10702070/030325/0012345',
  });
  const res = await post(h, '/ptd/status-webhook', body, token);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { success: true, message: 'Уведомление принято', duplicate: false });
  await processed(h, 1);
  const again = await post(h, '/ptd/status-webhook', body, token);
  assert.deepEqual(again.json(), { success: true, message: 'Уведомление принято', duplicate: true });
  const [status, ...rest] = await statusesOf(h);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    { kind: status!.kind, code: status!.code, label: status!.label, event_id: status!.event_id, details: status!.details },
    {
      kind: 'ptd',
      code: '10',
      label: 'Выпуск без уплаты платежей',
      event_id: 'alta-1',
      details: { statusName: 'Выпуск разрешен', registrationNumber: '10702070/030325/0012345' },
    },
  );
  assert.equal(status!.occurred_at, '2025-03-03T09:40:00.000Z');
  const rows = await h.hub.database.query<{ n: number; headers: Record<string, string>; path: string }>(
    "select count(*) over ()::int as n, headers, path from inbox_messages where source = 'alta'",
  );
  assert.equal(rows[0]!.n, 1, 'the repeat was not stored again');
  assert.equal(rows[0]!.headers['x-hub-token'], '[redacted]', 'the token is not stored with the request');
});

test('an older status arriving late does not replace a newer one; unknown codes are kept; transit statuses apart', async (t) => {
  const h = await customsHub(t);
  const token = await tokenOf(h, 'alta');
  assert.equal((await post(h, '/ptd/status-webhook', ptd('e2', '2025-03-03T12:00:00Z', 'inspection'), token)).statusCode, 200);
  await processed(h, 1);
  assert.equal((await post(h, '/ptd/status-webhook', ptd('e1', '2025-03-03T10:00:00Z', 'registered'), token)).statusCode, 200);
  await processed(h, 2);
  assert.deepEqual(
    (await statusesOf(h)).map((s) => [s.kind, s.code, s.label]),
    [['ptd', 'inspection', 'Идёт досмотр (осмотр)']],
  );
  assert.equal((await post(h, '/ptd/status-webhook', ptd('e3', '2025-03-03T13:00:00Z', 'NEW_ALTA_STATE'), token)).statusCode, 200);
  const transit = {
    eventId: 'td-1',
    leadId: LEAD,
    occurredAt: '2025-02-28T09:00:00+03:00',
    status: 'TR_ALLOWED',
    number: '10716050/280225/0034567',
    openDate: '2025-02-28',
  };
  assert.equal((await post(h, '/transit-declaration/status-webhook', transit, token)).statusCode, 200);
  await processed(h, 4);
  assert.deepEqual(
    (await statusesOf(h)).map((s) => [s.kind, s.code, s.label]),
    [
      ['ptd', 'NEW_ALTA_STATE', null],
      ['transit', 'TR_ALLOWED', 'Выпуск для транзита разрешён'],
    ],
  );
});

test('a wrong or another source token is 401 and a malformed body 400 in the Error shape; nothing is stored', async (t) => {
  const h = await customsHub(t);
  const alta = await tokenOf(h, 'alta');
  const amocrm = await tokenOf(h, 'amocrm');
  const body = ptd('x', '2025-03-03T12:00:00Z', '10');
  for (const token of [undefined, amocrm, `${alta}x`]) {
    const res = await post(h, '/ptd/status-webhook', body, token);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().success, false);
  }
  const bad = await post(h, '/transit-declaration/status-webhook', { ...body, leadId: 'lead', occurredAt: '2025-03-03' }, alta);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    bad
      .json()
      .error.problems.map((p: { field: string }) => p.field)
      .sort(),
    ['leadId', 'occurredAt'],
    'every problem at once, each by field',
  );
  const viaQuery = await h.app.inject({
    method: 'POST',
    url: `/alta/ptd/status-webhook?token=${encodeURIComponent(alta)}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
  assert.equal(viaQuery.statusCode, 200);
  const [row] = await h.hub.database.query<{ path: string }>("select path from inbox_messages where source = 'alta'");
  assert.equal(row!.path, '/alta/ptd/status-webhook?token=***', 'only the accepted call is stored, its token masked');
});
