// What amocrm-outage.test.ts runs against: the amoCRM emulator behind a TCP proxy in this process (cut: connections
// refused; open: the same port again), a hub whose AMO_BASE_URL_TEMPLATE points at the proxy, two quiz accounts
// connected to two amoCRM accounts with a rule each, a steady stream of quiz results, and the counting afterwards.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAmoEmulator, type AmoEmulator } from '../../src/emulators/amocrm/index.js';
import { createQuizModule } from '../../src/modules/quiz/index.js';
import { eventually, testHub, type TestHub } from '../helpers/hub.js';
import { auth, JWT_SECRET } from '../modules/quiz/helpers.js';
import { connectQuiz, result } from '../modules/quiz/amo-bed.js';
import { TcpProxy } from './outage-kit.js';

export const QUIZ_ID = 42;

export interface Account {
  readonly quizAccountId: string;
  readonly subdomain: string;
  /** Result ids of this account start with it, e.g. `a-00017`. */
  readonly prefix: string;
}

export const ACCOUNTS: readonly Account[] = [
  { quizAccountId: 'outage-a', subdomain: 'testaccount', prefix: 'a' },
  { quizAccountId: 'outage-b', subdomain: 'second', prefix: 'b' },
];

export interface Bed {
  readonly emu: AmoEmulator;
  readonly proxy: TcpProxy;
  readonly h: TestHub;
}

/** The emulator, the proxy, a hub with the quiz module (its real delivery settings) and both accounts ready. */
export async function outageBed(t: TestContext): Promise<Bed> {
  const emu = createAmoEmulator({ redirectUri: 'http://127.0.0.1/quiz/webhook/create' });
  const origin = await emu.listen();
  const proxy = new TcpProxy('127.0.0.1', Number(new URL(origin).port));
  await proxy.open();
  const settings = emu.hubSettings();
  // API and token calls go through the proxy; the consent page (a browser's, not the hub's) stays direct.
  settings.AMO_BASE_URL_TEMPLATE = settings.AMO_BASE_URL_TEMPLATE!.replace(origin, `http://127.0.0.1:${proxy.port}`);
  const h = await testHub(t, {
    env: { QUIZ_JWT_SECRET: JWT_SECRET, LOG_LEVEL: 'info', ...settings },
    modules: [createQuizModule()],
  });
  t.after(async () => {
    await proxy.cut();
    await emu.close();
  });
  emu.control.addAccount({ subdomain: 'second', id: 31_000_002 });
  for (const a of ACCOUNTS) {
    await connectQuiz({ emu, h, hubOrigin: '' }, a.quizAccountId, a.subdomain === 'testaccount' ? undefined : a.subdomain);
    await saveRule(h, emu, a);
  }
  return { emu, proxy, h };
}

/** A rule for QUIZ_ID from the account's seeded directories, checked against amoCRM and ready. */
async function saveRule(h: TestHub, emu: AmoEmulator, a: Account): Promise<void> {
  const headers = await auth(a.quizAccountId);
  const acc = emu.control.account(a.subdomain);
  const main = acc.pipelines.find((p) => p.is_main)!;
  const tags = (await h.app.inject({ method: 'GET', url: '/quiz/tags?size=100', headers })).json().items as Array<{
    ID: number;
    Entity: string;
    Name: string;
  }>;
  const rule = {
    PerformerID: acc.users.find((u) => !u.isAdmin && u.isActive)!.id,
    PipelineID: main.id,
    StepID: main.statuses.find((s) => s.type === 0)!.id,
    Fieldsrule: { Lead: [{ '1': acc.customFields.leads.find((f) => f.name === 'Комментарий')!.id }] },
    TagsToAdd: { Lead: [tags.find((x) => x.Entity === 'leads' && x.Name === 'quiz')!.ID] },
  };
  const saved = await h.app.inject({ method: 'POST', url: `/quiz/rules/${QUIZ_ID}`, headers, payload: rule });
  assert.equal(saved.statusCode, 200, saved.body);
  await eventually(async () => (await h.app.inject({ method: 'GET', url: `/quiz/rules/${QUIZ_ID}`, headers })).json().Status === 'ready');
}

export interface Posted {
  readonly account: Account;
  readonly resultId: string;
  readonly status: number;
  readonly at: number;
}

/** One result every `1000 / perSecond` ms, the accounts taking turns, until stopped; every answer is kept. */
export function intake(h: TestHub, perSecond: number) {
  const posted: Posted[] = [];
  let stop = false;
  const done = (async () => {
    const headers = await Promise.all(ACCOUNTS.map((a) => auth(a.quizAccountId)));
    const tick = 1000 / perSecond;
    let next = performance.now();
    for (let n = 0; !stop; n++) {
      const i = n % ACCOUNTS.length;
      const account = ACCOUNTS[i]!;
      const resultId = `${account.prefix}-${String(Math.floor(n / ACCOUNTS.length)).padStart(5, '0')}`;
      const res = await h.app.inject({ method: 'POST', url: '/quiz/results', headers: headers[i]!, payload: result(QUIZ_ID, resultId) });
      posted.push({ account, resultId, status: res.statusCode, at: Date.now() });
      next += tick;
      await sleep(Math.max(0, next - performance.now()));
    }
  })();
  return {
    posted,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/** Holds the current phase until `untilMs` (epoch ms): the outage lasts its length whatever the hub does. */
export const holdUntil = (untilMs: number): Promise<void> => sleep(Math.max(0, untilMs - Date.now()));

type Lead = { id: number; name: string; _embedded: { tags: Array<{ name: string }> } };

/** The account's leads in the emulator by result id (from the lead name), and its marker tags with their counts. */
export function leadsOf(emu: AmoEmulator, a: Account): { byResult: Map<string, number[]>; markers: Map<string, number>; total: number } {
  const leads = emu.control.entities.list('leads', a.subdomain) as unknown as Lead[];
  const byResult = new Map<string, number[]>();
  const markers = new Map<string, number>();
  const prefix = `Заявка с квиза ${QUIZ_ID}: Клиент `;
  for (const l of leads) {
    const id = l.name.startsWith(prefix) ? l.name.slice(prefix.length) : `?${l.name}`;
    byResult.set(id, [...(byResult.get(id) ?? []), l.id]);
    for (const tag of l._embedded.tags) if (tag.name.startsWith('hub:')) markers.set(tag.name, (markers.get(tag.name) ?? 0) + 1);
  }
  return { byResult, markers, total: leads.length };
}

/** Job counts per queue and state, as an operator sees them (GET /admin/v1/jobs/queues). */
export async function queueCounts(h: TestHub): Promise<Array<{ queue: string; counts: Record<string, number> }>> {
  const res = await h.app.inject({ method: 'GET', url: '/admin/v1/jobs/queues', headers: h.admin });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().queues;
}

/** The requests of the busiest sliding second (sorted by arrival), to show what broke the limit. */
export function busiestSecond<T extends { at: number }>(calls: readonly T[]): T[] {
  const sorted = [...calls].sort((x, y) => x.at - y.at);
  let best: T[] = [];
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]!.at - sorted[start]!.at >= 1000) start++;
    if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
  }
  return best;
}

/**
 * Markers of leads that exist in the emulator although no logged request carried them: created by a call whose
 * answer is still on its way (an `answer_lost` fault holding it back; an ordinary call is logged within ms).
 */
export function unansweredMarkers(emu: AmoEmulator): Set<string> {
  const sent = new Set<string>();
  for (const r of emu.control.requests.list({ method: 'POST', path: '/api/v4/leads/complex' }))
    for (const item of Array.isArray(r.body) ? (r.body as Array<{ _embedded?: { tags?: Array<{ name?: string }> } }>) : [])
      for (const tag of item._embedded?.tags ?? []) if (tag.name?.startsWith('hub:')) sent.add(tag.name);
  const held = new Set<string>();
  for (const a of ACCOUNTS) for (const marker of leadsOf(emu, a).markers.keys()) if (!sent.has(marker)) held.add(marker);
  return held;
}
