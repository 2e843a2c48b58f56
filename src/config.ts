// The hub's settings: parsed once at start-up into a typed, frozen object. This is the only file that reads
// process.env (and the .env file beside it); everything else receives a HubConfig. The declarations live in src/config/: the platform's table,
// the parser, TRUST_PROXY's values; each connector and module declares its own settings next to its code.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { SETTINGS } from './config/platform-settings.js';
import {
  deepFreeze,
  parseGroup,
  parseValue,
  type Setting,
  type SettingGroup,
  type SettingsDecl,
  type SettingsOf,
} from './config/settings.js';
import { parseTrustProxy, type TrustProxy } from './config/trust-proxy.js';

export { SETTINGS } from './config/platform-settings.js';
export {
  defineSettings,
  type Setting,
  type SettingGroup,
  type SettingKind,
  type SettingsDecl,
  type SettingsOf,
} from './config/settings.js';
export { parseTrustProxy, type TrustProxy } from './config/trust-proxy.js';

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly databaseConnectTimeoutMs: number;
  readonly pgliteSharedBuffersMb: number;
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
  /** CORS_ALLOWED_ORIGINS: browser origins allowed to call modules that opt in (quiz); empty means CORS is off. */
  readonly corsAllowedOrigins: readonly string[];
  /** The .env file whose values filled settings the environment left unset, if one was read. */
  readonly envFile: string | undefined;
  /** Settings of the hub's connectors and modules, parsed from the same environment (see settingsOf). */
  readonly groups: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** A browser origin as the Origin header carries it: http(s)://host[:port], lower case, nothing after. */
export function isOrigin(value: string): boolean {
  return /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-f:]+\](:\d{1,5})?$/.test(value);
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type SettingName = (typeof SETTINGS)[number]['env'];
type Raw = Record<string, string | undefined>;

/** The environment with a `.env` file's name on it, when one was read: the settings came partly from there. */
const ENV_FILE = Symbol('envFile');
type Environment = Raw & { [ENV_FILE]?: string };

/**
 * The process's environment, completed by `.env` in the working directory when there is one (parsed by Node's own
 * parser, util.parseEnv). A variable set in the real environment wins over the file, as with `node --env-file`, so
 * a deployment can override one value without editing the file. Read once, at start-up, like every setting.
 */
export function processEnvironment(cwd: string = process.cwd()): Environment {
  const path = resolve(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...process.env };
    throw new ConfigError([`.env could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): ${path}`]);
  }
  const env: Environment = { ...parseEnv(text), ...process.env };
  env[ENV_FILE] = path;
  return env;
}

/**
 * Parses settings from an environment (process.env and .env by default: processEnvironment): the platform's, then each group's (connectors and
 * modules declare theirs next to their code; app.ts hands the list in). Throws ConfigError naming every bad setting.
 */
export function loadConfig(
  env: Environment = processEnvironment(),
  opts: { isTty?: boolean; groups?: readonly SettingGroup[] } = {},
): HubConfig {
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
  const corsAllowedOrigins = ((v.CORS_ALLOWED_ORIGINS as string[] | undefined) ?? []).map((o) => o.replace(/\/+$/, ''));
  for (const o of corsAllowedOrigins)
    if (!isOrigin(o)) problems.push(`CORS_ALLOWED_ORIGINS: "${o}" is not an origin (scheme://host[:port], no path)`);
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
    pgliteSharedBuffersMb: v.PGLITE_SHARED_BUFFERS_MB as number,
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
    corsAllowedOrigins,
    envFile: env[ENV_FILE],
    groups,
  };
  return deepFreeze(config);
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
