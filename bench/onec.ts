// 1C → amoCRM full sync: 10,000 counterparties (7,000 физ. лица → contacts, 3,000 юр. лица → companies) pushed by
// 1C with 8 calls in flight, each waiting for its answer as 1C does, into the amoCRM emulator (its own process,
// 7 requests/s per account). 2,000 contacts already exist in amoCRM and 1,000 of the counterparties match them by
// phone (updates, not creates). Reported: seconds, amoCRM requests per counterparty (goal ≤ 0.2), the emulator's
// busiest second (never above 7), and the links written back (the id_1c field of every entity, and the hub's links).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { loadHubConfig, startHub } from '../src/app.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { createOnecSyncModule } from '../src/modules/onec-sync/index.js';
import { createOnecEmulator } from '../src/emulators/onec/index.js';
import { startScript } from './load.js';

const COUNTERPARTIES = 10_000;
const COMPANIES = 3_000;
const EXISTING = 2_000;
const MATCHING = 1_000;
const IN_FLIGHT = 8;

export async function runOnecBench(opts: { postgresUrl?: string } = {}): Promise<string> {
  const rows: string[] = [];
  for (const backend of opts.postgresUrl ? (['PGlite (embedded)', 'PostgreSQL'] as const) : (['PGlite (embedded)'] as const)) {
    const r = await runOnce(backend === 'PostgreSQL' ? opts.postgresUrl : undefined);
    rows.push(
      `| ${backend} | ${r.seconds.toFixed(1)} s | ${(COUNTERPARTIES / r.seconds).toFixed(0)} | ${r.amoRequests} | ${(r.amoRequests / COUNTERPARTIES).toFixed(3)} | ${r.maxPerSecond} | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms | ${r.linked} / ${r.linkedInAmo} | ${r.cpuMsPerCounterparty.toFixed(2)} ms |`,
    );
  }
  return [
    `${COUNTERPARTIES.toLocaleString('en')} counterparties (${(COUNTERPARTIES - COMPANIES).toLocaleString('en')} contacts, ${COMPANIES.toLocaleString('en')} companies) pushed by 1C into one account,`,
    `${IN_FLIGHT} calls in flight, each waiting for its answer. ${EXISTING.toLocaleString('en')} contacts exist beforehand; ${MATCHING.toLocaleString('en')} counterparties match them by phone.`,
    'amoCRM requests include the index load (a paged read of the existing contacts and companies) and the field list.',
    'The emulator runs as its own process and enforces 7 requests/s. Goal: ≤ 0.2 amoCRM requests per counterparty, never above 7 req/s.',
    '',
    '| backend | total | counterparties/s | amoCRM requests | per counterparty | max emulator req/s | 1C call p50 / p99 | links: hub / id_1c in amoCRM | CPU per counterparty (hub and the 1C client; PostgreSQL not counted) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

async function startEmulator() {
  const emulator = await startScript('bench/servers/amo-emulator.ts', ['http://127.0.0.1/connect/amocrm/callback']);
  const { origin, settings } = JSON.parse(emulator.firstLine) as { origin: string; settings: Record<string, string> };
  const control = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await request(`${origin}/_emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return (await res.body.json()) as T;
  };
  return { origin, settings, control, close: emulator.stop };
}

async function runOnce(postgresUrl: string | undefined) {
  const emu = await startEmulator();
  // The 1C base: the hub checks it when 1C registers it and pushes the field table to it (one call each, so the
  // emulator may share this process).
  const onecEmu = createOnecEmulator({ bases: [{ idBase: 'bench', publication: 'bench', login: 'amo', password: 'x' }] });
  const onecHost = new URL(await onecEmu.listen()).host;
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-bench-onec-'));
  const config = loadHubConfig({
    DATA_DIR: dataDir,
    HUB_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...(postgresUrl ? { DATABASE_URL: await freshPgDatabase(postgresUrl) } : {}),
    ...emu.settings,
    // The amoCRM emulator's settings let its own host in; the 1C emulator's joins it.
    OUTBOUND_ALLOW_HOSTS: [emu.settings.OUTBOUND_ALLOW_HOSTS, onecHost].filter(Boolean).join(','),
  });
  const started = await startHub(config, {
    log: createLogger({ level: 'warn', pretty: false }),
    modules: [createOnecSyncModule()],
  });
  try {
    const base = await started.app.listen({ port: 0, host: '127.0.0.1' });
    const amo = started.connectors.amo;
    const url = new URL(await amo.authorizeUrl('bench:1'));
    url.searchParams.set('_emulator_decision', 'allow');
    const consent = await request(url);
    await consent.body.dump();
    const { account } = await amo.completeAuthorization(Object.fromEntries(new URL(String(consent.headers.location)).searchParams));
    const key = account.amoAccountId;
    const subdomain = account.subdomain;
    const admin = { authorization: 'Bearer bench-admin-token-0123456789' };
    const secret = (await (
      await request(`${base}/admin/v1/onec/accounts/${key}/secret`, { method: 'POST', headers: admin })
    ).body.json()) as {
      secret: string;
    };
    const headers = {
      authorization: `Basic ${Buffer.from(`${key}:${secret.secret}`).toString('base64')}`,
      'content-type': 'application/json',
    };
    const durations: number[] = [];
    const call = async (path: string, body: object) => {
      const t0 = performance.now();
      const res = await request(`${base}/onec/sync/${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ key, id_base: 'bench', ...body }),
      });
      const json = (await res.body.json()) as { success: boolean; data: unknown; error: string | null };
      durations.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}: ${json.error}`);
      return json.data;
    };
    const web = onecEmu.webAddress('bench');
    await call('base', {
      web_address: web,
      url_address: web.replace(/\/hs\/amo$/, ''),
      param1: 'amo',
      param2: 'x',
    });
    const field = async (type: string, name: string) =>
      (await emu.control<{ id: number }>('POST', `/accounts/${subdomain}/${type}/custom_fields`, { name, type: 'text' })).id;
    const contactId1c = await field('contacts', 'id 1С');
    const companyId1c = await field('companies', 'id 1С');
    const companyInn = await field('companies', 'ИНН');
    await call('clients_contacts_save_fields', { id_1c: contactId1c });
    await call('clients_companies_save_fields', { id_1c: companyId1c, inn: companyInn });
    // Contacts already in the account (created before the clock starts, like a CRM with history).
    const api = amo.api(key);
    await api.contacts.create(
      Array.from({ length: EXISTING }, (_, i) => ({
        name: `Старый клиент ${i}`,
        custom_fields_values: [{ field_code: 'PHONE', values: [{ value: `8 (900) ${String(i).padStart(7, '0')}`, enum_code: 'WORK' }] }],
      })) as never,
      { batchMax: 250 },
    );
    await emu.control('DELETE', '/requests');
    durations.length = 0;

    const jobs = Array.from({ length: COUNTERPARTIES }, (_, i) =>
      i < COMPANIES
        ? () => call('clients_companies', { id_1c: `ЮЛ-${i}`, name: `ООО Компания ${i}`, inn: innFor(i) })
        : () =>
            call('clients_contacts', {
              id_1c: `ФЛ-${i}`,
              name: `Клиент ${i}`,
              // The first MATCHING contacts carry the phone of an existing contact, written the 1C way.
              phone: i - COMPANIES < MATCHING ? `+7900${String(i - COMPANIES).padStart(7, '0')}` : `+7999${String(i).padStart(7, '0')}`,
            }),
    );
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < jobs.length) await jobs[next++]!();
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu0);
    const cpuMsPerCounterparty = (used.user + used.system) / 1000 / COUNTERPARTIES;
    const log = await emu.control<{ maxPerSecond: number; requests: Array<{ path: string }> }>('GET', '/requests');
    const amoRequests = log.requests.filter((r) => r.path.startsWith('/api/v4/')).length;
    const [links] = await started.hub.database.query<{ n: number }>('select count(*)::int as n from onec_sync_links');
    const holds = (fieldId: number) => (e: { custom_fields_values: Array<{ field_id: number; values: unknown[] }> | null }) =>
      (e.custom_fields_values ?? []).some((f) => f.field_id === fieldId && f.values.length > 0);
    const contacts = await emu.control<Array<{ custom_fields_values: Array<{ field_id: number; values: unknown[] }> | null }>>(
      'GET',
      `/accounts/${subdomain}/contacts`,
    );
    const companies = await emu.control<typeof contacts>('GET', `/accounts/${subdomain}/companies`);
    const sorted = durations.sort((a, b) => a - b);
    return {
      seconds,
      amoRequests,
      maxPerSecond: log.maxPerSecond,
      linked: Number(links?.n),
      linkedInAmo: contacts.filter(holds(contactId1c)).length + companies.filter(holds(companyId1c)).length,
      p50: sorted[Math.floor(sorted.length * 0.5)]!,
      p99: sorted[Math.floor(sorted.length * 0.99)]!,
      cpuMsPerCounterparty,
    };
  } finally {
    await started.close();
    await emu.close();
    await onecEmu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A valid 10-digit ИНН for each i (control digit computed). */
function innFor(i: number): string {
  const body = `77${String(i).padStart(7, '0')}`;
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = ([...body].reduce((s, d, k) => s + Number(d) * w[k]!, 0) % 11) % 10;
  return `${body}${check}`;
}

async function freshPgDatabase(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const name = `hub_bench_onec_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
