// The platform's own settings (connectors and modules declare theirs next to their code). The table is also
// what `hub config` prints and what the README documents, so a setting is described in exactly one place.
import type { Setting } from './settings.js';

export const SETTINGS = [
  { env: 'HOST', kind: 'string', default: '127.0.0.1', description: 'Address the HTTP server listens on.' },
  { env: 'PORT', kind: 'int', default: '8080', min: 0, max: 65535, description: 'HTTP port (0 picks a free one).' },
  {
    env: 'PUBLIC_URL',
    kind: 'url',
    description: 'External base URL of the hub (default http://HOST:PORT); used in links the hub hands out.',
  },
  { env: 'DATA_DIR', kind: 'string', default: './data', description: 'Embedded mode: PGlite database, key file and lock live here.' },
  {
    env: 'DATABASE_URL',
    kind: 'url',
    secret: true,
    description: 'PostgreSQL connection string. When set, the hub uses PostgreSQL instead of embedded PGlite.',
  },
  {
    env: 'DATABASE_POOL_SIZE',
    kind: 'int',
    default: '10',
    min: 1,
    max: 200,
    description:
      'PostgreSQL connections per process; once opened they stay open (a fixed-size pool keeps new-connection cost out of request latency).',
  },
  {
    env: 'PGLITE_SHARED_BUFFERS_MB',
    kind: 'int',
    default: '32',
    min: 1,
    max: 4096,
    description:
      "Embedded PGlite's page cache (PostgreSQL's shared_buffers), in MB. PostgreSQL's 128 MB default, sized for a server shared by many connections, is most of an idle hub's memory; one process needs far less.",
  },
  {
    env: 'DATABASE_CONNECT_TIMEOUT_MS',
    kind: 'int',
    default: '5000',
    min: 100,
    description:
      'Longest wait for a PostgreSQL connection (a new one, or a free one from the pool); past it the request answers 503 with Retry-After.',
  },
  {
    env: 'ADMIN_TOKEN',
    kind: 'string',
    secret: true,
    description: 'Bearer token for /admin/v1. Embedded mode generates one on first start when unset.',
  },
  {
    env: 'HUB_SECRET_KEY',
    kind: 'string',
    secret: true,
    description:
      '32-byte key (base64 or 64 hex chars) encrypting secrets at rest. Required with DATABASE_URL; embedded mode creates DATA_DIR/secret.key.',
  },
  {
    env: 'LOG_LEVEL',
    kind: 'enum',
    default: 'info',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'pino log level.',
  },
  { env: 'LOG_PRETTY', kind: 'bool', description: 'Human-readable logs (default: when stdout is a TTY).' },
  {
    env: 'TRUST_PROXY',
    kind: 'string',
    default: 'false',
    description:
      'Which proxies may name the client (X-Forwarded-For/-Proto/-Host): false (none; the socket address is the client), a comma list of proxy addresses or CIDRs (10.0.0.0/8,127.0.0.1; also loopback, linklocal, uniquelocal), or — only when nothing reaches the hub but the proxy — a hop count or true (any).',
  },
  {
    env: 'AUTH_FAILURE_LIMIT',
    kind: 'int',
    default: '20',
    min: 1,
    max: 100_000,
    description:
      'Failed authentications (admin token, module API keys) one client address (IPv6: its /64) may make within AUTH_FAILURE_WINDOW_SECONDS; beyond it the address is answered 429 with Retry-After and an alert is raised.',
  },
  {
    env: 'AUTH_FAILURE_WINDOW_SECONDS',
    kind: 'int',
    default: '60',
    min: 1,
    max: 86_400,
    description: 'The window of AUTH_FAILURE_LIMIT.',
  },
  {
    env: 'BODY_LIMIT_BYTES',
    kind: 'int',
    default: '1048576',
    min: 1024,
    description: 'Largest accepted request body; bigger ones get 413.',
  },
  {
    env: 'SHUTDOWN_TIMEOUT_MS',
    kind: 'int',
    default: '15000',
    min: 100,
    description: 'How long a graceful shutdown waits for in-flight requests and jobs.',
  },
  {
    env: 'JOB_EXPIRE_SECONDS',
    kind: 'int',
    default: '60',
    min: 5,
    description: 'A job still active after this long is treated as crashed and retried.',
  },
  {
    env: 'JOB_MONITOR_SECONDS',
    kind: 'int',
    default: '2',
    min: 1,
    max: 60,
    description: 'How often the queue looks for expired (crashed) jobs.',
  },
  {
    env: 'JOB_RETENTION_DAYS',
    kind: 'int',
    default: '14',
    min: 1,
    description: 'How long completed and failed jobs stay visible in the admin history.',
  },
  {
    env: 'OUTBOUND_TIMEOUT_MS',
    kind: 'int',
    default: '20000',
    min: 100,
    description: 'Default total timeout of one outbound partner call.',
  },
  {
    env: 'OUTBOUND_ALLOW_HOSTS',
    kind: 'list',
    default: '',
    description:
      'Hosts (or host:port) allowed for outbound calls even though they resolve to private or loopback addresses, comma-separated. Use for on-premises 1C or the emulators.',
  },
  {
    env: 'CORS_ALLOWED_ORIGINS',
    kind: 'list',
    default: '',
    description:
      'Browser origins (https://app.example.com, comma-separated) allowed to call the quiz API from a web page (CORS; preflights answered before authentication). Empty: CORS off. The tracking API has per-bot origins instead.',
  },
  {
    env: 'REDIS_URL',
    kind: 'url',
    secret: true,
    description: 'Optional Redis; when set, rate limits are shared through it instead of PostgreSQL.',
  },
  {
    env: 'REDIS_COMMAND_TIMEOUT_MS',
    kind: 'int',
    default: '100',
    min: 10,
    max: 10000,
    description:
      'Longest wait for Redis in a rate-limit check; past it (or with Redis unreachable) limits are kept per process until Redis answers again (docs/operations.md, Outages).',
  },
] as const satisfies readonly Setting[];
