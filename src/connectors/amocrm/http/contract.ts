// Schemas of the connector's own routes: amoCRM's two callbacks and the operator API for connections.
import { Type } from '@sinclair/typebox';
import { IdInteger, LineString, Nullable, StringEnum } from '../../../platform/http/schema-types.js';

export const TAG = 'amoCRM connections';
export const ADMIN_TAG = 'admin: amoCRM';

/** amoCRM's OAuth redirect query (https://www.amocrm.ru/developers/content/oauth/step-by-step). */
export const OAuthRedirectQuery = Type.Object({
  code: Type.Optional(LineString({ maxLength: 4096, description: 'authorisation code (lives 20 minutes)' })),
  referer: Type.Optional(LineString({ maxLength: 500, description: 'the account domain, e.g. example.amocrm.ru' })),
  state: Type.Optional(LineString({ maxLength: 4096, description: 'the state of the consent link the hub handed out' })),
  client_id: Type.Optional(LineString({ maxLength: 500 })),
  from_widget: Type.Optional(LineString({ maxLength: 500 })),
  error: Type.Optional(LineString({ maxLength: 500, description: 'access_denied when the user declined' })),
});

/** amoCRM's disconnect hook query: signature = hex HMAC-SHA256("client_id|account_id", client secret). */
export const DisconnectHookQuery = Type.Object({
  client_uuid: Type.Optional(LineString({ maxLength: 500 })),
  account_id: Type.Optional(LineString({ maxLength: 500 })),
  signature: Type.Optional(LineString({ maxLength: 500 })),
});

/** A page for the browser (the response is text/html, not JSON). */
export const Html = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } });

export const AccountState = Type.Object({
  amoAccountId: Type.Integer(),
  subdomain: Type.String(),
  name: Type.String(),
  country: Nullable(Type.String()),
  amoUserId: Nullable(Type.Integer()),
  status: StringEnum(['active', 'needs_reauth', 'disconnected']),
  owner: Nullable(Type.String({ description: 'who asked for the connection last: "<module>" or "<module>:<id>"' })),
  connectedAt: Type.String({ format: 'date-time' }),
  accessExpiresAt: Nullable(Type.String({ format: 'date-time' })),
  tokensRefreshedAt: Nullable(Type.String({ format: 'date-time' })),
  refreshExpiresAt: Nullable(
    Type.String({ format: 'date-time', description: 'the refresh token dies unused after this (the refresh job renews it well before)' }),
  ),
  tokenVersion: Type.Integer(),
  pausedUntil: Nullable(Type.String({ format: 'date-time' })),
  lastError: Nullable(Type.String()),
});

export const ConnectBody = Type.Object({
  owner: LineString({
    maxLength: 240,
    pattern: '^[a-z][a-z0-9-]{0,39}(:[^\\s:][^\\s]{0,199})?$',
    description: 'the module the account is for ("onec-sync"), optionally with its own id ("quiz:42")',
    examples: ['onec-sync', 'quiz:42'],
  }),
  mode: Type.Optional(StringEnum(['popup', 'post_message'])),
});

export const ConnectLink = Type.Object({
  url: Type.String({ format: 'uri', description: 'amoCRM consent link; valid 30 minutes, single use' }),
  owner: Type.String(),
});

export const AccountParams = Type.Object({ id: IdInteger() });
