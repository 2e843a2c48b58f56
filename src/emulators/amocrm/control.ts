// The typed in-process control API of the amoCRM emulator (the same operations are served over HTTP under
// /_emulator for the standalone mode): accounts and integrations, OAuth shortcuts, rate limits, webhooks, admin
// actions (disconnect, rotate secret) and direct reads of entities, plus the kit's clock, faults and request log.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import qs from 'qs';
import { request } from 'undici';
import { serialiseEntity } from './entity-read.js';
import type { OAuthOptions, TokenPair } from './oauth.js';
import type { RateLimitOptions } from './ratelimit.js';
import type { EmulatorRuntime } from './runtime.js';
import { seedAccount, seedField, type NewAccount } from './seed.js';
import type { AccountState, Integration } from './store.js';
import type { CustomFieldType, EntityType } from './types.js';
import type { WebhookOptions } from './webhooks.js';

export interface AccountInfo {
  id: number;
  subdomain: string;
  name: string;
  users: Array<{ id: number; name: string; isAdmin: boolean; isActive: boolean }>;
  pipelines: Array<{
    id: number;
    name: string;
    is_main: boolean;
    is_archive: boolean;
    statuses: Array<{ id: number; name: string; type: number }>;
  }>;
  customFields: Record<
    EntityType,
    Array<{ id: number; name: string; type: string; code: string | null; enums: Array<{ id: number; value: string }> | null }>
  >;
}

export type IntegrationSpec = Partial<Integration> & { redirectUri: string };

export interface DisconnectResult {
  revokedTokens: number;
  /** Status of the GET disconnect hook, null when none is configured or it failed (see `hookError`). */
  hookStatus: number | null;
  hookError: string | null;
  hookUrl: string | null;
}

export function describeAccount(a: AccountState): AccountInfo {
  return {
    id: a.id,
    subdomain: a.subdomain,
    name: a.name,
    users: a.users.map((u) => ({ id: u.id, name: u.name, isAdmin: u.isAdmin, isActive: u.isActive })),
    pipelines: a.pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      is_main: p.is_main,
      is_archive: p.is_archive,
      statuses: p.statuses.map((s) => ({ id: s.id, name: s.name, type: s.type })),
    })),
    customFields: {
      leads: a.customFields.leads.map((f) => ({ id: f.id, name: f.name, type: f.type, code: f.code, enums: f.enums })),
      contacts: a.customFields.contacts.map((f) => ({ id: f.id, name: f.name, type: f.type, code: f.code, enums: f.enums })),
      companies: a.customFields.companies.map((f) => ({ id: f.id, name: f.name, type: f.type, code: f.code, enums: f.enums })),
    },
  };
}

/** The signature amoCRM puts on the disconnect hook: hex HMAC-SHA256 of `client_id|account_id`, keyed with the secret. */
export function disconnectSignature(clientId: string, accountId: number, clientSecret: string): string {
  return createHmac('sha256', clientSecret).update(`${clientId}|${accountId}`).digest('hex');
}

export function createControl(rt: EmulatorRuntime, defaults: { subdomain: string; clientId: string }, reseed: () => void) {
  const account = (subdomain = defaults.subdomain) => rt.store.requireAccount(subdomain);
  const integration = (clientId = defaults.clientId) => rt.store.requireIntegration(clientId);

  return {
    /** Back to the seeded defaults: accounts, integrations, tokens, faults, log, webhooks, clock. */
    reset(): void {
      reseed();
    },
    addAccount(spec: NewAccount): AccountInfo {
      return describeAccount(seedAccount(rt.store, spec));
    },
    account(subdomain?: string): AccountInfo {
      return describeAccount(account(subdomain));
    },
    accounts(): AccountInfo[] {
      return [...rt.store.accounts.values()].map(describeAccount);
    },
    /** Adds a custom field to an account (e.g. to exercise the 50-per-page field lists). */
    addCustomField(
      type: EntityType,
      spec: { name: string; type: CustomFieldType; code?: string; enums?: string[] },
      subdomain?: string,
    ): number {
      const acc = account(subdomain);
      const field = seedField(rt.store, type, spec, acc.customFields[type].length);
      acc.customFields[type].push(field);
      return field.id;
    },
    setUnpaid(subdomain: string, unpaid: boolean): void {
      account(subdomain).unpaid = unpaid;
    },
    addIntegration(spec: IntegrationSpec): Integration {
      const created: Integration = {
        clientId: spec.clientId ?? randomUUID(),
        clientSecret: spec.clientSecret ?? randomBytes(32).toString('base64url'),
        redirectUri: spec.redirectUri,
        name: spec.name ?? 'Integration',
        disconnectHookUrl: spec.disconnectHookUrl ?? null,
        duplicateControl: spec.duplicateControl ?? false,
        autoConsent: spec.autoConsent ?? null,
      };
      rt.store.integrations.set(created.clientId, created);
      return { ...created };
    },
    updateIntegration(clientId: string, patch: Partial<Omit<Integration, 'clientId' | 'clientSecret'>>): Integration {
      return { ...Object.assign(integration(clientId), patch) };
    },
    integration(clientId?: string): Integration {
      return { ...integration(clientId) };
    },

    /** The kit's operations: `clock` (now, advance, set, freeze, unfreeze), `faults`, `requests`. */
    ...rt.core.control,

    oauth: {
      /** An authorisation code as if the admin clicked "Allow" (exchange it at the account's token endpoint). */
      authorize: (subdomain?: string, clientId?: string): string => rt.oauth.issueCode(account(subdomain), integration(clientId)),
      /** A token pair without the consent round trip. */
      issueTokens: (subdomain?: string, clientId?: string): TokenPair => rt.oauth.issueDirect(account(subdomain), integration(clientId)),
      issueLongLived: (expiresInSeconds: number, subdomain?: string, clientId?: string): string =>
        rt.oauth.issueLongLived(account(subdomain), integration(clientId), expiresInSeconds),
      configure: (patch: Partial<OAuthOptions>): void => void Object.assign(rt.oauth.options, patch),
    },

    rateLimit: {
      configure: (patch: Partial<RateLimitOptions>): void => void Object.assign(rt.limiter.options, patch),
      unblock: (): void => rt.limiter.unblock(),
    },

    webhooks: {
      register: (input: { destination: string; settings: string[]; sort?: number }, subdomain?: string) => ({
        ...rt.webhooks.register(account(subdomain), input, account(subdomain).admin().id),
      }),
      list: (subdomain?: string) => [...account(subdomain).webhooks.values()].map((w) => ({ ...w })),
      remove: (destination: string, subdomain?: string): boolean => rt.webhooks.unregister(account(subdomain), destination),
      /** Sends a hand-made webhook: `fields` are form-encoded PHP-style (the `account[…]` block is added). */
      fire: (input: { fields?: Record<string, unknown>; body?: string; destination?: string }, subdomain?: string) => {
        const acc = account(subdomain);
        const body =
          input.body ??
          qs.stringify(
            {
              ...input.fields,
              account: { subdomain: acc.subdomain, id: String(acc.id), _links: { self: `https://${acc.subdomain}.amocrm.ru` } },
            },
            { arrayFormat: 'indices' },
          );
        return rt.webhooks.fire(acc, body, input.destination).map((d) => d.id);
      },
      deliveries: () => rt.webhooks.deliveries().map((d) => ({ ...d, attempts: [...d.attempts] })),
      /** Resolves once no delivery is in flight or waiting for a retry. */
      settled: (): Promise<void> => rt.webhooks.settled(),
      configure: (patch: Partial<WebhookOptions>): void => void Object.assign(rt.webhooks.options, patch),
    },

    /** An admin disables the integration in the account: tokens are revoked and the GET disconnect hook is sent. */
    async disconnect(subdomain?: string, clientId?: string): Promise<DisconnectResult> {
      const acc = account(subdomain);
      const integ = integration(clientId);
      const revokedTokens = rt.oauth.revokeAll(integ.clientId, acc.id);
      const result: DisconnectResult = { revokedTokens, hookStatus: null, hookError: null, hookUrl: integ.disconnectHookUrl };
      if (!integ.disconnectHookUrl) return result;
      const url = new URL(integ.disconnectHookUrl);
      url.searchParams.set('client_uuid', integ.clientId);
      url.searchParams.set('account_id', String(acc.id));
      url.searchParams.set('signature', disconnectSignature(integ.clientId, acc.id, integ.clientSecret));
      result.hookUrl = url.toString();
      try {
        const res = await request(url, {
          method: 'GET',
          headers: { 'user-agent': 'amoService-oAuth-Code-Sender/1.0' },
          signal: AbortSignal.timeout(5000),
        });
        result.hookStatus = res.statusCode;
        await res.body.dump();
      } catch (err) {
        result.hookError = (err as Error).message;
      }
      return result;
    },

    /** Regenerates the client secret; existing authorisations are revoked (as for private integrations). */
    rotateSecret(clientId?: string, newSecret = randomBytes(32).toString('base64url')): string {
      const integ = integration(clientId);
      integ.clientSecret = newSecret;
      rt.oauth.revokeAll(integ.clientId);
      return newSecret;
    },

    entities: {
      /** The entity as GET /api/v4/{type}/{id}?with=contacts,leads would show it; undefined if missing. */
      get: (type: EntityType, id: number, subdomain?: string): Record<string, unknown> | undefined => {
        const acc = account(subdomain);
        const entity = acc.entities[type].get(id);
        return entity ? serialiseEntity(acc, entity, `https://${acc.subdomain}.amocrm.ru`, new Set(['contacts', 'leads'])) : undefined;
      },
      list: (type: EntityType, subdomain?: string): Array<Record<string, unknown>> => {
        const acc = account(subdomain);
        return [...acc.entities[type].values()].map((e) =>
          serialiseEntity(acc, e, `https://${acc.subdomain}.amocrm.ru`, new Set(['contacts', 'leads'])),
        );
      },
      count: (type: EntityType, subdomain?: string): number => account(subdomain).entities[type].size,
      notes: (type: EntityType, id: number, subdomain?: string) =>
        [...account(subdomain).notes.values()].filter((n) => n.entity_type === type && n.entity_id === id).map((n) => ({ ...n })),
    },
  };
}

export type AmoEmulatorControl = ReturnType<typeof createControl>;
