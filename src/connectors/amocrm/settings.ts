// The amoCRM connector's settings (AMO_*): the integration's credentials and where amoCRM lives. Parsed once by
// config.ts from this declaration; the connector receives them typed.
import { defineSettings, type SettingsOf } from '../../config.js';

export const AMO_SETTINGS = defineSettings({
  clientId: { env: 'AMO_CLIENT_ID', kind: 'string', description: 'amoCRM integration id (client_id).' },
  clientSecret: { env: 'AMO_CLIENT_SECRET', kind: 'string', secret: true, description: 'amoCRM integration secret key.' },
  redirectUri: {
    env: 'AMO_REDIRECT_URI',
    kind: 'url',
    description:
      'Redirect URI saved in the amoCRM integration (default PUBLIC_URL/connect/amocrm/callback). It must equal the one saved in amoCRM; PUBLIC_URL/quiz/webhook/create (seed 003) works too.',
  },
  baseUrlTemplate: {
    env: 'AMO_BASE_URL_TEMPLATE',
    kind: 'string',
    default: 'https://{subdomain}.amocrm.ru',
    description: 'Base URL of an account API; {subdomain} is replaced. Point it at the emulator for tests.',
  },
  authorizeUrl: { env: 'AMO_AUTHORIZE_URL', kind: 'url', default: 'https://www.amocrm.ru/oauth', description: 'amoCRM consent page.' },
  rateLimitPerSecond: {
    env: 'AMO_RATE_LIMIT_PER_SECOND',
    kind: 'int',
    default: '7',
    min: 1,
    max: 50,
    description: 'Requests per second per amoCRM account, shared by every hub process.',
  },
  refreshAfterDays: {
    env: 'AMO_REFRESH_AFTER_DAYS',
    kind: 'int',
    default: '7',
    min: 1,
    max: 80,
    description:
      'The refresh job renews an account’s tokens once they are this many days old (amoCRM refresh tokens die after 3 months unused).',
  },
  refreshCheckMinutes: {
    env: 'AMO_REFRESH_CHECK_MINUTES',
    kind: 'int',
    default: '60',
    min: 1,
    max: 1440,
    description: 'How often worker processes look for amoCRM tokens to renew.',
  },
});

export type AmoSettingsValues = SettingsOf<typeof AMO_SETTINGS>;

/** The settings as the connector uses them: the redirect URI defaults to the hub's neutral callback. */
export interface AmoSettings extends Omit<AmoSettingsValues, 'redirectUri'> {
  readonly redirectUri: string;
}

export const CALLBACK_PATH = '/connect/amocrm/callback';
export const DISCONNECT_PATH = '/connect/amocrm/disconnect';

export function checkAmoSettings(v: AmoSettingsValues): string[] {
  const problems: string[] = [];
  if ((v.clientId === undefined) !== (v.clientSecret === undefined))
    problems.push('AMO_CLIENT_ID and AMO_CLIENT_SECRET must be set together');
  if (!v.baseUrlTemplate.includes('{subdomain}')) problems.push('AMO_BASE_URL_TEMPLATE must contain {subdomain}');
  return problems;
}

export function resolveAmoSettings(v: AmoSettingsValues, publicUrl: string): AmoSettings {
  return { ...v, redirectUri: v.redirectUri ?? `${publicUrl}${CALLBACK_PATH}` };
}
