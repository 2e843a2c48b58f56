// `npm run bench`: runs every benchmark and rewrites docs/benchmarks.md. Each benchmark measures its
// baseline in the same run and reports ratios against it.
//   BENCH_SECONDS=10            duration of each load phase
//   BENCH_DATABASE_URL=…        PostgreSQL for the server-mode numbers (default: local postgres if reachable)
//   BENCH_ONLY=ingest,amocrm    run a subset (embedded, ingest, amocrm, quiz, tracking, import, onec, samba, customs, customsIntake)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import net from 'node:net';
import { runIngestBench } from './ingest.js';

const root = new URL('..', import.meta.url).pathname;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (name: string) => !only || only.includes(name);

async function reachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 5432), timeout: 1000 }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const pgAvailable = await reachable(postgresUrl);

type Section = { key: string; title: string; run: () => Promise<string> };
const sections: Section[] = [
  {
    key: 'ingest',
    title: 'Durable webhook ingest (platform)',
    run: () => runIngestBench({ seconds, postgresUrl: pgAvailable ? postgresUrl : undefined }),
  },
];
// Module and connector benchmarks export run<Name>Bench(); they are picked up when present.
for (const [key, file, fn, title] of [
  ['amocrm', 'amocrm.ts', 'runAmoBench', 'amoCRM connector: leads into a rate-limited account'],
  ['quiz', 'quiz.ts', 'runQuizBench', 'Quiz results → amoCRM leads'],
  ['tracking', 'tracking.ts', 'runTrackingBench', 'Tracking API list endpoint at 100,000 rows'],
  ['import', 'import.ts', 'runImportBench', 'Tracking import: 100,000 rows through `hub tracking import`'],
  ['embedded', 'embedded.ts', 'runEmbeddedBench', 'The hub as `npm start` runs it: start, restart and memory'],
  ['onec', 'onec.ts', 'runOnecBench', '1C → amoCRM full sync: 10,000 counterparties'],
  ['samba', 'samba.ts', 'runSambaBench', 'SAMBA: invoice print forms and GET /po on 10,000 invoices'],
  ['customs', 'customs.ts', 'runCustomsBench', 'Customs: ПТД XML generated and XSD-validated on one core'],
  ['customsIntake', 'customs-intake.ts', 'runCustomsIntakeBench', 'Customs: webhook intake through the inbox'],
] as const) {
  if (!existsSync(`${root}bench/${file}`)) continue;
  sections.push({
    key,
    title,
    run: async () => {
      const mod = (await import(`./${file}`)) as Record<string, (o?: object) => Promise<string>>;
      return mod[fn]!({ seconds, postgresUrl: pgAvailable ? postgresUrl : undefined });
    },
  });
}

const results: Array<{ key: string; title: string; body: string }> = [];
for (const s of sections.filter((x) => wanted(x.key))) {
  process.stderr.write(`bench: ${s.title}…\n`);
  const started = Date.now();
  const body = await s.run();
  results.push({ key: s.key, title: s.title, body: `${body}\n\n_(${Math.round((Date.now() - started) / 1000)} s)_` });
}

// Keep sections of benchmarks not run this time.
const file = `${root}docs/benchmarks.md`;
const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
const kept = new Map<string, string>();
for (const m of previous.matchAll(/<!-- bench:(\w+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) kept.set(m[1]!, m[2]!);
for (const r of results)
  kept.set(r.key, `## ${r.title}\n\n_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC_\n\n${r.body}\n`);

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const order = ['embedded', 'ingest', 'amocrm', 'quiz', 'tracking', 'import', 'onec', 'samba', 'customs', 'customsIntake'];
const doc = [
  '# Benchmarks',
  '',
  'Produced by `npm run bench` (see `bench/`). Every number is measured against a baseline taken in the same run',
  `on the same machine, and the load generator shares the machine with the server. Machine: ${machine}.`,
  '',
  ...[...kept.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([k, v]) => `<!-- bench:${k} -->\n${v}<!-- /bench:${k} -->\n`),
].join('\n');
writeFileSync(file, doc);
process.stderr.write(`bench: wrote docs/benchmarks.md\n`);
process.exit(0);
