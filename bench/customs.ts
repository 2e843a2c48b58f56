// ПТД generation on one core (issue #22: goal ≥ 500 documents/s for a two-car declaration, XSD-validated): the
// same two-car request built alone (xmlbuilder2), built and validated against the album's XSD (libxml2 as
// WebAssembly, compiled once), and the export's whole in-memory path (the request's checks too). Everything runs
// on this process's one JavaScript thread; the CPU it used is reported next to the wall time, and documents per
// CPU-second (steadier than wall-clock throughput when other work shares the machine). The lazy start-up
// cost (loading libxml2 and compiling the album on first use) is measured first, in a process that had neither.
//   BENCH_ONLY=customs npm run bench     (BENCH_SECONDS per phase, default 10)
import { performance } from 'node:perf_hooks';
import { checkPtd } from '../src/modules/customs/checks.js';
import { buildPtd } from '../src/modules/customs/ptd-builder.js';
import { AlbumRegistry, defaultAlbumDir, type Album } from '../src/modules/customs/xsd.js';
import { twoCars } from '../test/modules/customs/requests.js';

interface Phase {
  readonly name: string;
  readonly perSecond: number;
  readonly microsPerDoc: number;
  readonly cpuShare: number;
}

function measure(name: string, seconds: number, work: () => void): Phase {
  for (let i = 0; i < 200; i++) work(); // warm the JIT
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) work();
    n += 50;
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { name, perSecond: (n * 1000) / wallMs, microsPerDoc: (wallMs * 1000) / n, cpuShare: (used.user + used.system) / 1000 / wallMs };
}

export async function runCustomsBench(opts: { seconds?: number } = {}): Promise<string> {
  const seconds = opts.seconds ?? 10;
  const albums = new AlbumRegistry(defaultAlbumDir());
  const coldStarted = performance.now();
  const album: Album = await albums.get('5.23.0');
  const coldMs = performance.now() - coldStarted;
  const options = (documentId: string) => ({
    namespaces: album.namespaces,
    documentId,
    createdAt: '2025-03-01T10:00:00',
    edocCode: 'R.036',
  });
  const sample = buildPtd(twoCars, options('bench'));
  if (album.validate(sample.xml).length) throw new Error('the benchmark document is not valid');

  let i = 0;
  const phases = [
    measure('generation alone (xmlbuilder2)', seconds, () => void buildPtd(twoCars, options(`d${i++}`))),
    measure('generation + XSD validation', seconds, () => {
      if (album.validate(buildPtd(twoCars, options(`d${i++}`)).xml).length) throw new Error('invalid');
    }),
    measure('checks + generation + XSD validation (the export without its INSERT)', seconds, () => {
      if (checkPtd(twoCars).errors.length) throw new Error('refused');
      if (album.validate(buildPtd(twoCars, options(`d${i++}`)).xml).length) throw new Error('invalid');
    }),
  ];
  const base = phases[0]!.perSecond;
  const rows = phases.map(
    (p) =>
      `| ${p.name} | ${Math.round(p.perSecond).toLocaleString('en-US')} | ${Math.round(p.perSecond / p.cpuShare).toLocaleString('en-US')} | ${p.microsPerDoc.toFixed(0)} | ${(p.perSecond / base).toFixed(2)} | ${(p.cpuShare * 100).toFixed(0)} % |`,
  );
  const validated = phases[1]!.perSecond;
  return [
    `A two-car declaration (${Buffer.byteLength(sample.xml)} bytes of XML), ${seconds} s per phase, one thread.`,
    '',
    '| phase | documents/s | per CPU-second | µs/document | vs generation alone | CPU of one core |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Goal ≥ 500 validated documents/s: ${validated >= 500 ? 'met' : 'NOT met'} (${Math.round(validated)}/s). ` +
      `First use in a process (loading libxml2 and compiling the album's nine schemas, once): ${coldMs.toFixed(0)} ms.`,
  ].join('\n');
}
