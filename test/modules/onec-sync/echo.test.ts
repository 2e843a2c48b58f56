// amoCRM stamps updated_at in whole seconds, so the webhook of the hub's own write-back and a manager's edit made in
// that same second carry the same stamp. The webhook's modified_user_id tells them apart: the hub writes as the
// integration's user, so a same-second change by anyone else is pushed to 1C, and the hub's own is not.
// (The emulator edits as the token's user — the integration's; the manager's webhook is fired as amoCRM sends it.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/hub.js';
import { KEY } from './helpers.js';
import { amoApi, outboundBed, quiet, SUB, valueIn } from './outbound-bed.js';

test("a manager's edit in the second of the hub's write-back reaches 1C; the hub's own write in that second does not", async (t) => {
  const { h, f } = await outboundBed(t);
  const api = amoApi(h);
  h.amoEmu.control.clock.freeze(); // every write below lands in one amoCRM second
  t.after(() => h.amoEmu.control.clock.unfreeze());
  const [made] = await api.contacts.create([{ name: 'Одна секунда' }]);
  const counterparty = () => h.onecEmu.control.counterparties('buh').find((c) => c.amoId === String(made!.id));
  const written = await eventually(async () => {
    const c = await api.contacts.get(made!.id);
    return valueIn(c, f.contactId1c) ? c : undefined;
  });
  await quiet(h);
  assert.equal(counterparty()!.writes, 1, 'the write-back echo pushed nothing');

  // The hub's user renames it in the same second: its webhook is taken for the hub's own write.
  await api.contacts.update([{ id: made!.id, name: 'Переименован в ту же секунду' }]);
  const renamed = await api.contacts.get(made!.id);
  assert.equal(renamed!.updated_at, written!.updated_at, 'the same amoCRM second');
  await quiet(h);
  assert.equal(counterparty()!.writes, 1);

  // A manager's change in that second: same updated_at, another modified_user_id → pushed, 1C gets the entity's state.
  const hubUser = (await h.connectors.amo.getAccount(KEY))!.amoUserId!;
  const manager = h.amoEmu.control
    .accounts()
    .find((a) => a.subdomain === SUB)!
    .users.find((u) => u.id !== hubUser)!;
  const item = {
    id: String(made!.id),
    name: 'Переименован в ту же секунду',
    type: 'contact',
    updated_at: String(renamed!.updated_at),
    last_modified: String(renamed!.updated_at),
    modified_user_id: String(manager.id),
  };
  h.amoEmu.control.webhooks.fire({ fields: { contacts: { update: [item] } } }, SUB);
  await eventually(async () => (counterparty()!.writes === 2 ? true : undefined));
  assert.equal(counterparty()!.name, 'Переименован в ту же секунду');
  await quiet(h);
  assert.equal(counterparty()!.writes, 2, 'pushed once; its write-back changes nothing, so no echo follows');
});
