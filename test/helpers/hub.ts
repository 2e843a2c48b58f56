// Builds a whole hub for one test: a fresh database, the real app, torn down after the test.
import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type HubConfig } from '../../src/config.js';
import { MODULES, settingGroups, startHub, type StartedHub } from '../../src/app.js';
import { CONNECTORS } from '../../src/connectors/index.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import type { AnyModule } from '../../src/platform/module.js';
import type { Role } from '../../src/platform/hub.js';
import { freshDatabase } from './db.js';
import { scanHub, secretValues } from './secrets-scan.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestHub extends StartedHub {
  readonly config: HubConfig;
  /** Every log line the hub wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  readonly admin: { authorization: string };
}

export interface TestHubOptions {
  readonly env?: Record<string, string>;
  readonly modules?: readonly AnyModule[];
  /** A test that stores a secret in the clear on purpose (to show the scan) turns the scan at close off. */
  readonly skipSecretScan?: boolean;
  /** Replaces the connectors (e.g. an amoCRM connector on a moved clock). */
  readonly connectors?: readonly AnyModule[];
  readonly role?: Role;
}

export async function testHub(t: TestContext | undefined, opts: TestHubOptions = {}): Promise<TestHub> {
  const fresh = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-test-'));
  // The settings of exactly the parts this hub runs (a test's own module declares its own).
  const groups = settingGroups([...(opts.connectors ?? CONNECTORS), ...(opts.modules ?? MODULES)]);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    HUB_SECRET_KEY: TEST_SECRET_KEY,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'debug',
    PORT: '0',
    JOB_MONITOR_SECONDS: '1',
    ...(fresh.databaseUrl ? { DATABASE_URL: fresh.databaseUrl } : {}),
    ...opts.env,
  };
  const config = loadConfig(env, { groups });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const log = createLogger({ level: config.logLevel, pretty: false, destination: sink });
  const started = await startHub(config, {
    role: opts.role,
    log,
    database: fresh.database,
    modules: opts.modules,
    connectors: opts.connectors,
  });
  const hub: TestHub = {
    ...started,
    config,
    logs,
    admin: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    async close() {
      // Before the database closes: nothing the hub logged or stored may hold a secret in the clear.
      const leaks = opts.skipSecretScan
        ? []
        : // A test that already shut the database down (an outage test) leaves nothing to scan there.
          await scanHub({ logs, database: started.hub.database, known: [TEST_ADMIN_TOKEN, ...secretValues(env, groups)] }).catch(() => []);
      await started.close();
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
      if (leaks.length) throw new Error(`secrets in the clear:\n  ${leaks.join('\n  ')}`);
    },
  };
  t?.after(() => hub.close());
  return hub;
}

/** Resolves when `predicate` holds for a job event, or rejects after `ms` (a bound, not a sleep). */
export function waitForJob(
  hub: StartedHub,
  predicate: (e: { queue: string; id: string; state: string; output?: unknown }) => boolean,
  ms = 60_000,
): Promise<{ queue: string; id: string; state: string; output?: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      hub.hub.jobs.off('job', on);
      reject(new Error(`no matching job event within ${ms} ms`));
    }, ms);
    const on = (e: { queue: string; id: string; state: string; output?: unknown }) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      hub.hub.jobs.off('job', on);
      resolve(e);
    };
    hub.hub.jobs.on('job', on);
  });
}

/** Polls an async condition until it holds (for state that lands in the database). Bounded. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
