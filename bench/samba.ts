// SAMBA module: invoice print forms per second by format (pdf, docx, xlsx) through GET /samba/files/po, and
// GET /samba/po reads per second on 10,000 invoices (100 campaigns × 100), each against a bare Fastify route of the
// same run running the module's own SQL and renderer without auth, validation and envelope
// (bench/servers/bare-samba.ts). PostgreSQL; every server and load generator is its own process; rounds alternate
// bare / API and each route's median round is reported, with the median of the per-round ratios and the CPU a
// request costs in the server and in PostgreSQL's backends (from /proc, summed over the rounds).
import pg from 'pg';
import { benchDatabase, startHubProcess, type Server } from './tracking.js';
import { closedLoop, startScript, type LoadResult } from './load.js';
import { measured, type Measured } from './cpu.js';

/** µs of CPU per request over all rounds: `server + PostgreSQL`. */
function cpuPerRequest(runs: readonly Measured[]): string {
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const us = (ms: number) => Math.round((ms * 1000) / Math.max(1, requests)).toLocaleString('en');
  return `${us(runs.reduce((n, r) => n + r.cpu.server, 0))} + ${us(runs.reduce((n, r) => n + r.cpu.postgres, 0))}`;
}

const INVOICES_PER_CAMPAIGN = 100;
const CAMPAIGNS = 100;
const ROUNDS = 3;
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const USER = { login: 'bench', password: 'bench-password-0123' };
const SUPPLIER = {
  SAMBA_SUPPLIER_NAME: 'ООО «РЕКЛАМНОЕ АГЕНТСТВО»',
  SAMBA_SUPPLIER_INN: '7707083893',
  SAMBA_SUPPLIER_KPP: '773601001',
  SAMBA_SUPPLIER_ADDRESS: '117312, г. Москва, ул. Вавилова, д. 19',
  SAMBA_SUPPLIER_BANK: 'ПАО СБЕРБАНК, г. Москва',
  SAMBA_SUPPLIER_BIK: '044525225',
  SAMBA_SUPPLIER_CORR_ACCOUNT: '30101810400000000225',
  SAMBA_SUPPLIER_ACCOUNT: '40702810938000012345',
  SAMBA_SUPPLIER_DIRECTOR: 'Иванов И. И.',
  SAMBA_SUPPLIER_ACCOUNTANT: 'Петрова А. С.',
};
/** The same requisites under the settings' names, for the bare server's buildForm. */
const SUPPLIER_SETTINGS = {
  supplierName: SUPPLIER.SAMBA_SUPPLIER_NAME,
  supplierInn: SUPPLIER.SAMBA_SUPPLIER_INN,
  supplierKpp: SUPPLIER.SAMBA_SUPPLIER_KPP,
  supplierAddress: SUPPLIER.SAMBA_SUPPLIER_ADDRESS,
  supplierBank: SUPPLIER.SAMBA_SUPPLIER_BANK,
  supplierBik: SUPPLIER.SAMBA_SUPPLIER_BIK,
  supplierCorrAccount: SUPPLIER.SAMBA_SUPPLIER_CORR_ACCOUNT,
  supplierAccount: SUPPLIER.SAMBA_SUPPLIER_ACCOUNT,
  supplierDirector: SUPPLIER.SAMBA_SUPPLIER_DIRECTOR,
  supplierAccountant: SUPPLIER.SAMBA_SUPPLIER_ACCOUNTANT,
};

/** A customer through the admin API, then 100 campaigns and their 10,000 invoices straight into the tables. */
async function provision(origin: string, databaseUrl: string): Promise<{ uuid: string; seedSeconds: number }> {
  const adminCall = async (path: string, body: unknown) => {
    const res = await fetch(`${origin}/admin/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  await adminCall('/samba/users', USER);
  const customer = String((await adminCall('/samba/customers', { inn: '3526019521', kpp: '352601001', name: 'ТОРНАДО ООО' })).uuid);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const started = Date.now();
  try {
    await db.query(
      `insert into samba_campaigns (uuid, rk_id, number_mf, name, name_lc, date_start, date_end, advance, contractor_uuid, invoice_seq)
       select gen_random_uuid()::text, 'RK-' || lpad(g::text, 4, '0'), 'У' || lpad(g::text, 6, '0'), 'Bench ' || g, 'bench ' || g,
              '2024-10-01T00:00:00', '2024-10-31T00:00:00', false, $1, $2
         from generate_series(1, $3) g`,
      [customer, INVOICES_PER_CAMPAIGN, CAMPAIGNS],
    );
    await db.query(
      `insert into samba_invoices (uuid, campaign_uuid, number, date, advance, amount_kop, vat_kop, vat_rate)
       select gen_random_uuid()::text, c.uuid,
              'УЛУ' || substr(c.number_mf, 2) || '/' || case when s < 10 then '0' || s else s::text end,
              '2024-10-' || lpad((1 + s % 28)::text, 2, '0') || 'T12:00:00', false,
              100000 + s * 1237, round((100000 + s * 1237) * 20 / 120.0), 20
         from samba_campaigns c cross join generate_series(1, $1) s`,
      [INVOICES_PER_CAMPAIGN],
    );
    await db.query('vacuum analyze samba_invoices');
    await db.query('vacuum analyze samba_campaigns');
    const [row] = (await db.query(`select i.uuid from samba_invoices i where i.number = 'УЛУ000050/07'`)).rows as Array<{ uuid: string }>;
    return { uuid: row!.uuid, seedSeconds: (Date.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}

const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;

export async function runSambaBench(opts: { seconds?: number; postgresUrl?: string } = {}): Promise<string> {
  const seconds = opts.seconds ?? 10;
  const postgresUrl = opts.postgresUrl ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const { databaseUrl, env, drop } = await benchDatabase(postgresUrl, `hub_bench_samba_${process.pid}`);
  const servers: Server[] = [];
  try {
    const hub = await startHubProcess({ ...env, ...SUPPLIER });
    servers.push(hub);
    const bareScript = await startScript('bench/servers/bare-samba.ts', [databaseUrl, JSON.stringify(SUPPLIER_SETTINGS)]);
    const bare = { origin: bareScript.firstLine, pid: bareScript.pid, stop: bareScript.stop };
    servers.push(bare);
    const { uuid, seedSeconds } = await provision(hub.origin, databaseUrl);
    const auth = { authorization: `Basic ${Buffer.from(`${USER.login}:${USER.password}`).toString('base64')}` };
    const number = encodeURIComponent('УЛУ000050/07');
    const pairs = [
      {
        what: 'GET /po?rk_id= (one campaign: 100 invoices)',
        api: `/samba/po?rk_id=RK-0050`,
        bare: `/bare/po?rk_id=RK-0050`,
        connections: 50,
      },
      { what: 'GET /po?number= (one invoice)', api: `/samba/po?number=${number}`, bare: `/bare/po?number=${number}`, connections: 50 },
      ...(['pdf', 'docx', 'xlsx'] as const).map((ext) => ({
        what: `GET /files/po?ext=${ext} (print form)`,
        api: `/samba/files/po?uuid=${uuid}&ext=${ext}`,
        bare: `/bare/files/po?uuid=${uuid}&ext=${ext}`,
        connections: 4,
      })),
    ];
    // Each answer checked once: the API's and the bare route's bodies must be the same size (same rows, same file).
    for (const p of pairs) {
      const a = await fetch(`${hub.origin}${p.api}`, { headers: auth });
      const b = await fetch(`${bare.origin}${p.bare}`);
      const [ta, tb] = [await a.text(), await b.text()];
      if (a.status !== 200 || b.status !== 200) throw new Error(`${p.what}: ${a.status} ${ta.slice(0, 200)} / ${b.status}`);
      if (p.what.startsWith('GET /po') && ta.length !== tb.length)
        throw new Error(`${p.what}: answers differ (${ta.length} / ${tb.length} bytes)`);
    }
    const results = [];
    for (const p of pairs) {
      await closedLoop('warm-up', `${bare.origin}${p.bare}`, { seconds: 2, connections: p.connections });
      await closedLoop('warm-up', `${hub.origin}${p.api}`, { seconds: 2, connections: p.connections, headers: auth });
      const runs: Array<{ bare: Measured; api: Measured }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        const b = await measured(bare.pid, () => closedLoop('bare', `${bare.origin}${p.bare}`, { seconds, connections: p.connections }));
        const a = await measured(hub.pid, () =>
          closedLoop('api', `${hub.origin}${p.api}`, { seconds, connections: p.connections, headers: auth }),
        );
        runs.push({ bare: b, api: a });
      }
      const ratio = median(
        runs.map((r) => r.api.rps / r.bare.rps),
        (x) => x,
      );
      results.push({
        ...p,
        runs,
        ratio,
        bare: median(
          runs.map((r) => r.bare),
          (r) => r.rps,
        ),
        api: median(
          runs.map((r) => r.api),
          (r) => r.rps,
        ),
      });
    }
    const n = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));
    const errors = (r: LoadResult) => r.errors + r.non2xx;
    return [
      `PostgreSQL, ${(CAMPAIGNS * INVOICES_PER_CAMPAIGN).toLocaleString('en')} invoices in ${CAMPAIGNS} campaigns (seeded in ${seedSeconds.toFixed(1)} s). ` +
        'The API routes run the whole stack (HTTP Basic with the verified-password cache, validation, the "or"-group lookup, the envelope); ' +
        'the bare routes (`bench/servers/bare-samba.ts`) run the same SQL, model and renderer with nothing around them. ' +
        `Reads over 50 connections; print forms over 4 (rendering is CPU: more connections only queue). ${ROUNDS} rounds of ${seconds} s, bare and API alternating; the median round is shown, all rounds in brackets. ` +
        "CPU per request: µs in the server + µs in PostgreSQL's backends, summed over the rounds (the load generator not counted).",
      '',
      '| route | bare req/s | API req/s | API ÷ bare (median of rounds) | bare CPU µs/req | API CPU µs/req | API p50 / p99 ms | errors + non-2xx |',
      '|---|---|---|---|---:|---:|---|---|',
      ...results.map(
        (r) =>
          `| ${r.what} | ${n(r.bare.rps)} (${r.runs.map((x) => n(x.bare.rps)).join(' / ')}) | **${n(r.api.rps)}** (${r.runs.map((x) => n(x.api.rps)).join(' / ')}) | ` +
          `${(r.ratio * 100).toFixed(0)}% | ${cpuPerRequest(r.runs.map((x) => x.bare))} | ${cpuPerRequest(r.runs.map((x) => x.api))} | ${r.api.p50} / ${r.api.p99} | ${r.runs.reduce((s, x) => s + errors(x.api) + errors(x.bare), 0)} |`,
      ),
    ].join('\n');
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await drop();
  }
}

// `node --import tsx bench/samba.ts` runs this benchmark alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runSambaBench({ seconds: Number(process.env.BENCH_SECONDS ?? 10) })}\n`);
}
