// Open-loop load at a fixed rate, for latency: request i is due at t0 + i / rate whatever happened to earlier
// ones, and its latency counts from that due time (no coordinated omission). autocannon's fixed-rate mode sends in
// bursts per tick, which measures the burst, not the server. Runs as its own process; prints one JSON line.
//   node bench/open-loop.mjs <url> <rate> <seconds> <connections> [header=value …]
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const [url, rateArg, secondsArg, connectionsArg, ...headerArgs] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const target = new URL(url);
const headers = Object.fromEntries(headerArgs.map((h) => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]));
const pool = new Pool(target.origin, { connections: Number(connectionsArg), pipelining: 1 });
const path = target.pathname + target.search;

const latencies = [];
let errors = 0;
let non2xx = 0;
let sent = 0;
const total = Math.round(rate * seconds);
const t0 = performance.now() + 50;

await new Promise((resolve) => {
  let done = 0;
  const finish = () => (++done === total ? resolve() : undefined);
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const dueAt = t0 + (sent * 1000) / rate;
      pool
        .request({ method: 'GET', path, headers })
        .then(async (res) => {
          await res.body.dump();
          latencies.push(performance.now() - dueAt);
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        })
        .catch(() => errors++)
        .finally(finish);
    }
    if (sent < total) setTimeout(tick, 1);
  };
  setTimeout(tick, 50);
});
await pool.close();

latencies.sort((a, b) => a - b);
const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
const elapsed = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ rps: latencies.length / elapsed, requests: latencies.length, p50: at(0.5), p99: at(0.99), max: at(1), errors, non2xx })}\n`,
);
