// Status-change webhooks: Standard Webhooks signature, delivery enqueued with the status change, retries on the
// ladder, delivery log, manual redelivery, 410 disabling the endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, type TestHub } from '../../helpers/hub.js';
import { trackingHub, provision, api, admin, parcel } from './helpers.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on a real port that answers with the queued statuses (the last one repeats). */
async function receiver(t: { after: (fn: () => unknown) => void }, statuses: number[]) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      res.end(res.statusCode < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tracking`, received, statuses };
}

function verify(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`)
    .digest('base64');
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

const delivery = async (h: TestHub, id: number) => (await admin(h, 'GET', `/tracking/webhook-deliveries/${id}`)).json();

test('a status change is delivered once, signed by the Standard Webhooks scheme, and logged', async (t) => {
  const h = await trackingHub(t);
  const rx = await receiver(t, [200]);
  const { botId, key } = await provision(h);
  const created = await admin(h, 'POST', `/tracking/bots/${botId}/webhooks`, { url: rx.url });
  assert.equal(created.statusCode, 201, created.body);
  const hook = created.json();
  assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{32}$/);
  const [stored] = await h.hub.database.query<{ secret_sealed: string }>('select secret_sealed from tracking_webhooks where id = $1', [
    hook.id,
  ]);
  assert.ok(!stored!.secret_sealed.includes(hook.secret.slice(6)), 'the secret is stored encrypted');
  assert.ok(!(await admin(h, 'GET', `/tracking/bots/${botId}/webhooks`)).body.includes(hook.secret), 'and never listed');
  assert.equal((await admin(h, 'POST', `/tracking/bots/${botId}/webhooks`, { url: 'ftp://x' })).statusCode, 400);

  const call = api(h, key);
  const tn = (await call('POST', `/tracking/${botId}`, parcel('WH-1'))).json();
  assert.equal((await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'cancelled' })).statusCode, 200);
  assert.equal((await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'issued' })).statusCode, 409);

  await eventually(async () => rx.received.length === 1 && (await delivery(h, 1)).status === 'delivered');
  const [msg] = rx.received;
  assert.ok(verify(hook.secret, msg!), 'the signature verifies with the whsec_ secret');
  assert.match(String(msg!.headers['webhook-id']), /^msg_[0-9a-f]{32}$/);
  assert.ok(Math.abs(Number(msg!.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
  const payload = JSON.parse(msg!.body);
  assert.equal(payload.type, 'tracking.status_changed');
  assert.deepEqual([payload.data.bot_id, payload.data.previous_status, payload.data.status], [botId, 'pending', 'cancelled']);
  assert.equal(payload.data.tracking.tracking_number, 'WH-1');

  const log = (await admin(h, 'GET', `/tracking/webhooks/${hook.id}/deliveries`)).json().deliveries;
  assert.equal(log.length, 1, 'creation and a refused move deliver nothing; the change delivers once');
  assert.deepEqual(
    [log[0].status, log[0].attempts, log[0].last_status_code, log[0].event_id],
    ['delivered', 1, 200, msg!.headers['webhook-id']],
  );
  const d = await delivery(h, log[0].id);
  assert.equal(d.body, msg!.body);
  assert.deepEqual(
    d.attempts_log.map((a: { status_code: number; trigger: string }) => [a.status_code, a.trigger]),
    [[200, 'auto']],
  );
  assert.equal((await admin(h, 'GET', '/tracking/webhook-deliveries/999')).statusCode, 404);
  assert.ok(!JSON.stringify(h.logs).includes(hook.secret), 'logs never contain the secret');
});

test('failed deliveries retry on the ladder with the same webhook-id, end as failed, and can be redelivered; 410 disables', async (t) => {
  const h = await trackingHub(t, { options: { webhookRetryLadderSeconds: [1] } });
  const rx = await receiver(t, [500, 503, 200]);
  const { botId, key } = await provision(h);
  const hook = (await admin(h, 'POST', `/tracking/bots/${botId}/webhooks`, { url: rx.url })).json();
  const call = api(h, key);
  const tn = (await call('POST', `/tracking/${botId}`, parcel('WH-2'))).json();
  await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'in_transit' });

  // Attempt 1 (500) → one retry after ~1 s (503) → the ladder is exhausted: failed.
  const failed = await eventually(async () => {
    const d = await delivery(h, 1);
    return d.status === 'failed' ? d : undefined;
  });
  assert.deepEqual(
    failed.attempts_log.map((a: { status_code: number }) => a.status_code),
    [500, 503],
  );
  assert.equal(failed.attempts, 2);
  assert.equal(rx.received.length, 2);
  assert.equal(rx.received[0]!.headers['webhook-id'], rx.received[1]!.headers['webhook-id'], 'a retry is the same message');
  assert.ok(rx.received.every((r) => verify(hook.secret, r)));

  const again = await admin(h, 'POST', '/tracking/webhook-deliveries/1/redeliver');
  assert.equal(again.statusCode, 202);
  const delivered = await eventually(async () => {
    const d = await delivery(h, 1);
    return d.status === 'delivered' ? d : undefined;
  });
  assert.deepEqual(
    delivered.attempts_log.map((a: { trigger: string; status_code: number }) => [a.trigger, a.status_code]),
    [
      ['auto', 500],
      ['auto', 503],
      ['manual', 200],
    ],
  );
  assert.equal((await admin(h, 'POST', '/tracking/webhook-deliveries/42/redeliver')).statusCode, 404);

  rx.statuses.splice(0, rx.statuses.length, 410);
  await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'delivered' });
  await eventually(async () => (await delivery(h, 2)).attempts === 1);
  const hooks = (await admin(h, 'GET', `/tracking/bots/${botId}/webhooks`)).json().webhooks;
  assert.equal(hooks[0].is_active, false, '410 Gone disables the endpoint');
  assert.equal((await delivery(h, 2)).status, 'failed');
  await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'issued' });
  const [{ n }] = (await h.hub.database.query<{ n: number }>('select count(*)::int as n from tracking_webhook_deliveries')) as [
    { n: number },
  ];
  assert.equal(n, 2, 'a disabled endpoint gets no new deliveries');
});

test('webhook URLs: credentials and private or local targets are refused at creation; a delivery the guard refuses fails at once', async (t) => {
  const h = await trackingHub(t, { env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' }, options: { webhookRetryLadderSeconds: [1] } });
  const rx = await receiver(t, [200]);
  const { botId, key } = await provision(h);
  const create = (url: string) => admin(h, 'POST', `/tracking/bots/${botId}/webhooks`, { url });
  for (const url of [
    'http://10.0.0.5/hooks',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.2]/', // mapped IPv4 loopback, outside the allowed 127.0.0.1
    'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of the metadata address
    'http://[2002:a00:5::1]/', // 6to4 of 10.0.0.5
    'http://localhost:9/hooks',
    'http://localhost.:9/hooks',
    'https://hooks.no-such-host.invalid/x', // does not resolve
  ]) {
    const res = await create(url);
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'BAD_WEBHOOK_URL', url);
  }
  const metadata = await create('http://169.254.169.254/latest/meta-data/');
  assert.match(metadata.body, /169\.254\.169\.254.*OUTBOUND_ALLOW_HOSTS/);
  const withCredentials = await create(`http://hook-user:s3cret-pw@127.0.0.1:${new URL(rx.url).port}/hooks`);
  assert.equal(withCredentials.statusCode, 400);
  assert.match(withCredentials.body, /логин и пароль/);
  assert.ok(!withCredentials.body.includes('s3cret-pw'), 'the password is not echoed');
  const [{ n }] = (await h.hub.database.query<{ n: number }>('select count(*)::int as n from tracking_webhooks')) as [{ n: number }];
  assert.equal(n, 0, 'nothing refused was stored');

  // An endpoint saved before these checks (or whose name now resolves elsewhere): the guard refuses the call at
  // connect time, and the delivery fails at once instead of climbing the retry ladder.
  const hook = (await create(rx.url)).json();
  await h.hub.database.query("update tracking_webhooks set url = 'http://10.0.0.5:9/hooks' where id = $1", [hook.id]);
  const call = api(h, key);
  const tn = (await call('POST', `/tracking/${botId}`, parcel('WH-SSRF'))).json();
  await call('PUT', `/tracking/${botId}/${tn.id}`, { status: 'in_transit' });
  const failed = await eventually(async () => {
    const d = await delivery(h, 1);
    return d.attempts > 0 ? d : undefined;
  });
  assert.equal(failed.status, 'failed', 'no retry: the guard will refuse it every time');
  assert.equal(failed.next_attempt_at, null);
  assert.match(failed.last_error, /refused: private or local address/);
  assert.equal(rx.received.length, 0);
  assert.ok(h.logs.some((l) => l.msg === 'tracking webhook delivery refused by the SSRF guard; not retried'));

  // An old row with credentials is listed without its password.
  await h.hub.database.query("update tracking_webhooks set url = 'https://hook-user:s3cret-pw@127.0.0.1:9/hooks' where id = $1", [hook.id]);
  const listed = await admin(h, 'GET', `/tracking/bots/${botId}/webhooks`);
  assert.ok(!listed.body.includes('s3cret-pw'), listed.body);
  assert.equal(listed.json().webhooks[0].url, 'https://hook-user:***@127.0.0.1:9/hooks');
});
