// Shared set-up of the SAMBA tests: a hub running only this module on a clock the test sets, a user created through
// the admin API, calls with HTTP Basic, and the seed's organisations entered as the operator and SAMBA would.
import type { TestContext } from 'node:test';
import { Command } from 'commander';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createSambaModule } from '../../../src/modules/samba/index.js';
import { sambaCli } from '../../../src/modules/samba/cli.js';
import { partsView, type CliIo } from '../../../src/platform/module.js';

export const USER = { login: 'samba', password: 'samba-password-0123' };

/** A clock the test moves: invoices are dated by it. */
export class TestClock {
  constructor(public at = new Date('2024-10-09T13:57:01Z')) {}
  readonly now = () => this.at;
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

export interface SambaBed {
  readonly h: TestHub;
  readonly clock: TestClock;
  readonly call: Caller;
}

export type Caller = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => Promise<Answer>;
export interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked field by field
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function admin(h: TestHub, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  return h.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { ...h.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** A caller of /samba with the given Authorization header (none when undefined). */
export function samba(h: TestHub, authorization: string | undefined): Caller {
  return (method, url, body) =>
    h.app.inject({
      method,
      url: `/samba${url}`,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    }) as Promise<Answer>;
}

export async function sambaHub(t: TestContext, clock = new TestClock(), env: Record<string, string> = {}): Promise<SambaBed> {
  const h = await testHub(t, { modules: [createSambaModule({ now: clock.now })], env });
  const res = await admin(h, 'POST', '/samba/users', USER);
  if (res.statusCode !== 201) throw new Error(`user add: ${res.statusCode} ${res.body}`);
  return { h, clock, call: samba(h, basic(USER.login, USER.password)) };
}

/** Asserts a status and returns the parsed envelope. */
export async function expect(res: Promise<Answer> | Answer, status: number) {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return r.json();
}

// The organisations of the seed's examples.
export const TORNADO = { inn: '3526019521', kpp: '352601001', name: 'ТОРНАДО ООО', fullName: 'ООО «ТОРНАДО»' };
export const TRADITION = { inn: '7810751880', kpp: '781001001', name: 'ТРАДИЦИЯ ООО' };
export const ITARGET = { inn: '7726472670', kpp: '772601001', name: '1001101 ООО ( до 31.01.2023 АЙТАРГЕТ ТЕХНОЛОГИИ)' };
export const ALD = { inn: '7725514969', kpp: '772501001', name: 'АЛД Автомотив ООО ', fullName: 'ООО “АЛД Автомотив”' };
export const LIDCOM = { inn: '9909369754', kpp: '774751001', name: '«ЛИДКОМ ИНВЕСТМЕНТС ЛИМИТЕД»' };

export async function customer(h: TestHub, c: { inn: string; kpp?: string; name: string; fullName?: string }) {
  const res = await admin(h, 'POST', '/samba/customers', c);
  if (res.statusCode !== 201) throw new Error(`customer: ${res.statusCode} ${res.body}`);
  return res.json() as { uuid: string; name: string };
}

/** ТОРНАДО with its brand, ЛИДКОМ with contract № 135/19 of 01.10.2019 and campaign У191994 (the seed's §5–6 world). */
export async function tornadoWorld(bed: SambaBed, opts: { advance?: boolean } = {}) {
  const tornado = await customer(bed.h, TORNADO);
  const brand = (await expect(bed.call('POST', '/brands', { name: 'NIKE JUST DO IT', inn_contractor: TORNADO.inn }), 200)).result;
  const lidcom = (await expect(bed.call('POST', '/finaladv', LIDCOM), 200)).result;
  const contract = (
    await expect(
      bed.call('POST', '/finalcontracts', { number: '№ 135/19', date: '20191001', inn_finaladv: LIDCOM.inn, inn_contractor: TORNADO.inn }),
      200,
    )
  ).result;
  const rk = (
    await expect(
      bed.call('POST', '/rk', {
        rk_id: 'У191994',
        name: 'SAMBA|TORNADO|Oct - 2024',
        inn_contractor: TORNADO.inn,
        kpp_contractor: TORNADO.kpp,
        advance: opts.advance ?? false,
        date_start: '20241001',
        date_end: '20241031',
        inn_finaladv: LIDCOM.inn,
        kpp_finaladv: '',
        number_contract: '№ 135/19',
        date_contract: '01.10.2019',
      }),
      200,
    )
  ).result;
  return { tornado, brand, lidcom, contract, rk };
}

/** Runs `hub …` against the test hub; what it wrote and its exit status. */
export async function cli(h: TestHub, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const io: CliIo = { out: (s) => void out.push(s), err: (s) => void err.push(s), setExitCode: (c) => void (exitCode = c) };
  const program = new Command('hub').exitOverride();
  sambaCli()(
    program,
    (fn) =>
      fn(
        h.hub,
        partsView(() => h.apis),
      ),
    io,
  );
  await program.parseAsync(['node', 'hub', ...args]);
  return { out: out.join(''), err: err.join(''), exitCode };
}
