import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHubConfig, startHub } from '../../src/app.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { newControl, probeModule } from '../fixtures/probe-module.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';
import { TEST_SECRET_KEY, waitForJob } from '../helpers/hub.js';

const root = new URL('../..', import.meta.url).pathname;

test(`a worker killed mid-job: the job runs again within seconds (${testBackend()})`, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-crash-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const storage = testBackend() === 'postgres' ? await emptyDatabase() : undefined;
  if (storage) t.after(() => storage.drop());
  const env = {
    DATA_DIR: dataDir,
    HUB_SECRET_KEY: TEST_SECRET_KEY,
    ADMIN_TOKEN: 'crash-test-token',
    JOB_EXPIRE_SECONDS: '5',
    JOB_MONITOR_SECONDS: '1',
    ...(storage?.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  };

  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crash-worker.ts'], {
    cwd: root,
    env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const jobId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /STARTED ([0-9a-f-]{36})/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  // A new process takes over the same storage (the stale data-dir lock is recovered) and runs the job.
  const ctl = newControl();
  const started = await startHub(loadHubConfig(env), {
    role: 'worker',
    log: createLogger({ level: 'silent', pretty: false }),
    modules: [probeModule(ctl)],
  });
  t.after(() => started.close());
  const t0 = Date.now();
  const done = await waitForJob(started, (e) => e.id === jobId && e.state === 'completed', 60_000);
  assert.equal(done.id, jobId);
  assert.equal(ctl.workRuns.length, 1);
  assert.equal(ctl.workRuns[0]!.retryCount, 1, 'the crashed attempt counts as one try');
  t.diagnostic(`recovered in ${Date.now() - t0} ms after restart`);
});
