// The tracking benchmark's baseline: a bare Fastify route running the API's list SQL (page + exact total from the
// counters) on its own pool, no auth, no limits, no logging; and /static, the same page's bytes prepared once,
// which is the floor any route can reach on this machine (HTTP and the load generator only). Runs as its own
// process; prints its origin.
//   node --import tsx bench/servers/bare-tracking.ts <DATABASE_URL>
import Fastify from 'fastify';
import pg from 'pg';
import { STATUSES } from '../../src/modules/tracking/statuses.js';
// The API's own statement builders, so the baseline runs exactly the API's SQL.
import { countersTotalQuery, listFilter, trackingPageQuery } from '../../src/modules/tracking/store.js';

// Fixed-size once warm, like the hub's pool: new connections in a burst would land in the tail.
const pool = new pg.Pool({ connectionString: process.argv[2], max: 20, min: 20 });
const app = Fastify({ logger: false });
const page = async (botId: number) => {
  const list = trackingPageQuery(listFilter(botId), 50, 0);
  const count = countersTotalQuery(botId, STATUSES);
  const [items, total] = await Promise.all([
    pool.query({ name: list.name, text: list.text, values: list.params }),
    pool.query({ name: count.name, text: count.text, values: count.params }),
  ]);
  return { tracking_numbers: items.rows, total: Number(total.rows[0]?.n ?? 0) };
};
app.get<{ Params: { bot_id: string } }>('/bare/:bot_id', async (req) => page(Number(req.params.bot_id)));
const prepared = new Map<number, string>();
app.get<{ Params: { bot_id: string } }>('/static/:bot_id', async (req, reply) => {
  const botId = Number(req.params.bot_id);
  if (!prepared.has(botId)) prepared.set(botId, JSON.stringify(await page(botId)));
  return reply.type('application/json').send(prepared.get(botId));
});
process.stdout.write(`${await app.listen({ host: '127.0.0.1', port: 0 })}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
