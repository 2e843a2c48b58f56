import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  loadConfig,
  processEnvironment,
  settingsMarkdown,
  settingsOf,
  SETTINGS,
  type SettingGroup,
} from '../../src/config.js';
import { loadHubConfig, settingGroups } from '../../src/app.js';
import { amocrmConnector } from '../../src/connectors/amocrm/index.js';
import { settingGroupOf } from '../../src/platform/module.js';

test('defaults give a working embedded configuration', () => {
  const c = loadConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, './data');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.publicUrl, 'http://127.0.0.1:8080');
  const amo = settingsOf(loadHubConfig({}), settingGroupOf(amocrmConnector));
  assert.equal(amo.redirectUri, undefined, 'the connector defaults it to PUBLIC_URL/connect/amocrm/callback');
  assert.equal(amo.rateLimitPerSecond, 7);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(amo), 'config is frozen');
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
  assert.throws(() => loadHubConfig({ AMO_CLIENT_ID: 'abc' }), /AMO_CLIENT_ID and AMO_CLIENT_SECRET must be set together/);
  assert.throws(() => loadHubConfig({ AMO_BASE_URL_TEMPLATE: 'https://amocrm.ru' }), /\{subdomain\}/);
  const c = loadConfig({ OUTBOUND_ALLOW_HOSTS: ' 127.0.0.1, onec.local:8443 ,', LOG_PRETTY: 'yes' });
  assert.deepEqual(c.outbound.allowHosts, ['127.0.0.1', 'onec.local:8443']);
  assert.equal(c.logPretty, true);
});

test('the settings table documents every setting, the platform’s and every connector’s and module’s', () => {
  const groups = settingGroups();
  const md = settingsMarkdown(groups);
  for (const s of SETTINGS) assert.ok(md.includes(`\`${s.env}\``), s.env);
  for (const g of groups) for (const s of Object.values(g.settings)) assert.ok(md.includes(`\`${s.env}\``), s.env);
  assert.ok(md.includes('`QUIZ_JWT_SECRET`') && md.includes('`TRACKING_RATE_LIMIT_PER_MINUTE`') && md.includes('`AMO_CLIENT_ID`'));
});

test('a group’s settings are parsed with the platform’s: typed values, bad ones named, checks after parsing', () => {
  const group = {
    name: 'demo',
    settings: {
      retries: { env: 'DEMO_RETRIES', kind: 'int', default: '3', min: 0, description: 'retries' },
      mode: { env: 'DEMO_MODE', kind: 'enum', values: ['a', 'b'], description: 'mode' },
    },
    check: (v: { mode?: string }) => (v.mode === 'b' ? ['DEMO_MODE b needs something'] : []),
  } as const satisfies SettingGroup;
  const c = loadConfig({ DEMO_RETRIES: '5' }, { groups: [group] });
  assert.deepEqual({ ...settingsOf(c, group) }, { retries: 5, mode: undefined });
  assert.throws(
    () => loadConfig({ DEMO_RETRIES: 'x', PORT: 'y' }, { groups: [group] }),
    (err: unknown) => err instanceof ConfigError && err.problems.length === 2,
  );
  assert.throws(() => loadConfig({ DEMO_MODE: 'b' }, { groups: [group] }), /needs something/);
  assert.throws(() => settingsOf(loadConfig({}), group), /not loaded/);
});

test('TRUST_PROXY is off by default; true, a hop count or proxy addresses/CIDRs are accepted, anything else named', () => {
  assert.equal(loadConfig({}).trustProxy, false, 'X-Forwarded-For names no client unless a proxy is trusted');
  assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,fd00::/8, Loopback' }).trustProxy, [
    '10.0.0.0/8',
    '127.0.0.1',
    'fd00::/8',
    'loopback',
  ]);
  assert.deepEqual(loadConfig({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '30' }).authFailures, { limit: 5, windowMs: 30_000 });
  for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1', '::1/129', '1000']) {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: bad }),
      (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && /TRUST_PROXY/.test(err.message),
      bad,
    );
  }
  assert.throws(() => loadConfig({ AUTH_FAILURE_LIMIT: '0' }), /AUTH_FAILURE_LIMIT must be at least 1/);
});

test('.env in the working directory fills settings the environment leaves unset; the environment wins', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-dotenv-'));
  const saved = Object.fromEntries(['PORT', 'LOG_LEVEL', 'PUBLIC_URL', PROBE].map((k) => [k, process.env[k]]));
  for (const k of Object.keys(saved)) delete process.env[k];
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });
  assert.equal(processEnvironment(dir)[PROBE], undefined, 'no file: the environment as it is');
  assert.equal(loadConfig(processEnvironment(dir)).envFile, undefined);

  writeFileSync(
    join(dir, '.env'),
    `# the operator's file\nPORT=4100\nLOG_LEVEL="debug"\n${PROBE}=from-file\nPUBLIC_URL=https://hub.example.ru/ # a comment\n`,
  );
  assert.equal(processEnvironment(dir)[PROBE], 'from-file');
  process.env[PROBE] = 'from-environment';
  const env = processEnvironment(dir);
  assert.equal(env[PROBE], 'from-environment', 'a real environment variable wins');
  assert.equal(process.env.PORT, undefined, 'the file is not copied into process.env');
  const config = loadConfig(env);
  assert.equal(config.envFile, join(dir, '.env'));
  assert.equal(config.port, 4100);
  assert.equal(config.logLevel, 'debug', 'quotes are the file syntax, not the value');
  assert.equal(config.publicUrl, 'https://hub.example.ru');

  writeFileSync(join(dir, '.env'), 'PORT=not-a-port\n');
  assert.throws(() => loadConfig(processEnvironment(dir)), /PORT/, 'a bad value from the file is named like any other');
});

const PROBE = 'HUB_TEST_DOTENV_PROBE';
