// The control socket: how `hub <command>` runs while `hub serve` holds an embedded DATA_DIR (PGlite allows one
// process per data folder, so the command cannot open it itself). The serving hub listens on DATA_DIR/hub.sock; a
// command that finds the folder locked sends its command line there and replays what comes back, so its output
// and exit status are what it would have printed on its own.
//
// Who may connect: the socket is bound under umask 0177 and chmod-ed 0600, so only the hub's OS user (and root)
// can open it. Node has no peer-credential check (SO_PEERCRED), so the file mode is the guard. The client, in turn,
// sends a command line only to a socket owned by its own user and closed to group and others: a socket someone else
// put in the folder is never talked to.
//
// Protocol, newline-delimited JSON: the client sends {argv, cwd}; the hub answers {stream: 'out'|'err', data}…,
// then {exit}, and closes. Each connection runs its own command, concurrently with others and with HTTP requests:
// commands call the same services the admin API does, and a long import should not hold up `bot list`.
import net from 'node:net';
import { chmodSync, lstatSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { CliIo } from '../platform/module.js';

export const SOCKET_FILE = 'hub.sock';
/** The longest socket path every platform takes (sun_path: 104 bytes on macOS, 108 on Linux, with the NUL). */
const MAX_SOCKET_PATH = 103;
/** A command line is short; anything longer is not a client of ours. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** What a command writes to, without the exit status (the runner returns that). */
export type CommandOutput = Omit<CliIo, 'setExitCode'>;
/** Runs one command line and resolves to its exit status. */
export type RunCommand = (argv: string[], io: CommandOutput) => Promise<number>;

type Frame = { stream: 'out' | 'err'; data: string } | { exit: number };

/**
 * The address to bind or connect to: the absolute path, or the one relative to the working directory when only
 * that fits. Node silently truncates a longer path, which would put the socket somewhere else; none then.
 */
export function socketAddress(dataDir: string): string | undefined {
  if (process.platform === 'win32') return undefined; // named pipes there, with no file mode to guard them
  const absolute = resolve(dataDir, SOCKET_FILE);
  return [absolute, relative(process.cwd(), absolute)].find((p) => Buffer.byteLength(p) <= MAX_SOCKET_PATH);
}

export interface ControlSocket {
  /** Stops taking command lines and waits for the running ones (their connection closes with them). */
  close(): Promise<void>;
}

/** Listens on DATA_DIR/hub.sock; the caller holds the data folder's lock, so a socket found there is a dead hub's. */
export async function openControlSocket(opts: { dataDir: string; log: Logger; run: RunCommand }): Promise<ControlSocket | undefined> {
  const { log } = opts;
  const file = resolve(opts.dataDir, SOCKET_FILE);
  const address = socketAddress(opts.dataDir);
  if (!address) {
    log.warn(
      { path: file },
      'no control socket (path too long for a Unix socket): `hub` commands cannot run while this hub holds DATA_DIR',
    );
    return undefined;
  }
  if ((statSync(opts.dataDir).mode & 0o022) !== 0)
    log.warn({ dataDir: opts.dataDir }, 'DATA_DIR is writable by other users: they could replace its files; chmod 700 it');
  rmSync(file, { force: true });

  const running = new Set<Promise<void>>();
  const waiting = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    waiting.add(socket);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // the client went away; its command (if any) finishes regardless
    socket.on('close', () => waiting.delete(socket));
    let buffered = '';
    const onData = (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) {
        if (buffered.length > MAX_REQUEST_BYTES) socket.destroy();
        return;
      }
      socket.off('data', onData);
      waiting.delete(socket);
      const job = serveOne(socket, buffered.slice(0, nl), opts.run, log).finally(() => running.delete(job));
      running.add(job);
    };
    socket.on('data', onData);
  });
  // The bind happens inside listen(), synchronously: under this umask the socket never exists with a wider mode.
  const umask = process.umask(0o177);
  try {
    server.listen(address);
  } finally {
    process.umask(umask);
  }
  await new Promise<void>((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  chmodSync(file, 0o600);
  log.debug({ path: file }, 'control socket open');

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((ok) => server.close(() => ok()));
        for (const socket of waiting) socket.destroy(); // connected but sent nothing: nothing of theirs runs
        await Promise.allSettled([...running]);
        await closed;
        rmSync(file, { force: true });
      })();
      return closing;
    },
  };
}

function parseRequest(line: string): { argv: string[]; cwd: string } | undefined {
  try {
    const req = JSON.parse(line) as { argv?: unknown; cwd?: unknown };
    const { argv, cwd } = req;
    if (Array.isArray(argv) && argv.every((a) => typeof a === 'string') && typeof cwd === 'string' && isAbsolute(cwd))
      return { argv: argv as string[], cwd };
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** The command's words, for the log: up to the first option, at most three (values such as names stay out). */
const commandWords = (argv: readonly string[]) => {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 3) break;
    words.push(a);
  }
  return words.join(' ');
};

async function serveOne(socket: net.Socket, line: string, run: RunCommand, log: Logger): Promise<void> {
  const send = (frame: Frame) => {
    if (socket.writable) socket.write(`${JSON.stringify(frame)}\n`);
  };
  const request = parseRequest(line);
  if (!request) {
    send({ stream: 'err', data: 'hub: malformed request on the control socket\n' });
    send({ exit: 64 }); // EX_USAGE
    socket.end();
    return;
  }
  const started = performance.now();
  let exit: number;
  try {
    exit = await run(request.argv, {
      out: (data) => send({ stream: 'out', data }),
      err: (data) => send({ stream: 'err', data }),
      cwd: request.cwd,
    });
  } catch (err) {
    // The runner reports a command's own errors; this is one of the runner's.
    send({ stream: 'err', data: `hub: ${(err as Error).message}\n` });
    exit = 1;
  }
  const clientGone = !socket.writable;
  send({ exit });
  socket.end();
  log.info(
    { command: commandWords(request.argv), exitCode: exit, ms: Math.round(performance.now() - started), clientGone },
    'ran a `hub` command handed over on the control socket',
  );
}

/** A socket this user owns, closed to everyone else: the only kind a command line is sent to. */
function ownSocket(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isSocket() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/**
 * Hands a command line to the hub serving dataDir and replays its output. Resolves to the command's exit status,
 * or to undefined when no hub answers there (no socket, refused, or not this user's) — then nothing ran.
 */
export function forwardCommand(dataDir: string, argv: readonly string[], io: CommandOutput): Promise<number | undefined> {
  const address = socketAddress(dataDir);
  if (!address || !ownSocket(resolve(dataDir, SOCKET_FILE))) return Promise.resolve(undefined);
  return new Promise((done) => {
    const socket = net.connect(address);
    let connected = false;
    let exit: number | undefined;
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ argv, cwd: io.cwd ?? process.cwd() })}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let frame: Frame;
        try {
          frame = JSON.parse(line) as Frame;
        } catch {
          socket.destroy();
          return;
        }
        if ('exit' in frame) exit = frame.exit;
        else if (frame.stream === 'out') io.out(frame.data);
        else io.err(frame.data);
      }
    });
    socket.on('error', () => undefined); // refused or reset: told apart on close
    socket.on('close', () => {
      if (!connected) return done(undefined);
      if (exit === undefined) {
        io.err('hub: the running hub closed the connection before the command finished\n');
        return done(1);
      }
      done(exit);
    });
  });
}
