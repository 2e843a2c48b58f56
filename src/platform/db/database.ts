// One database API over two engines: embedded PGlite (default) and PostgreSQL (DATABASE_URL). Both speak the
// same SQL, share one drizzle schema and one migration folder; only the driver differs. Result types that the
// drivers disagree on (int8 as string vs number/BigInt) are normalised here so callers never see the difference.
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT>;
/** A drizzle transaction or the database itself: anything that can run a statement. */
export type DbExecutor = Pick<Db, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;
export type Backend = 'pglite' | 'postgres';

export interface Database {
  readonly backend: Backend;
  readonly db: Db;
  /**
   * Raw parameterised SQL, rows normalised. A `name` makes it a prepared statement on PostgreSQL: each pooled
   * connection parses and plans it once, then only binds and executes (PGlite runs in-process and ignores it).
   * One name must always carry the same text; give names to fixed statements on hot paths only.
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /**
   * The same, each row an array of its columns in select order. For hot reads that build their own objects:
   * node-postgres builds a row object with keyed stores, which V8 handles slowly once a process has seen many row
   * shapes (the hub has; a one-route server has not).
   */
  queryArrays(text: string, params?: unknown[], name?: string): Promise<unknown[][]>;
  /** The PGlite instance (embedded mode only), for pg-boss's built-in adapter. */
  readonly pglite?: PGlite;
  /** The PostgreSQL connection string (server mode only), for pg-boss's own pool. */
  readonly connectionString?: string;
  close(): Promise<void>;
}

const INT8 = 20;
// int8 values that fit a double become numbers (ids, counts); anything larger stays exact as a string.
const parseInt8 = (v: string): number | string => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
};
pg.types.setTypeParser(INT8, parseInt8);

export interface OpenOptions {
  /** PGlite data directory; undefined keeps the database in memory (tests). */
  dataDir?: string;
  /** PGlite's shared_buffers in MB (PGLITE_SHARED_BUFFERS_MB; the default here serves tests and tools). */
  sharedBuffersMb?: number;
  /** A PGlite data dump to start from (tests start every database from one migrated image). */
  loadDataDir?: Blob | File;
  databaseUrl?: string;
  poolSize?: number;
  /** The longest wait for a connection (new, or free in the pool); past it the query fails as unavailable. */
  connectTimeoutMs?: number;
}

const DEFAULT_SHARED_BUFFERS_MB = 32;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.connectTimeoutMs ?? 5000);
  return openPglite(opts);
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  const pglite = await PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    // PostgreSQL's 128 MB of shared buffers is sized for many backends; in one process it is most of the idle hub's
    // memory (RSS 390 → ~230 MB at 32 MB, docs/benchmarks.md). PGlite's own start parameters are kept.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${opts.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB}MB`],
    parsers: { [INT8]: parseInt8 },
  });
  const db = drizzlePglite({ client: pglite }) as unknown as Db;
  return {
    backend: 'pglite',
    db,
    pglite,
    async query<T>(text: string, params: unknown[] = [], name?: string) {
      try {
        const res = await pglite.query<T>(text, params);
        return res.rows;
      } catch (err) {
        throw named(err, name);
      }
    },
    async queryArrays(text: string, params: unknown[] = [], name?: string) {
      try {
        const res = await pglite.query<unknown[]>(text, params, { rowMode: 'array' });
        return res.rows;
      } catch (err) {
        throw named(err, name);
      }
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(connectionString: string, max: number, connectTimeoutMs: number): Promise<Database> {
  // A fixed-size pool once warm (min = max): a new PostgreSQL connection costs 10–50 ms (a backend process, auth,
  // cold catalog caches), and a pool that closes idle connections pays that again in the next burst's tail latency.
  // connectionTimeoutMillis bounds both a connect that hangs (a server gone without a word) and the wait for a free
  // connection: a request then fails as unavailable (503) instead of hanging until its client gives up.
  const pool = new pg.Pool({
    connectionString,
    max,
    min: max,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'integration-hub',
  });
  // An idle client that loses its server (restart, failover) emits 'error'; unhandled it would crash the process.
  pool.on('error', () => undefined);
  // So does a client checked out of the pool (a transaction holds one), which has no listener of the pool's: a
  // connection lost mid-transaction ended the process. The statement in flight fails with the error anyway (503).
  pool.on('connect', (client) => client.on('error', () => undefined));
  await pool.query('select 1');
  const db = drizzlePg({ client: new TransactionSafePool(pool) as unknown as pg.Pool }) as unknown as Db;
  let closed = false;
  return {
    backend: 'postgres',
    db,
    connectionString,
    // An undefined name is an unnamed statement, parsed and planned at every call.
    async query<T>(text: string, params: unknown[] = [], name?: string) {
      try {
        const res = await pool.query({ name, text, values: params });
        return res.rows as T[];
      } catch (err) {
        throw named(err, name);
      }
    },
    async queryArrays(text: string, params: unknown[] = [], name?: string) {
      try {
        const res = await pool.query<unknown[]>({ name, text, values: params, rowMode: 'array' });
        return res.rows;
      } catch (err) {
        throw named(err, name);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * The pool as drizzle sees it. drizzle's transaction checks a client out and sends BEGIN before its try/finally: a
 * BEGIN that fails (the connection died, the server went away) never releases the client, and each outage leaked
 * clients until the pool was empty and `close()` waited forever. Here a checked-out client whose connection ends is
 * released at once (with the error, so the pool drops it), and a later release by drizzle does nothing. The class
 * name must contain "Pool": that is how drizzle tells a pool from a single client.
 */
class TransactionSafePool {
  constructor(private readonly pool: pg.Pool) {}

  query(...args: Parameters<pg.Pool['query']>): ReturnType<pg.Pool['query']> {
    return (this.pool.query as (...a: unknown[]) => ReturnType<pg.Pool['query']>)(...args);
  }

  async connect(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    const releaseOnce = client.release.bind(client);
    let released = false;
    const release = (err?: Error | boolean) => {
      if (released) return;
      released = true;
      client.removeListener('end', lost);
      releaseOnce(err);
    };
    const lost = () => release(new Error('connection lost while checked out'));
    client.once('end', lost);
    client.release = release;
    return client;
  }
}

/** Labels a failed statement's error with the statement's name, which logs show instead of its values. */
function named(err: unknown, name: string | undefined): unknown {
  if (name && err && typeof err === 'object' && !('statement' in err)) (err as { statement?: string }).statement = name;
  return err;
}

/** Runs a drizzle SQL fragment and returns its rows, whichever driver is underneath. */
export async function rows<T>(db: DbExecutor, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

export { sql };
