// The entity sync's input: every route requires key and id_base and the account's credentials; 1C's "" and null
// mean "absent"; wrong types, control characters and unknown events are explained in Russian.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basic, onec } from './helpers.js';
import { syncBed } from './sync-bed.js';

test('sync routes: credentials first, then key/id_base, types and characters, all in the envelope', async (t) => {
  const bed = await syncBed(t);
  const stranger = onec(bed.h, basic(bed.key, 'не-тот-секрет'));
  for (const path of ['clients_contacts', 'clients_companies', 'leads', 'process_event']) {
    const denied = await stranger('POST', `/sync/${path}`, { key: bed.key, id_base: bed.idBase, name: 'X' });
    assert.equal(denied.statusCode, 401, path);
    assert.deepEqual(denied.json(), { success: false, data: null, error: 'Неверный key или секрет интеграции' });
    const noBase = await bed.post(path, { id_base: undefined });
    assert.equal(noBase.status, 400, path);
    assert.match(noBase.body.error!, /отсутствует обязательное поле «id_base»/);
  }
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['clients_contacts', { id: 'abc', name: 'X' }, /поле «id»: недопустимые символы или неверный формат/],
    ['clients_contacts', { name: 'Иван\u0007' }, /поле «name»/],
    ['clients_contacts', { name: { first: 'Иван' } }, /поле «name»: ожидается/],
    ['clients_contacts', { 'bad name': 1, name: 'X' }, /недопустимое имя поля «bad name»/],
    ['clients_companies', { inn: 'x'.repeat(21), name: 'X' }, /поле «inn»/],
    ['leads', { budget: '12,3,4' }, /поле «budget»/],
    ['process_event', { event_name: 'payment', sum: 'много' }, /поле «sum»/],
  ];
  for (const [path, body, error] of cases) {
    const res = await bed.post(path, body);
    assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}`);
    assert.equal(res.body.success, false);
    assert.match(res.body.error!, error);
  }
  // 1C fills absent values with "" and null: a contact with empty id, phone and e-mail is simply a new contact.
  const blank = await bed.post('clients_contacts', {
    id: '',
    id_1c: 'ФЛ-пусто',
    name: 'Пустые поля',
    phone: '',
    email: null,
    responsible_user_id: '',
  });
  assert.equal(blank.status, 200, JSON.stringify(blank.body));
  assert.equal(typeof blank.body.data, 'number');
});
