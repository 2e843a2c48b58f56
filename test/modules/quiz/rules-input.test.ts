// Issue #24, quiz rules: a map key or a field we would never read is a 400 naming it (it was "Success" and then
// silently ignored), and a rule read with GET can be PATCHed back as it is (FieldsRule/lead… spellings), so a
// read-modify-write changes what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auth, body, quizHub, seedConnectedAccount, validRule } from './helpers.js';

async function ready(t: Parameters<typeof quizHub>[0]) {
  const h = await quizHub(t);
  const tags = await seedConnectedAccount(h, 'acc-1');
  const headers = await auth('acc-1');
  const created = await h.app.inject({ method: 'POST', url: '/quiz/rules/42', headers, payload: validRule(tags) });
  assert.equal(created.statusCode, 200, created.body);
  const get = async () => (await h.app.inject({ method: 'GET', url: '/quiz/rules/42', headers })).json();
  const patch = (payload: unknown) => h.app.inject({ method: 'PATCH', url: '/quiz/rules/42', headers, payload: payload as object });
  return { h, headers, tags, get, patch };
}

test('rules: keys outside the documented set are 400s naming the key, in readable Russian; nothing changes', async (t) => {
  const { get, patch, h, headers, tags } = await ready(t);
  const before = await get();
  for (const [payload, name] of [
    [{ Fieldsrule: { Contact: [{ phone: 900017 }] } }, 'phone'],
    [{ Fieldsrule: { Lead: [{ QuestionID: { '1': 9001 } }] } }, 'QuestionID'], // the seed's literal shape
    [{ Fieldsrule: { Lead: [{ utm_foo: 9001 }] } }, 'utm_foo'],
    [{ Fieldsrule: { Company: [{ utm_source: 9201 }] } }, 'utm_source'], // UTM values go to the lead only
    [{ Fieldsrule: { Leads: [{ '1': 9001 }] } }, 'Leads'],
    [{ TagsToAdd: { Leads: [tags.leadTag] } }, 'Leads'],
    [{ Performer: 502 }, 'Performer'],
  ] as const) {
    const res = await patch(payload);
    assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
    assert.equal(res.headers['x-error-code'], 'VALIDATION_FAILED', name);
    const text = String(body(res));
    assert.ok(text.includes(`«${name}»`), `${name} named in: ${text}`);
    assert.doesNotMatch(text, /\bmust\b|\[object Object\]/, text);
  }
  const post = await h.app.inject({
    method: 'POST',
    url: '/quiz/rules/43',
    headers,
    payload: { ...validRule(tags), Fieldsrule: { Contact: [{ phone: 900017 }] } },
  });
  assert.equal(post.statusCode, 400, 'POST refuses it too');
  assert.deepEqual(await get(), before, 'no refused PATCH changed the rule');
});

test('rules: GET → edit → PATCH of the whole answer changes the rule (FieldsRule and Fieldsrule, both key spellings)', async (t) => {
  const { get, patch } = await ready(t);
  const rule = await get();
  rule.FieldsRule.lead = [{ '1': 9002 }];
  rule.StepID = 8001;
  const res = await patch(rule);
  assert.equal(res.statusCode, 200, res.body);
  const after = await get();
  assert.deepEqual(after.FieldsRule.lead, [{ '1': 9002 }], 'the edited map is stored');
  assert.equal(after.StepID, 8001);
  assert.equal(after.ID, rule.ID, 'read-only fields are not changed');

  assert.equal((await patch({ Fieldsrule: { lead: [{ '5': 9001 }], Contact: [{ '6': 9101 }] } })).statusCode, 200);
  const mixed = await get();
  assert.deepEqual([mixed.FieldsRule.lead, mixed.FieldsRule.contact], [[{ '5': 9001 }], [{ '6': 9101 }]]);

  const twice = await patch({ Fieldsrule: { Lead: [{ '1': 9001 }] }, FieldsRule: { lead: [{ '1': 9002 }] } });
  assert.equal(twice.statusCode, 400);
  assert.match(String(body(twice)), /Fieldsrule или FieldsRule/);
  const twiceKey = await patch({ FieldsRule: { Lead: [{ '1': 9001 }], lead: [{ '1': 9002 }] } });
  assert.equal(twiceKey.statusCode, 400);
  assert.match(String(body(twiceKey)), /Lead или lead/);
  assert.deepEqual(await get(), mixed, 'the refused PATCHes changed nothing');
});

test('rules: customer maps are refused with the reason in the answer', async (t) => {
  const { patch } = await ready(t);
  const res = await patch({ Fieldsrule: { Customer: [{ '1': 9001 }] } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.headers['x-error-code'], 'RULE_INVALID');
  assert.match(String(body(res)), /Fieldsrule\.Customer 9001 \(покупатели не поддерживаются: .*complex-lead/);
});
