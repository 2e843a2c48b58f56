// Operator API for amoCRM connections (/admin/v1/amocrm/…): hand out a consent link for any module, list the
// connected accounts with the state of their tokens, renew tokens now, disconnect. Tokens never leave the hub.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ADMIN_SECURITY } from '../../../platform/admin/auth.js';
import { PlatformError } from '../../../platform/admin/schemas.js';
import type { AmoAccountState, AmoConnector } from '../port.js';
import { AccountParams, AccountState, ADMIN_TAG, ConnectBody, ConnectLink } from './contract.js';
import { amoHttpError, toHttpError } from './errors.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function stateView(a: AmoAccountState): Static<typeof AccountState> {
  return {
    ...a,
    connectedAt: a.connectedAt.toISOString(),
    accessExpiresAt: iso(a.accessExpiresAt),
    tokensRefreshedAt: iso(a.tokensRefreshedAt),
    refreshExpiresAt: iso(a.refreshExpiresAt),
    pausedUntil: iso(a.pausedUntil),
  };
}

export function amoAdminRoutes(app: FastifyInstance, amo: AmoConnector): void {
  const base = { tags: [ADMIN_TAG], security: ADMIN_SECURITY };
  const mapped = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toHttpError(err);
    }
  };

  app.post<{ Body: Static<typeof ConnectBody> }>(
    '/amocrm/connect',
    {
      schema: {
        ...base,
        operationId: 'AdminAmoConnectLink',
        summary: 'A consent link connecting an amoCRM account for a module',
        description: 'Open the link as the amoCRM user who grants access; after consent the module named in `owner` is told.',
        body: ConnectBody,
        response: { 200: ConnectLink, 400: PlatformError, 401: PlatformError, 503: PlatformError },
      },
    },
    async (req) => {
      const { owner, mode } = req.body;
      const name = owner.split(':')[0]!;
      if (!amo.owners().includes(name)) {
        throw amoHttpError('AMO_INVALID_OWNER', `owner "${name}" is not a module that uses amoCRM here (${amo.owners().join(', ')})`);
      }
      return mapped(async () => ({ url: await amo.authorizeUrl(owner, mode ? { mode } : {}), owner }));
    },
  );

  app.get(
    '/amocrm/accounts',
    {
      schema: {
        ...base,
        operationId: 'AdminAmoAccounts',
        summary: 'amoCRM accounts the hub knows, with token state and expiry',
        response: { 200: Type.Object({ accounts: Type.Array(AccountState) }), 401: PlatformError },
      },
    },
    async () => ({ accounts: (await amo.listAccounts()).map(stateView) }),
  );

  app.get<{ Params: Static<typeof AccountParams> }>(
    '/amocrm/accounts/:id',
    {
      schema: {
        ...base,
        operationId: 'AdminAmoAccount',
        summary: 'One amoCRM account with token state',
        params: AccountParams,
        response: { 200: AccountState, 400: PlatformError, 401: PlatformError, 404: PlatformError },
      },
    },
    async (req) => {
      const state = await amo.accountState(req.params.id);
      if (!state) throw amoHttpError('AMO_ACCOUNT_NOT_FOUND');
      return stateView(state);
    },
  );

  app.post<{ Params: Static<typeof AccountParams> }>(
    '/amocrm/accounts/:id/refresh',
    {
      schema: {
        ...base,
        operationId: 'AdminAmoRefresh',
        summary: 'Renew an account’s tokens now',
        params: AccountParams,
        response: {
          200: AccountState,
          400: PlatformError,
          401: PlatformError,
          404: PlatformError,
          409: PlatformError,
          502: PlatformError,
          503: PlatformError,
        },
      },
    },
    async (req) => stateView(await mapped(() => amo.refreshNow(req.params.id))),
  );

  app.delete<{ Params: Static<typeof AccountParams> }>(
    '/amocrm/accounts/:id',
    {
      schema: {
        ...base,
        operationId: 'AdminAmoDisconnect',
        summary: 'Disconnect an account: wipe its tokens and tell every module',
        params: AccountParams,
        response: { 200: AccountState, 400: PlatformError, 401: PlatformError, 404: PlatformError },
      },
    },
    async (req) => {
      if (!(await amo.disconnect(req.params.id))) throw amoHttpError('AMO_ACCOUNT_NOT_FOUND');
      return stateView((await amo.accountState(req.params.id))!);
    },
  );
}
