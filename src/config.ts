// The hub's settings: parsed once at start-up into a typed, frozen object. This is the only file that reads
// process.env; everything else receives a HubConfig. The table below is also what `hub config` prints and what
// the README documents, so a setting is described in exactly one place.
import { isIP } from 'node:net';

export type SettingKind = 'string' | 'int' | 'bool' | 'url' | 'list' | 'enum';
type Kind = SettingKind;

export interface Setting {
  readonly env: string;
  readonly kind: Kind;
  readonly default?: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly secret?: boolean;
  readonly description: string;
}

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

/** A connector's or module's settings, by the name its code uses: `{ jwtSecret: { env: 'QUIZ_JWT_SECRET', … } }`. */
export type SettingsDecl = Readonly<Record<string, Setting>>;

type ValueOf<S extends Setting> = S['kind'] extends 'int'
  ? number
  : S['kind'] extends 'bool'
    ? boolean
    : S['kind'] extends 'list'
      ? readonly string[]
      : S extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
        ? V
        : string;

/** The parsed values of a declaration: a setting with a default is always there, the others may be undefined. */
export type SettingsOf<D extends SettingsDecl> = {
  readonly [K in keyof D]: D[K] extends { readonly default: string } ? ValueOf<D[K]> : ValueOf<D[K]> | undefined;
};

/** One connector's or module's settings as config.ts parses them; `check` adds cross-field problems. */
export interface SettingGroup<D extends SettingsDecl = SettingsDecl> {
  readonly name: string;
  readonly settings: D;
  readonly check?: (values: SettingsOf<D>) => readonly string[];
}

/** Declares settings with their literal kinds kept, so SettingsOf can type the parsed values. */
export const defineSettings = <const D extends SettingsDecl>(settings: D): D => settings;

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly databaseConnectTimeoutMs: number;
  readonly adminToken: string | undefined;
  readonly secretKey: string | undefined;
  readonly logLevel: string;
  readonly logPretty: boolean;
  /** Fastify's trustProxy: false, true, a hop count, or proxy addresses/CIDRs (and proxy-addr's named ranges). */
  readonly trustProxy: TrustProxy;
  /** Per client address: at most `limit` failed authentications within `windowMs` (see platform/security/auth-failures.ts). */
  readonly authFailures: { readonly limit: number; readonly windowMs: number };
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly jobs: { readonly expireSeconds: number; readonly monitorSeconds: number; readonly retentionDays: number };
  readonly outbound: { readonly timeoutMs: number; readonly allowHosts: readonly string[] };
  readonly redisUrl: string | undefined;
  readonly redisCommandTimeoutMs: number;
  /** Settings of the hub's connectors and modules, parsed from the same environment (see settingsOf). */
  readonly groups: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for ranges, accepted in a TRUST_PROXY list. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: false/true, a hop count, or a comma list of addresses, CIDRs and range names; a problem otherwise. */
export function parseTrustProxy(raw: string): { value: TrustProxy } | { problem: string } {
  const text = raw.trim();
  if (/^(|0|false|no|off)$/i.test(text)) return { value: false };
  if (/^(true|yes|on)$/i.test(text)) return { value: true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? { value: hops } : { problem: `TRUST_PROXY hop count must be at most 100, got ${hops}` };
  }
  const list = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((item) => !PROXY_RANGE_NAMES.includes(item.toLowerCase()) && !isAddressOrCidr(item));
  if (bad.length > 0)
    return {
      problem: `TRUST_PROXY must be false, true, a hop count or a comma list of proxy addresses/CIDRs; not an address or CIDR: ${bad.map((b) => `"${b}"`).join(', ')}`,
    };
  return { value: list.map((item) => (PROXY_RANGE_NAMES.includes(item.toLowerCase()) ? item.toLowerCase() : item)) };
}

function isAddressOrCidr(item: string): boolean {
  const [address = '', prefix, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type SettingName = (typeof SETTINGS)[number]['env'];
type Raw = Record<string, string | undefined>;

function parseValue(s: Setting, raw: string, problems: string[]): unknown {
  switch (s.kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return void problems.push(`${s.env} must be a whole number, got "${raw}"`);
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) return void problems.push(`${s.env} must be at least ${s.min}, got ${n}`);
      if (s.max !== undefined && n > s.max) return void problems.push(`${s.env} must be at most ${s.max}, got ${n}`);
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return void problems.push(`${s.env} must be true or false, got "${raw}"`);
    case 'url':
      try {
        new URL(raw);
        return raw;
      } catch {
        return void problems.push(`${s.env} must be a URL, got "${s.secret ? '<hidden>' : raw}"`);
      }
    case 'list':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    case 'enum':
      if (!s.values?.includes(raw)) return void problems.push(`${s.env} must be one of ${s.values?.join(', ')}, got "${raw}"`);
      return raw;
  }
}

/**
 * Parses settings from an environment (process.env by default): the platform's, then each group's (connectors and
 * modules declare theirs next to their code; app.ts hands the list in). Throws ConfigError naming every bad setting.
 */
export function loadConfig(env: Raw = process.env, opts: { isTty?: boolean; groups?: readonly SettingGroup[] } = {}): HubConfig {
  const problems: string[] = [];
  const v = {} as Record<SettingName, unknown>;
  for (const s of SETTINGS as readonly Setting[]) {
    const raw = env[s.env];
    const value = raw === undefined || raw === '' ? s.default : raw;
    v[s.env as SettingName] = value === undefined ? undefined : parseValue(s, value, problems);
  }
  const secretKey = v.HUB_SECRET_KEY as string | undefined;
  if (secretKey !== undefined && !isValidKey(secretKey)) {
    problems.push('HUB_SECRET_KEY must be 32 bytes: 44 base64 characters or 64 hex characters');
  }
  if (v.DATABASE_URL && !secretKey) {
    problems.push('HUB_SECRET_KEY is required when DATABASE_URL is set (several processes must share one key)');
  }
  const trustProxy = parseTrustProxy(v.TRUST_PROXY as string);
  if ('problem' in trustProxy) problems.push(trustProxy.problem);
  const groups = new Map<string, Readonly<Record<string, unknown>>>();
  for (const group of opts.groups ?? []) {
    if (groups.has(group.name)) throw new Error(`settings group ${group.name} declared twice`);
    groups.set(group.name, parseGroup(group, env, problems));
  }
  if (problems.length) throw new ConfigError(problems);

  const host = v.HOST as string;
  const port = v.PORT as number;
  const publicUrl = ((v.PUBLIC_URL as string | undefined) ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
    /\/+$/,
    '',
  );
  const config: HubConfig = {
    host,
    port,
    publicUrl,
    dataDir: v.DATA_DIR as string,
    databaseUrl: v.DATABASE_URL as string | undefined,
    databasePoolSize: v.DATABASE_POOL_SIZE as number,
    databaseConnectTimeoutMs: v.DATABASE_CONNECT_TIMEOUT_MS as number,
    adminToken: v.ADMIN_TOKEN as string | undefined,
    secretKey,
    logLevel: v.LOG_LEVEL as string,
    logPretty: (v.LOG_PRETTY as boolean | undefined) ?? opts.isTty ?? false,
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    authFailures: { limit: v.AUTH_FAILURE_LIMIT as number, windowMs: (v.AUTH_FAILURE_WINDOW_SECONDS as number) * 1000 },
    bodyLimitBytes: v.BODY_LIMIT_BYTES as number,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS as number,
    jobs: {
      expireSeconds: v.JOB_EXPIRE_SECONDS as number,
      monitorSeconds: v.JOB_MONITOR_SECONDS as number,
      retentionDays: v.JOB_RETENTION_DAYS as number,
    },
    outbound: { timeoutMs: v.OUTBOUND_TIMEOUT_MS as number, allowHosts: v.OUTBOUND_ALLOW_HOSTS as string[] },
    redisUrl: v.REDIS_URL as string | undefined,
    redisCommandTimeoutMs: v.REDIS_COMMAND_TIMEOUT_MS as number,
    groups,
  };
  return deepFreeze(config);
}

function parseGroup(group: SettingGroup, env: Raw, problems: string[]): Readonly<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  const before = problems.length;
  for (const [key, s] of Object.entries(group.settings)) {
    const raw = env[s.env];
    const value = raw === undefined || raw === '' ? s.default : raw;
    values[key] = value === undefined ? undefined : parseValue(s, value, problems);
  }
  // Cross-field checks only make sense once every single value parsed.
  if (before === problems.length) problems.push(...(group.check?.(values as never) ?? []));
  return deepFreeze(values);
}

/** The parsed settings of one group (loaded by loadConfig with that group), typed by its declaration. */
export function settingsOf<D extends SettingsDecl>(config: HubConfig, group: SettingGroup<D>): SettingsOf<D> {
  const values = config.groups.get(group.name);
  if (!values) throw new Error(`the settings of ${group.name} were not loaded: pass its group to loadConfig (app.ts does)`);
  return values as SettingsOf<D>;
}

function isValidKey(key: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(key)) return true;
  return /^[A-Za-z0-9+/]{43}=?$/.test(key) && Buffer.from(key, 'base64').length === 32;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const value of Object.values(o)) deepFreeze(value);
    Object.freeze(o);
  }
  return o;
}

/** The settings table as Markdown (platform first, then each group's), for `hub config` and the README. */
export function settingsMarkdown(groups: readonly SettingGroup[] = []): string {
  const all = [...(SETTINGS as readonly Setting[]), ...groups.flatMap((g) => Object.values(g.settings))];
  const rows = all.map(
    (s) =>
      `| \`${s.env}\` | ${s.default !== undefined && s.default !== '' ? `\`${s.default}\`` : '—'} | ${s.description}${s.secret ? ' *(secret)*' : ''} |`,
  );
  return ['| setting | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Whether stdout is a terminal: read here because config is the one place that looks at the process. */
export const stdoutIsTty = (): boolean => Boolean(process.stdout.isTTY);
