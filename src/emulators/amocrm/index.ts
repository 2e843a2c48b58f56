// A faithful amoCRM emulator (API v4, OAuth 2.0, rate limits, webhooks) for tests, benchmarks and the sandbox.
// One loopback port serves many accounts under a path prefix: the base URL of account `sub` is
// `http://127.0.0.1:PORT/sub` (set AMO_BASE_URL_TEMPLATE=http://127.0.0.1:PORT/{subdomain}); `Host: sub.amocrm.ru`
// requests without the prefix work too. See docs/emulators/amocrm.md.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import qs from 'qs';
import { createEmulatorApp, createEmulatorCore, emulatorListener } from '../kit/index.js';
import { catalogRoutes } from './catalog-routes.js';
import { createControl, type AmoEmulatorControl } from './control.js';
import { controlRoutes } from './control-routes.js';
import { entityRoutes } from './entity-routes.js';
import { AMO_FAULT_KINDS, registerAmoGate, type AmoFaultKind } from './gate.js';
import { DEFAULT_OAUTH, OAuthService, type OAuthOptions } from './oauth.js';
import { oauthRoutes } from './oauth-routes.js';
import { AmoProblem, notFound, problem, sendProblem } from './problem.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './ratelimit.js';
import { accountBase, hostRouted, setApiContext, type AmoLogFields, type EmulatorRuntime } from './runtime.js';
import { seedAccount } from './seed.js';
import { EmulatorStore, type Integration } from './store.js';
import { DEFAULT_WEBHOOKS, WebhookDispatcher, type WebhookOptions } from './webhooks.js';
import { webhookRoutes } from './webhook-routes.js';

export type { AmoEmulatorControl } from './control.js';
export { disconnectSignature } from './control.js';
export type { EntityType } from './types.js';
export { AMO_FAULT_KINDS, type AmoFaultKind } from './gate.js';

export interface AmoEmulatorOptions {
  /** Fastify logger; off by default. */
  logger?: FastifyServerOptions['logger'];
  /** The seeded account (default subdomain `testaccount`, id 31000001). */
  account?: { subdomain?: string; id?: number; name?: string };
  /** The seeded integration; client id/secret are generated when omitted. */
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  disconnectHookUrl?: string;
  duplicateControl?: boolean;
  /** Answer the consent page without a human (tests); default: show the page. */
  autoConsent?: 'allow' | 'deny';
  /** Where the emulated clock starts (default: now). */
  startTime?: Date | number;
  oauth?: Partial<OAuthOptions>;
  rateLimit?: Partial<RateLimitOptions>;
  webhooks?: Partial<WebhookOptions>;
}

export interface AmoEmulator {
  readonly app: FastifyInstance;
  readonly control: AmoEmulatorControl;
  /** The seeded account and integration (the secret changes with `control.rotateSecret`; read `control.integration()`). */
  readonly defaults: {
    readonly subdomain: string;
    readonly accountId: number;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUri: string;
  };
  /** Starts listening (default 127.0.0.1, a free port) and returns the origin, e.g. `http://127.0.0.1:41234`. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** `origin/{subdomain}` once listening: the account's base URL for AMO_BASE_URL_TEMPLATE. */
  baseUrl(subdomain?: string): string;
  /** The consent page URL (AMO_AUTHORIZE_URL). */
  authorizeUrl(): string;
  /** The hub settings that point a hub at this emulator (AMO_*, OUTBOUND_ALLOW_HOSTS), once listening. */
  hubSettings(): Record<string, string>;
  close(): Promise<void>;
}

/** `Host: sub.amocrm.ru` (or kommo.com) with an unprefixed path is served as `/sub/...`. */
function rewriteByHost(req: { headers: Record<string, string | string[] | undefined>; url?: string }): string {
  const url = req.url ?? '/';
  const host = String(req.headers.host ?? '')
    .split(':')[0]!
    .toLowerCase();
  const m = /^([a-z0-9-]+)\.(?:amocrm\.(?:ru|com)|kommo\.com)$/.exec(host);
  if (m && m[1] !== 'www' && (url.startsWith('/api/') || url.startsWith('/oauth2/'))) {
    hostRouted.add(req as never);
    return `/${m[1]}${url}`;
  }
  return url;
}

export function createAmoEmulator(options: AmoEmulatorOptions = {}): AmoEmulator {
  const core = createEmulatorCore<AmoLogFields, AmoFaultKind>({ startTime: options.startTime, faultKinds: AMO_FAULT_KINDS });
  const clock = core.clock;
  const store = new EmulatorStore(clock);
  const rt: EmulatorRuntime = {
    core,
    clock,
    store,
    oauth: new OAuthService(store, clock, { ...DEFAULT_OAUTH, ...options.oauth }),
    limiter: new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...options.rateLimit }, () => clock.nowMs()),
    webhooks: new WebhookDispatcher(store, clock, { ...DEFAULT_WEBHOOKS, ...options.webhooks }),
  };
  const defaults = {
    subdomain: options.account?.subdomain ?? 'testaccount',
    accountId: options.account?.id ?? 31_000_001,
    clientId: options.clientId ?? randomUUID(),
    clientSecret: options.clientSecret ?? randomBytes(32).toString('base64url'),
    redirectUri: options.redirectUri ?? 'http://127.0.0.1/amocrm/oauth/callback',
  };
  const seed = () => {
    store.clear();
    rt.oauth.clear();
    rt.limiter.clear();
    core.reset(); // faults, request log, clock back to its start
    rt.webhooks.clear();
    Object.assign(rt.oauth.options, DEFAULT_OAUTH, options.oauth);
    Object.assign(rt.limiter.options, DEFAULT_RATE_LIMIT, options.rateLimit);
    Object.assign(rt.webhooks.options, DEFAULT_WEBHOOKS, options.webhooks);
    seedAccount(store, { subdomain: defaults.subdomain, id: defaults.accountId, name: options.account?.name ?? 'Тестовый аккаунт' });
    const integration: Integration = {
      clientId: defaults.clientId,
      clientSecret: defaults.clientSecret,
      redirectUri: defaults.redirectUri,
      name: 'Integration Hub',
      disconnectHookUrl: options.disconnectHookUrl ?? null,
      duplicateControl: options.duplicateControl ?? false,
      autoConsent: options.autoConsent ?? null,
    };
    store.integrations.set(integration.clientId, integration);
  };
  seed();
  const control = createControl(rt, defaults, seed);
  const app = buildApp(rt, control, options);
  const server = emulatorListener(app, () => rt.webhooks.close());

  return {
    app,
    control,
    defaults,
    listen: server.listen,
    baseUrl(subdomain = defaults.subdomain) {
      return `${server.origin()}/${subdomain}`;
    },
    authorizeUrl() {
      return `${server.origin()}/oauth`;
    },
    hubSettings() {
      return {
        AMO_CLIENT_ID: defaults.clientId,
        AMO_CLIENT_SECRET: defaults.clientSecret,
        AMO_REDIRECT_URI: defaults.redirectUri,
        AMO_BASE_URL_TEMPLATE: `${this.baseUrl('{subdomain}')}`,
        AMO_AUTHORIZE_URL: this.authorizeUrl(),
        // The emulator listens on loopback, which the SSRF guard refuses unless allowed.
        OUTBOUND_ALLOW_HOSTS: `${new URL(server.origin()).hostname},localhost`,
      };
    },
    close: server.close,
  };
}

function buildApp(rt: EmulatorRuntime, control: AmoEmulatorControl, options: AmoEmulatorOptions): FastifyInstance {
  const app = createEmulatorApp({
    logger: options.logger,
    rewriteUrl: rewriteByHost,
    // amoCRM's filters are PHP-style (`filter[statuses][0][pipeline_id]=…`), and lists can be long.
    querystringParser: (s: string) => qs.parse(s, { depth: 6, arrayLimit: 1000, parameterLimit: 5000 }),
    invalidJson: () => problem(400, 'Syntax error: the body is not valid JSON'),
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof AmoProblem) return sendProblem(reply, err);
    if (err.statusCode && err.statusCode < 500) return sendProblem(reply, problem(err.statusCode, err.message));
    req.log.error({ err }, 'emulator error');
    return sendProblem(reply, problem(500, 'Internal server error', { title: 'ErrInternalServer', trace_id: req.id }));
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, notFound(req.method, req.url.split('?')[0]!)));

  registerAmoGate(app, rt);
  oauthRoutes(app, rt);
  controlRoutes(app, control);
  app.register(
    async (api) => {
      api.addHook('preHandler', async (req) => {
        const subdomain = (req.params as Record<string, string>).subdomain ?? '';
        const account = rt.store.account(subdomain);
        if (!account) throw problem(404, 'Account not found');
        const access = rt.oauth.authenticate(account, req.headers.authorization);
        setApiContext(req, { account, access, apiBase: accountBase(req, subdomain) });
      });
      catalogRoutes(api, rt);
      entityRoutes(api, rt);
      webhookRoutes(api, rt);
    },
    { prefix: '/:subdomain/api/v4' },
  );
  return app;
}
