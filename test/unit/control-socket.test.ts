// The control socket on its own, with a stand-in for the command runner: the protocol, the file's mode and life,
// concurrent commands, a close while one runs, and the cases where nothing may be forwarded.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { forwardCommand, openControlSocket, type RunCommand } from '../../src/cli/control-socket.js';

const log = pino({ level: 'silent' });

function folder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-ctl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function capture() {
  const seen: Array<[string, string]> = [];
  return {
    seen,
    io: { out: (s: string) => void seen.push(['out', s]), err: (s: string) => void seen.push(['err', s]), cwd: '/somewhere' },
  };
}

test('a command line goes over, its output and exit status come back in order', async (t) => {
  const dir = folder(t);
  writeFileSync(join(dir, 'hub.sock'), 'left by a dead hub');
  const calls: Array<{ argv: string[]; cwd?: string }> = [];
  const run: RunCommand = async (argv, io) => {
    calls.push({ argv, cwd: io.cwd });
    io.out('one\n');
    io.err('progress\r');
    io.out('two\n');
    return 3;
  };
  const control = await openControlSocket({ dataDir: dir, log, run });
  assert.ok(control);
  const st = statSync(join(dir, 'hub.sock'));
  assert.ok(st.isSocket(), 'the stale file was replaced by the socket');
  assert.equal(st.mode & 0o777, 0o600);

  const { seen, io } = capture();
  assert.equal(await forwardCommand(dir, ['tracking', 'bot', 'list', '--json'], io), 3);
  assert.deepEqual(calls, [{ argv: ['tracking', 'bot', 'list', '--json'], cwd: '/somewhere' }]);
  assert.deepEqual(seen, [
    ['out', 'one\n'],
    ['err', 'progress\r'],
    ['out', 'two\n'],
  ]);
  await control.close();
  assert.equal(existsSync(join(dir, 'hub.sock')), false, 'closing removes the socket');
  assert.equal(await forwardCommand(dir, ['x'], io), undefined, 'no socket: nothing forwarded');
});

test('commands run side by side; closing waits for the running one and refuses new ones', async (t) => {
  const dir = folder(t);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const slowStarted = new Promise<void>((r) => (entered = r));
  const control = (await openControlSocket({
    dataDir: dir,
    log,
    run: async (argv, io) => {
      if (argv[0] === 'slow') {
        entered();
        await gate;
      }
      io.out(`${argv[0]} done\n`);
      return 0;
    },
  }))!;
  const slow = capture();
  const slowRun = forwardCommand(dir, ['slow'], slow.io);
  await slowStarted;
  const quick = capture();
  assert.equal(await forwardCommand(dir, ['quick'], quick.io), 0, 'not held up by the slow one');
  assert.deepEqual(quick.seen, [['out', 'quick done\n']]);

  const closing = control.close();
  assert.equal(await forwardCommand(dir, ['late'], capture().io), undefined, 'a closing hub takes no new command');
  release();
  await closing;
  assert.equal(await slowRun, 0);
  assert.deepEqual(slow.seen, [['out', 'slow done\n']], 'the running command finished and was answered');
});

test('a malformed request or a failing runner ends with an exit status, never a hang', async (t) => {
  const dir = folder(t);
  const control = (await openControlSocket({
    dataDir: dir,
    log,
    run: async () => {
      throw new Error('runner broke');
    },
  }))!;
  t.after(() => control.close());
  const { seen, io } = capture();
  assert.equal(await forwardCommand(dir, ['anything'], io), 1);
  assert.deepEqual(seen, [['err', 'hub: runner broke\n']]);

  const reply = await new Promise<string>((resolve) => {
    const socket = net.connect(join(dir, 'hub.sock'));
    let text = '';
    socket.on('data', (d) => (text += String(d)));
    socket.on('close', () => resolve(text));
    socket.write('{"argv": "not a list"}\n');
  });
  assert.match(reply, /"exit":64/);
});

test('nothing is forwarded to a socket others may open, or past the longest socket path', async (t) => {
  const dir = folder(t);
  const control = (await openControlSocket({ dataDir: dir, log, run: async () => 0 }))!;
  t.after(() => control.close());
  chmodSync(join(dir, 'hub.sock'), 0o660);
  assert.equal(await forwardCommand(dir, ['x'], capture().io), undefined);
  chmodSync(join(dir, 'hub.sock'), 0o600);
  assert.equal(await forwardCommand(dir, ['x'], capture().io), 0);

  // A folder whose socket path (absolute and relative to the cwd) is too long for sun_path: no socket at all,
  // rather than one Node would create at a truncated path.
  const deep = join(folder(t), 'd'.repeat(120));
  mkdirSync(deep);
  assert.equal(await openControlSocket({ dataDir: deep, log, run: async () => 0 }), undefined);
  assert.equal(await forwardCommand(deep, ['x'], capture().io), undefined);
});
