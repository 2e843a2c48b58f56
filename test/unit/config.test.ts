import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, settingsMarkdown, SETTINGS } from '../../src/config.js';

test('defaults give a working embedded configuration', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, './data');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
  assert.equal(c.amo.redirectUri, 'http://127.0.0.1:8080/quiz/webhook/create');
  assert.equal(c.amo.rateLimitPerSecond, 7);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.amo), 'config is frozen');
});

test('every bad setting is named in one error', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', PUBLIC_URL: 'not a url', BODY_LIMIT_BYTES: '10' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'LOG_LEVEL', 'PUBLIC_URL', 'BODY_LIMIT_BYTES']) assert.match(text, new RegExp(name));
      assert.equal(err.problems.length, 4);
      return true;
    },
  );
});

test('PostgreSQL mode requires HUB_SECRET_KEY; keys must be 32 bytes', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' }), /HUB_SECRET_KEY is required/);
  assert.throws(() => loadConfig({ HUB_SECRET_KEY: 'short' }), /HUB_SECRET_KEY must be 32 bytes/);
  const ok = loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', HUB_SECRET_KEY: 'a'.repeat(64) });
  assert.equal(ok.databaseUrl, 'postgres://x@localhost/db');
});

test('a secret value is never echoed in a config error', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://user:hunter2@@@' }),
    (err: Error) => !err.message.includes('hunter2'),
  );
});

test('paired and templated settings are checked', () => {
  assert.throws(() => loadConfig({ AMO_CLIENT_ID: 'abc' }), /AMO_CLIENT_ID and AMO_CLIENT_SECRET must be set together/);
  assert.throws(() => loadConfig({ AMO_BASE_URL_TEMPLATE: 'https://amocrm.ru' }), /\{subdomain\}/);
  const c = loadConfig({ OUTBOUND_ALLOW_HOSTS: ' 127.0.0.1, onec.local:8443 ,', LOG_PRETTY: 'yes' });
  assert.deepEqual(c.outbound.allowHosts, ['127.0.0.1', 'onec.local:8443']);
  assert.equal(c.logPretty, true);
});

test('the settings table documents every setting', () => {
  const md = settingsMarkdown();
  for (const s of SETTINGS) assert.ok(md.includes(`\`${s.env}\``), s.env);
});
