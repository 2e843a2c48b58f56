import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { fetch } from 'undici';
import { form, REDIRECT_URI, startEmulator, startReceiver, type Started } from './helpers.js';

const OAUTH_TYPE = 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson';

async function consent(s: Started, query: string): Promise<URL> {
  const res = await fetch(`${s.origin}/oauth?client_id=${s.emu.defaults.clientId}&${query}`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')!);
}

async function token(s: Started, fields: Record<string, string>, asJson = false) {
  const all = { client_id: s.emu.defaults.clientId, client_secret: s.emu.defaults.clientSecret, redirect_uri: REDIRECT_URI, ...fields };
  const init = asJson ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(all) } : form(all);
  const res = await fetch(`${s.base}/oauth2/access_token`, { method: 'POST', ...init });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
}

test('consent redirects with code, referer, state and client_id; deny gives access_denied; from_widget variant', async (t) => {
  const s = await startEmulator(t);
  const allowed = await consent(s, 'state=csrf-1&mode=post_message&_emulator_decision=allow');
  assert.equal(`${allowed.origin}${allowed.pathname}`, REDIRECT_URI);
  assert.match(allowed.searchParams.get('code')!, /^def50200/);
  assert.equal(allowed.searchParams.get('referer'), 'testaccount.amocrm.ru');
  assert.equal(allowed.searchParams.get('state'), 'csrf-1');
  assert.equal(allowed.searchParams.get('client_id'), s.emu.defaults.clientId);
  assert.equal(allowed.searchParams.get('from_widget'), null);

  const widget = await consent(s, 'state=w&_emulator_decision=allow&_emulator_from_widget=1');
  assert.equal(widget.searchParams.get('from_widget'), '1');

  const denied = await consent(s, 'state=csrf-2&_emulator_decision=deny');
  assert.equal(denied.searchParams.get('error'), 'access_denied');
  assert.equal(denied.searchParams.get('state'), 'csrf-2');
  assert.equal(denied.searchParams.get('code'), null);

  const page = await fetch(`${s.origin}/oauth?client_id=${s.emu.defaults.clientId}&state=x`);
  const html = await page.text();
  assert.match(html, /<form method="post" action="\/oauth\/decision">/);
  const posted = await fetch(`${s.origin}/oauth/decision`, {
    method: 'POST',
    redirect: 'manual',
    ...form({ client_id: s.emu.defaults.clientId, state: 'x', account: 'testaccount', decision: 'allow' }),
  });
  assert.equal(posted.status, 302);
  assert.ok(new URL(posted.headers.get('location')!).searchParams.get('code'));
});

test('codes are single-use, expire after 20 minutes on the emulated clock, and need the saved redirect_uri', async (t) => {
  const s = await startEmulator(t, { autoConsent: 'allow' });
  const code = (await consent(s, 'state=a')).searchParams.get('code')!;

  const wrongRedirect = await token(s, { grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb' });
  assert.equal(wrongRedirect.status, 400);
  assert.equal(wrongRedirect.body.hint, 'Invalid redirect URI');

  const first = await token(s, { grant_type: 'authorization_code', code }, true);
  assert.equal(first.status, 200);
  assert.equal(first.body.token_type, 'Bearer');
  assert.equal(first.body.expires_in, 86400);
  const again = await token(s, { grant_type: 'authorization_code', code });
  assert.equal(again.status, 400);
  assert.equal(again.body.type, OAUTH_TYPE);
  assert.equal(again.body.hint, 'Authorization code has been revoked');

  const late = (await consent(s, 'state=b')).searchParams.get('code')!;
  s.emu.control.clock.advance(20 * 60 + 1);
  const expired = await token(s, { grant_type: 'authorization_code', code: late });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.hint, 'Authorization code has expired');
});

test('a wrong client secret is 401 "Некорректный клиент"; tokens are RS256 JWTs with amoCRM claims', async (t) => {
  const s = await startEmulator(t);
  const code = s.emu.control.oauth.authorize();
  const bad = await token(s, { grant_type: 'authorization_code', code, client_secret: 'nope' });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.title, 'Некорректный клиент');
  assert.equal(bad.body.type, OAUTH_TYPE);
  assert.match(String(bad.type), /application\/problem\+json/);

  const ok = await token(s, { grant_type: 'authorization_code', code });
  const [header, payload, signature] = String(ok.body.access_token).split('.');
  assert.ok(signature && signature.length > 100);
  assert.equal(JSON.parse(Buffer.from(header!, 'base64url').toString()).alg, 'RS256');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  assert.equal(claims.aud, s.emu.defaults.clientId);
  assert.equal(claims.account_id, 31000001);
  assert.equal(claims.exp - claims.iat, 86400);
  assert.equal(claims.base_domain, 'amocrm.ru');
  assert.equal(claims.api_domain, 'api-b.amocrm.ru');
  assert.ok(Array.isArray(claims.scopes) && claims.scopes.includes('crm'));
  for (const k of ['jti', 'nbf', 'sub']) assert.ok(claims[k] !== undefined, k);
});

test('refresh rotates the pair; the old refresh token works until the new pair is used, then "Token has been revoked"', async (t) => {
  const s = await startEmulator(t);
  const pair0 = s.emu.control.oauth.issueTokens();
  const r1 = await token(s, { grant_type: 'refresh_token', refresh_token: pair0.refresh_token });
  assert.equal(r1.status, 200);
  assert.notEqual(r1.body.refresh_token, pair0.refresh_token);

  // The response was "lost": retrying with the old token is allowed and replaces the unused pair.
  const retry = await token(s, { grant_type: 'refresh_token', refresh_token: pair0.refresh_token });
  assert.equal(retry.status, 200);
  const lostPair = await s.api('/api/v4/account', { token: String(r1.body.access_token) });
  assert.equal(lostPair.status, 401, 'the pair thrown away by the retry no longer works');

  // First use of the new pair ends the grace period of the old refresh token.
  assert.equal((await s.api('/api/v4/account', { token: String(retry.body.access_token) })).status, 200);
  const reuse = await token(s, { grant_type: 'refresh_token', refresh_token: pair0.refresh_token });
  assert.equal(reuse.status, 401);
  assert.equal(reuse.body.hint, 'Token has been revoked');
  assert.equal(reuse.body.type, OAUTH_TYPE);

  const unknown = await token(s, { grant_type: 'refresh_token', refresh_token: 'def50200nonsense' });
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.hint, 'Token has been revoked');
});

test('strict rotation: the previous refresh token dies at once', async (t) => {
  const s = await startEmulator(t, { oauth: { rotation: 'strict' } });
  const pair0 = s.emu.control.oauth.issueTokens();
  assert.equal((await token(s, { grant_type: 'refresh_token', refresh_token: pair0.refresh_token })).status, 200);
  const reuse = await token(s, { grant_type: 'refresh_token', refresh_token: pair0.refresh_token });
  assert.equal(reuse.status, 401);
  assert.equal(reuse.body.hint, 'Token has been revoked');
});

test('access tokens answer 401 after 24 h; refresh tokens expire after 90 days', async (t) => {
  const s = await startEmulator(t);
  const pair = s.emu.control.oauth.issueTokens();
  assert.equal((await s.api('/api/v4/account', { token: pair.access_token })).status, 200);
  s.emu.control.clock.advance(86400);
  const expired = await s.api('/api/v4/account', { token: pair.access_token });
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('content-type')!, /application\/problem\+json/);
  assert.ok(expired.headers.get('x-request-id'));

  const refreshed = await token(s, { grant_type: 'refresh_token', refresh_token: pair.refresh_token });
  assert.equal(refreshed.status, 200, 'a refresh token outlives the access token');
  s.emu.control.clock.advance(91 * 86400);
  const old = await token(s, { grant_type: 'refresh_token', refresh_token: String(refreshed.body.refresh_token) });
  assert.equal(old.status, 401);
  assert.equal(old.body.hint, 'Token has expired');
});

test('disconnect revokes tokens and sends the signed GET hook; rotating the secret revokes tokens too', async (t) => {
  const receiver = await startReceiver(t);
  const s = await startEmulator(t, { disconnectHookUrl: receiver.url });
  const result = await s.emu.control.disconnect();
  assert.equal(result.hookStatus, 200);
  assert.equal((await s.api('/api/v4/account')).status, 401);
  const hit = receiver.hits[0]!;
  assert.equal(hit.method, 'GET');
  assert.equal(hit.headers['user-agent'], 'amoService-oAuth-Code-Sender/1.0');
  const q = new URL(hit.url, 'http://x').searchParams;
  assert.equal(q.get('client_uuid'), s.emu.defaults.clientId);
  assert.equal(q.get('account_id'), '31000001');
  const expected = createHmac('sha256', s.emu.defaults.clientSecret).update(`${s.emu.defaults.clientId}|31000001`).digest('hex');
  assert.equal(q.get('signature'), expected);

  const pair = s.emu.control.oauth.issueTokens();
  assert.equal((await s.api('/api/v4/account', { token: pair.access_token })).status, 200);
  const secret = s.emu.control.rotateSecret();
  assert.equal((await s.api('/api/v4/account', { token: pair.access_token })).status, 401);
  const oldSecret = await token(s, { grant_type: 'authorization_code', code: s.emu.control.oauth.authorize() });
  assert.equal(oldSecret.status, 401);
  const newSecret = await token(s, { grant_type: 'authorization_code', code: s.emu.control.oauth.authorize(), client_secret: secret });
  assert.equal(newSecret.status, 200);
});
