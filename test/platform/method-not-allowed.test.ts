// A known path asked with a method it is not routed for answers 405 with `Allow` (RFC 9110 §15.5.6), in the
// envelope and language of the module that owns the path; an unknown path stays a 404 — catch-all routes (the
// CORS preflight's `*`) are not counted, or every path would look routed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testHub } from '../helpers/hub.js';
import { provision } from '../modules/tracking/helpers.js';
import { RouteMethods, routePattern } from '../../src/platform/http/route-methods.js';

test('route URLs as patterns: parameters, parameters with their own expression, escaped colons', () => {
  assert.ok(routePattern('/api/v1/tracking/:bot_id').test('/api/v1/tracking/12'));
  assert.ok(!routePattern('/api/v1/tracking/:bot_id').test('/api/v1/tracking/12/more'));
  assert.ok(routePattern('/files/:id(^\\d+).pdf').test('/files/42.pdf'));
  assert.ok(!routePattern('/files/:id(^\\d+).pdf').test('/files/x.pdf'));
  assert.ok(routePattern('/time::now').test('/time:now'));
  assert.ok(!routePattern('/a.b').test('/axb'), 'a dot is a dot');
  const m = new RouteMethods();
  m.add(['GET', 'HEAD'], '/x/:id');
  m.add('DELETE', '/x/:id');
  m.add('OPTIONS', '/x/*');
  assert.deepEqual(m.allowed('/x/1'), ['DELETE', 'GET', 'HEAD']);
  assert.deepEqual(m.allowed('/y'), []);
});

test('405 with Allow in each module envelope; unknown paths and catch-alls stay 404', async (t) => {
  const h = await testHub(t);
  const call = (method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST', url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method, url, headers });

  const customs = await call('GET', '/alta/ptd/export');
  assert.equal(customs.statusCode, 405);
  assert.equal(customs.headers.allow, 'POST');
  assert.equal(customs.json().success, false);
  assert.equal(customs.json().error.code, 'METHOD_NOT_ALLOWED');
  assert.equal(customs.json().error.message, 'Этот метод для этого адреса не поддерживается');

  // Gates that authenticate every request of their scope (tracking's key, SAMBA's Basic) answer 401 first.
  assert.equal((await call('DELETE', '/api/v1/tracking/1')).statusCode, 401);
  const { botId, key } = await provision(h);
  const tracking = await call('DELETE', `/api/v1/tracking/${botId}`, { 'x-api-key': key });
  assert.equal(tracking.statusCode, 405);
  assert.equal(tracking.headers.allow, 'GET, HEAD, POST');
  assert.deepEqual(tracking.json(), { detail: 'Этот метод для этого адреса не поддерживается' });

  const quiz = await call('PUT', '/quiz/account');
  assert.equal(quiz.statusCode, 405);
  assert.equal(quiz.headers['x-error-code'], 'METHOD_NOT_ALLOWED');
  assert.equal(quiz.headers.allow, 'DELETE, GET, HEAD, POST');

  assert.equal((await call('PATCH', '/samba/po')).statusCode, 401);
  const user = { login: 'm405', password: 'm405-password-0123' };
  assert.equal((await h.app.inject({ method: 'POST', url: '/admin/v1/samba/users', headers: h.admin, payload: user })).statusCode, 201);
  const samba = await call('PATCH', '/samba/po', {
    authorization: `Basic ${Buffer.from(`${user.login}:${user.password}`).toString('base64')}`,
  });
  assert.equal(samba.statusCode, 405);
  assert.equal(samba.headers.allow, 'DELETE, GET, HEAD, POST, PUT');
  assert.equal(samba.json().status, 'error');

  // An admin path's methods are in the public OpenAPI document: the 405 needs no token (nothing is run or read).
  const adminWrong = await call('DELETE', '/admin/v1/inbox');
  assert.equal(adminWrong.statusCode, 405);
  assert.equal(adminWrong.json().error.code, 'METHOD_NOT_ALLOWED');
  assert.match(String(adminWrong.headers.allow), /\bGET\b/);

  for (const [method, url] of [
    ['GET', '/alta/nothing-here'],
    ['POST', '/quiz/nothing/here/at/all'],
    ['GET', '/no-such-root'],
  ] as const) {
    const res = await call(method, url);
    assert.equal(res.statusCode, 404, `${method} ${url}`);
    assert.equal(res.headers.allow, undefined);
  }
});
