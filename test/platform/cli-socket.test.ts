// `hub <command>` beside a running hub, as an operator runs it: real processes. Embedded PGlite: the command finds
// DATA_DIR locked and runs inside the serving hub over DATA_DIR/hub.sock, printing what it prints on its own.
// PostgreSQL: commands open the database themselves, as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardCommand } from '../../src/cli/control-socket.js';
import { emptyDatabase, testBackend } from '../helpers/db.js';

const root = new URL('../..', import.meta.url).pathname;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `hub …` as a child process, like `npm run hub -- …` (async, so several can run at once). */
function hub(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return hubIn(root, env, ...args);
}

/** The same from another working directory (bin/hub.js, which finds tsx from the checkout). */
function hubIn(cwd: string, env: Record<string, string>, ...args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [join(root, 'bin/hub.js'), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** `hub serve`, resolved once its banner is out (printed after the HTTP server and the control socket opened). */
async function serve(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; origin: string; banner: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ADMIN_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 90 s:\n${err}`)), 90_000);
    const check = () => {
      const listening = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (!listening || !err.includes('Integration Hub is up')) return;
      clearTimeout(timer);
      resolve(listening[1]!);
    };
    child.stdout.on('data', (d) => ((out += String(d)), check()));
    child.stderr.on('data', (d) => ((err += String(d)), check()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${code}):\n${err}`));
    });
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    origin,
    banner: err,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const bots = async (origin: string, token: string) => {
  const res = await fetch(`${origin}/admin/v1/tracking/bots`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as unknown };
};

test(
  'embedded: commands run inside the running hub with the same output and exit status',
  { skip: testBackend() !== 'pglite' },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-sock-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    // The first command creates and migrates the data folder, and shows the admin token it created (once).
    const init = await hub(env, 'tracking', 'bot', 'list');
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stderr, /Admin token \(shown once/);
    // Failing commands with no hub running.
    const failing = [
      ['tracking', 'key', 'revoke', '999'], // fails inside withHub: in the hub, once it runs
      ['tracking', 'bot', 'create', '--id', 'x', '--name', 'A'], // refused while parsing: never handed over
      ['nope'],
    ];
    const alone = await Promise.all(failing.map((args) => hub(env, ...args)));
    for (const r of alone) assert.notEqual(r.status, 0);

    const running = await serve(env);
    t.after(() => void running.child.kill('SIGKILL'));
    const sock = join(dataDir, 'hub.sock');
    const st = statSync(sock);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600, 'only the hub’s user may open the socket');

    // Several at once: each connection runs its own command.
    const [rotated, created, accounts, secondServe, ...beside] = await Promise.all([
      hub(env, 'admin', 'token', '--rotate'),
      hub(env, 'tracking', 'bot', 'create', '--name', 'Demo'),
      hub(env, 'amocrm', 'accounts'),
      hub(env, 'serve'),
      ...failing.map((args) => hub(env, ...args)),
    ]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).name, 'Demo');
    assert.equal(created.stderr, '');
    assert.equal(rotated.status, 0, rotated.stderr);
    const first = rotated.stdout.trim();
    assert.match(first, /^hub_admin_/);
    const listed = await bots(running.origin, first);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      (listed.body as { bots: Array<{ name: string }> }).bots.map((b) => b.name),
      ['Demo'],
      'the bot is in the running hub’s database',
    );
    assert.deepEqual([accounts.status, accounts.stdout], [0, 'no amoCRM accounts connected\n']);

    assert.notEqual(secondServe.status, 0, 'a second serve still refuses the locked folder');
    assert.match(secondServe.stderr, /in use by another hub process/);
    assert.ok(existsSync(sock), 'and leaves the running hub’s socket alone');

    for (const [i, r] of beside.entries()) {
      assert.deepEqual(
        { status: r.status, stdout: r.stdout, stderr: r.stderr },
        { status: alone[i]!.status, stdout: alone[i]!.stdout, stderr: alone[i]!.stderr },
        `\`hub ${failing[i]!.join(' ')}\` prints the same beside the hub`,
      );
    }
    assert.match(beside[0]!.stderr, /^hub: /);

    // Rotation in the running hub takes effect there at once (no minute of the old token); an import names its
    // files relative to the operator's directory, not the hub's.
    const work = mkdtempSync(join(tmpdir(), 'hub-sock-work-'));
    t.after(() => rmSync(work, { recursive: true, force: true }));
    writeFileSync(join(work, 'in.csv'), 'tracking_number,client_code\nAB123456,C1\n,C2\n');
    const botId = String(JSON.parse(created.stdout).id);
    const [again, imported] = await Promise.all([
      hub(env, 'admin', 'token', '--rotate'),
      hubIn(work, env, 'tracking', 'import', '--bot', botId, 'in.csv', '--report', 'errors.csv'),
    ]);
    assert.equal(imported.status, 2, 'one row failed: exit 2, as on its own');
    assert.equal(JSON.parse(imported.stdout).created, 1);
    assert.match(imported.stderr, /100% строк: 2/);
    assert.match(readFileSync(join(work, 'errors.csv'), 'utf8'), /^line,tracking_number,error\n3,/);
    assert.equal(again.status, 0, again.stderr);
    const second = again.stdout.trim();
    assert.notEqual(second, first);
    assert.equal((await bots(running.origin, second)).status, 200);
    assert.equal((await bots(running.origin, first)).status, 401);

    // In-process: a socket open to others is never sent a command line; the hub's own is.
    const output = { out: '', err: '' };
    const io = { out: (s: string) => void (output.out += s), err: (s: string) => void (output.err += s), cwd: root };
    chmodSync(sock, 0o666);
    assert.equal(await forwardCommand(dataDir, ['tracking', 'bot', 'list'], io), undefined);
    chmodSync(sock, 0o600);
    assert.equal(await forwardCommand(dataDir, ['tracking', 'bot', 'list'], io), 0);
    assert.equal(JSON.parse(output.out)[0].name, 'Demo');

    assert.equal(await running.stop(), 0);
    assert.equal(existsSync(sock), false, 'the socket goes with the hub');
    const after = await hub(env, 'tracking', 'bot', 'list');
    assert.equal(after.status, 0, after.stderr);
    assert.equal(JSON.parse(after.stdout)[0].name, 'Demo', 'and commands open the folder themselves again');
  },
);

test('PostgreSQL: commands open the database themselves beside a running hub', { skip: testBackend() !== 'postgres' }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-sock-pg-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const storage = await emptyDatabase();
  t.after(() => storage.drop());
  const env = { DATA_DIR: dataDir, DATABASE_URL: storage.databaseUrl!, HUB_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
  const running = await serve(env);
  t.after(() => void running.child.kill('SIGKILL'));
  assert.equal(existsSync(join(dataDir, 'hub.sock')), false, 'no control socket: nothing is locked');

  const created = await hub(env, 'tracking', 'bot', 'create', '--name', 'Demo');
  assert.equal(created.status, 0, created.stderr);
  assert.equal(JSON.parse(created.stdout).name, 'Demo');
  const token = /\n\s+(hub_admin_\S+)\n/.exec(running.banner)?.[1];
  assert.ok(token, 'a fresh database: the banner shows the generated admin token');
  const listed = await bots(running.origin, token);
  assert.deepEqual(
    (listed.body as { bots: Array<{ name: string }> }).bots.map((b) => b.name),
    ['Demo'],
  );
  assert.equal(await running.stop(), 0);
});
