// The typed webhooks API (GET/POST/DELETE /api/v4/webhooks) against the emulator: subscribing, replacing the
// events of a destination by subscribing it again, listing (all, or one destination), and removing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { amoTestBed, connect } from './helpers.js';

test('webhooks: subscribe, re-subscribe replaces the events, list, deliver, unsubscribe', async (t) => {
  const { emu, amo } = await amoTestBed(t, { emulator: { rateLimit: { enabled: false } } });
  const { account } = await connect(amo);
  const api = amo.api(account.amoAccountId);
  // A receiver on a real port: the emulator delivers to it.
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const destination = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;

  assert.deepEqual(await api.webhooks.list(), []);
  const first = await api.webhooks.subscribe(destination, ['add_contact']);
  assert.equal(first.destination, destination);
  assert.deepEqual(first.settings, ['add_contact']);
  const again = await api.webhooks.subscribe(destination, ['add_contact', 'update_contact']);
  assert.equal(again.id, first.id, 'one webhook per destination');
  await api.webhooks.subscribe('https://elsewhere.example/hook', ['add_lead']);
  assert.equal((await api.webhooks.list()).length, 2);
  const mine = await api.webhooks.list(destination);
  assert.deepEqual(
    mine.map((w) => [w.id, [...w.settings]]),
    [[first.id, ['add_contact', 'update_contact']]],
  );

  const [created] = await api.contacts.create([{ name: 'Иван' }]);
  await emu.control.webhooks.settled();
  assert.equal(received.length, 1);
  assert.match(decodeURIComponent(received[0]!), new RegExp(`contacts\\[add\\]\\[0\\]\\[id\\]=${created!.id}`));

  assert.equal(await api.webhooks.unsubscribe(destination), true);
  assert.equal(await api.webhooks.unsubscribe(destination), false, 'already gone');
  assert.deepEqual(
    (await api.webhooks.list()).map((w) => w.destination),
    ['https://elsewhere.example/hook'],
  );
});
