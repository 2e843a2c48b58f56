// The hub's runtime: everything a module may use, opened once per process in a fixed order (lock, database,
// migrations, key, admin token, queue). Modules receive this object; they never open their own connections.
import type { Logger } from 'pino';
import type { HubConfig } from '../config.js';
import { openDatabase, type Database, type Db } from './db/database.js';
import { lockDataDir, type DirLock } from './db/lock.js';
import { applyMigrations } from './db/migrate.js';
import { JobQueue } from './jobs/queue.js';
import { Inbox } from './inbox/inbox.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { SecretBox, loadOrCreateKeyFile } from './security/secrets.js';
import { AdminToken } from './admin/token.js';
import { HttpClient } from './outbound/http-client.js';
import type { Clock } from './outbound/clock.js';
import type { PartnerPolicy } from './outbound/policy.js';
import { PartnerTransport } from './outbound/transport.js';
import { PgRateLimiter } from './ratelimit/limiter.js';
import { FallbackRateLimiter, type SharedRateLimiter } from './ratelimit/fallback.js';

export type Role = 'api' | 'worker' | 'all';

export interface Hub {
  readonly config: HubConfig;
  readonly role: Role;
  readonly log: Logger;
  readonly database: Database;
  readonly db: Db;
  readonly jobs: JobQueue;
  readonly inbox: Inbox;
  readonly secrets: SecretBox;
  readonly metrics: Metrics;
  readonly adminToken: AdminToken;
  /** Shared limits (Redis or PostgreSQL), kept per process while that store is unreachable (ratelimit/fallback.ts). */
  readonly rateLimiter: SharedRateLimiter;
  /**
   * The way to call a partner: its policy (pacing shared through `rateLimiter`, retries, credentials, errors) over
   * an HTTP client with the hub's timeouts, SSRF guard and metrics. `clock` is for tests that skip the waits.
   */
  transport<K = undefined, C = undefined, E extends Error = Error>(
    policy: PartnerPolicy<K, C, E>,
    opts?: TransportOptions,
  ): PartnerTransport<K, C, E>;
  /** Runs `fn` on close (modules register their own cleanup). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface TransportOptions {
  readonly timeoutMs?: number;
  readonly allowHosts?: readonly string[];
  readonly clock?: Clock;
}

export interface OpenHubOptions {
  readonly role?: Role;
  readonly log: Logger;
  /** Use this database instead of opening one from config (tests hand in a fresh copy of a migrated image). */
  readonly database?: Database;
  readonly skipMigrations?: boolean;
  readonly defaultMetrics?: boolean;
}

export interface OpenedHub {
  readonly hub: Hub;
  /** A freshly generated admin token to print once (first start, no ADMIN_TOKEN). */
  readonly generatedAdminToken?: string;
  readonly createdKeyFile: boolean;
}

export async function openHub(config: HubConfig, opts: OpenHubOptions): Promise<OpenedHub> {
  const log = opts.log;
  const embedded = !config.databaseUrl;
  let lock: DirLock | undefined;
  const cleanups: Array<() => Promise<void> | void> = [];
  if (embedded && !opts.database) lock = lockDataDir(config.dataDir);
  try {
    const database =
      opts.database ??
      (await openDatabase({
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        poolSize: config.databasePoolSize,
        connectTimeoutMs: config.databaseConnectTimeoutMs,
        sharedBuffersMb: config.pgliteSharedBuffersMb,
      }));
    if (!opts.skipMigrations) await applyMigrations(database);

    let key = config.secretKey;
    let createdKeyFile = false;
    if (!key) {
      const file = loadOrCreateKeyFile(config.dataDir);
      key = file.key;
      createdKeyFile = file.created;
    }
    const secrets = SecretBox.fromString(key);
    const { token: adminToken, generated } = await AdminToken.init(database, config.adminToken);
    const metrics = createMetrics({ defaultMetrics: opts.defaultMetrics });
    const jobs = new JobQueue({
      database,
      log: log.child({ component: 'jobs' }),
      metrics,
      expireSeconds: config.jobs.expireSeconds,
      monitorSeconds: config.jobs.monitorSeconds,
      retentionDays: config.jobs.retentionDays,
      supervise: (opts.role ?? 'all') !== 'api',
    });
    const inbox = new Inbox(database, jobs, metrics);
    const rateLimiter = await openRateLimiter(config, database, log, metrics);
    await rateLimiter.start();
    const transports: Array<{ close(): Promise<void> }> = [];
    let closed = false;

    const hub: Hub = {
      config,
      role: opts.role ?? 'all',
      log,
      database,
      db: database.db,
      jobs,
      inbox,
      secrets,
      metrics,
      adminToken,
      rateLimiter,
      transport(policy, o = {}) {
        const partnerLog = log.child({ partner: policy.partner });
        const http = new HttpClient({
          partner: policy.partner,
          log: partnerLog,
          metrics,
          timeoutMs: o.timeoutMs ?? config.outbound.timeoutMs,
          allowHosts: o.allowHosts ?? config.outbound.allowHosts,
        });
        const transport = new PartnerTransport(policy, {
          http,
          limiter: rateLimiter,
          log: partnerLog,
          metrics,
          sharedSchedule: database.backend !== 'pglite',
          ...(o.clock ? { clock: o.clock } : {}),
        });
        transports.push(transport);
        return transport;
      },
      onClose(fn) {
        cleanups.push(fn);
      },
      async close() {
        if (closed) return;
        closed = true;
        await jobs.stop(config.shutdownTimeoutMs).catch((err) => log.error({ err }, 'stopping jobs failed'));
        for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((err) => log.error({ err }, 'cleanup failed'));
        await Promise.all(transports.map((c) => c.close().catch(() => undefined)));
        await rateLimiter.close();
        await database.close();
        lock?.release();
      },
    };
    return { hub, ...(generated ? { generatedAdminToken: generated } : {}), createdKeyFile };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function openRateLimiter(config: HubConfig, database: Database, log: Logger, metrics: Metrics): Promise<FallbackRateLimiter> {
  const opts = { log: log.child({ component: 'ratelimit' }), metrics };
  if (!config.redisUrl) {
    return new FallbackRateLimiter(new PgRateLimiter(database, { connectTimeoutMs: config.databaseConnectTimeoutMs }), {
      ...opts,
      store: 'postgres',
    });
  }
  // The store reports its connection's state to the limiter that wraps it, which exists only once the store does.
  // ioredis is loaded only here: an embedded hub (no REDIS_URL) never needs its ~8 MB of heap.
  const { RedisRateLimiter } = await import('./ratelimit/redis.js');
  let limiter: FallbackRateLimiter | undefined;
  const redis = new RedisRateLimiter(config.redisUrl, undefined, {
    commandTimeoutMs: config.redisCommandTimeoutMs,
    onConnectionLost: (err) => limiter?.connectionLost(err),
    onReconnected: () => limiter?.reconnected(),
  });
  return (limiter = new FallbackRateLimiter(redis, { ...opts, store: 'redis' }));
}
