// What the scale-out test (scale-out.test.ts) runs on: hub processes of one role each (test/fixtures/hub-process.ts,
// `node --import tsx`, their own port), plain HTTP calls to them, and the quiz and tracking set-up done through
// the API processes (amoCRM's consent flow against the emulator; directory sync and the rule check run on workers).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { FastifyRequest } from 'fastify';
import { request } from 'undici';
import type { AmoEmulator } from '../../src/emulators/amocrm/index.js';
import { eventually } from '../helpers/hub.js';
import { token } from '../modules/quiz/helpers.js';
import { result as quizResult } from '../modules/quiz/amo-bed.js';
import type { Write } from './scale-effects.js';
import { freePort } from './outage-kit.js';

const root = new URL('../..', import.meta.url).pathname;

/** One hub process with one role, started on a port of its own; SIGKILLed or stopped with SIGTERM. */
export class HubProcess {
  origin = '';
  /** Bodies the probe's inbox handler processed in this process. */
  readonly processed: string[] = [];
  readonly stderr: string[] = [];
  #child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    readonly role: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  get alive(): boolean {
    const c = this.#child;
    return !!c && c.exitCode === null && c.signalCode === null;
  }

  async start(): Promise<void> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/hub-process.ts', '--role', this.role], {
      cwd: root,
      env: { ...process.env, ...this.env, PORT: String(port), SCALE_PROCESS_NAME: this.name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stderr!.on('data', (d) => {
      this.stderr.push(...String(d).split('\n').filter(Boolean));
      if (this.stderr.length > 400) this.stderr.splice(0, this.stderr.length - 200);
    });
    this.origin = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start within 90 s:\n${this.stderr.slice(-20).join('\n')}`)),
        90_000,
      );
      child.stdout!.on('data', (d) => {
        buffered += String(d);
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.startsWith('LISTENING ')) {
            clearTimeout(timer);
            resolve(line.slice('LISTENING '.length));
          } else if (line.startsWith('PROCESSED ')) this.processed.push(line.slice('PROCESSED '.length));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}):\n${this.stderr.slice(-20).join('\n')}`));
      });
    });
  }

  kill(): Promise<void> {
    return this.#exit('SIGKILL');
  }

  stop(): Promise<void> {
    return this.#exit('SIGTERM');
  }

  async #exit(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Answer {
  readonly status: number;
  json(): unknown;
}

/** What a call needs of a hub: where it listens (a HubProcess here, crash.test.ts's own). */
export interface HubAt {
  readonly origin: string;
}

export async function call(
  hub: HubAt,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  const res = await request(`${hub.origin}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: () => JSON.parse(text) };
}

/**
 * A quiz account connected through amoCRM's consent flow, its directories synced and a rule for `quizId` saved and
 * checked; every call goes to `api`, the jobs behind them run on the workers. Answers the quiz API's headers.
 */
export async function setUpQuiz(api: HubAt, emu: AmoEmulator, quizAccount: string, quizId: number): Promise<Record<string, string>> {
  const headers = { authorization: `Bearer ${await token(quizAccount, { expiresIn: '2h' })}` };
  const link = await call(api, 'POST', '/quiz/account', headers);
  assert.equal(link.status, 200);
  const consentUrl = new URL((link.json() as { link: string }).link);
  consentUrl.searchParams.set('_emulator_decision', 'allow');
  const consent = await request(consentUrl);
  await consent.body.dump();
  assert.equal(consent.statusCode, 302);
  const redirect = new URL(String(consent.headers.location));
  assert.equal((await call(api, 'GET', `/quiz/webhook/create${redirect.search}`)).status, 200);
  const tags = await eventually(async () => {
    const res = await call(api, 'GET', '/quiz/tags?size=100', headers);
    const items = (res.json() as { items?: Array<{ ID: number; Entity: string; Name: string }> }).items ?? [];
    return items.length ? items : undefined;
  }, 60_000);
  await eventually(async () => ((await call(api, 'GET', '/quiz/users', headers)).json() as { count: number }).count > 0, 60_000);
  const acc = emu.control.account();
  const main = acc.pipelines.find((p) => p.is_main)!;
  const rule = {
    PerformerID: acc.users.find((u) => !u.isAdmin && u.isActive)!.id,
    PipelineID: main.id,
    StepID: main.statuses.find((s) => s.type === 0)!.id,
    Fieldsrule: { Lead: [{ '1': acc.customFields.leads.find((f) => f.name === 'Комментарий')!.id }] },
    TagsToAdd: { Lead: [tags.find((x) => x.Entity === 'leads' && x.Name === 'quiz')!.ID] },
  };
  assert.equal((await call(api, 'POST', `/quiz/rules/${quizId}`, headers, rule)).status, 200);
  await eventually(
    async () => ((await call(api, 'GET', `/quiz/rules/${quizId}`, headers)).json() as { Status: string }).Status === 'ready',
    60_000,
  );
  return headers;
}

/** One write of the mixed stream the crash and scale-out tests send: a quiz result, a tracking create or a webhook. */
export function sendWrite(
  api: HubAt,
  w: Write,
  to: {
    readonly quizHeaders: Record<string, string>;
    readonly quizId: number;
    readonly tracking: { readonly botId: number; readonly key: string };
  },
): Promise<Answer> {
  if (w.kind === 'quiz') return call(api, 'POST', '/quiz/results', to.quizHeaders, quizResult(to.quizId, w.id));
  if (w.kind === 'tracking')
    return call(
      api,
      'POST',
      `/api/v1/tracking/${to.tracking.botId}`,
      { 'x-api-key': to.tracking.key },
      { tracking_number: w.id, client_code: `C${w.id.slice(-1)}` },
    );
  return call(api, 'POST', '/probe/hook', { 'x-event-id': w.id }, { event: w.id });
}

/** A tracking bot and one API key for it with the given per-minute limit. */
export async function trackingBot(
  api: HubProcess,
  adminToken: string,
  name: string,
  limitPerMinute: number,
): Promise<{ botId: number; key: string }> {
  const admin = { authorization: `Bearer ${adminToken}` };
  const bot = await call(api, 'POST', '/admin/v1/tracking/bots', admin, {
    name,
    username: `@${name.toLowerCase().replace(/\W/g, '_')}_bot`,
  });
  assert.equal(bot.status, 201);
  const botId = (bot.json() as { id: number }).id;
  const key = await call(api, 'POST', `/admin/v1/tracking/bots/${botId}/keys`, admin, { name, rate_limit_per_minute: limitPerMinute });
  assert.equal(key.status, 201);
  return { botId, key: (key.json() as { key: string }).key };
}

/** An amoCRM call as the emulator received it: which hub process sent it (hub-process.ts' headers) and when. */
export interface AmoCall {
  /** When the hub process handed it to its HTTP client (its clock; every process runs on this machine). */
  readonly sent: number;
  /** When the emulator took it in. */
  readonly at: number;
  readonly by: string;
  readonly method: string;
  /** The account-relative path, e.g. `/api/v4/leads/complex`. */
  readonly path: string;
  /** Answered by the emulator's gate before any route (429): it never reached amoCRM's data. */
  readonly refused: boolean;
}

/** Records every call a hub process makes to the emulator; call before the emulator listens. */
export function recordCalls(emu: AmoEmulator): AmoCall[] {
  const calls: AmoCall[] = [];
  const seen = new WeakSet<object>();
  const note = (refused: boolean) => async (req: FastifyRequest) => {
    const by = req.headers['x-hub-process'];
    if (typeof by !== 'string' || seen.has(req)) return;
    seen.add(req);
    const path = req.url.split('?')[0]!.replace(/^\/[^/]+/, '');
    calls.push({ sent: Number(req.headers['x-hub-sent']), at: Date.now(), by, method: req.method, path, refused });
  };
  // The emulator's gate answers a refused call (429) in its own onRequest hook, before this one: those are noted
  // as they are answered.
  emu.app.addHook('onRequest', note(false));
  emu.app.addHook('onResponse', note(true));
  return calls;
}

/** The most of `times` (ms) that fall into any 1-second window. */
export function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** The calls of the busiest second by send time, with sender and arrival: what a failed pacing check shows. */
export function busiestSecond(calls: readonly AmoCall[]): string {
  const sorted = [...calls].sort((a, b) => a.sent - b.sent);
  let best: [number, number] = [0, -1];
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]!.sent - sorted[start]!.sent >= 1000) start++;
    if (end - start > best[1] - best[0]) best = [start, end];
  }
  const t0 = sorted[best[0]]?.sent ?? 0;
  return JSON.stringify(
    sorted.slice(best[0], best[1] + 1).map((c) => `sent +${c.sent - t0} ms, arrived +${c.at - t0} ms: ${c.method} ${c.path} by ${c.by}`),
  );
}
