// The quiz module's settings (QUIZ_*): how the quiz platform's JWT is verified and where the browser goes after
// amoCRM consent. Parsed once by config.ts from this declaration.
import { defineSettings, type SettingsOf } from '../../config.js';

export const QUIZ_SETTINGS = defineSettings({
  jwtSecret: { env: 'QUIZ_JWT_SECRET', kind: 'string', secret: true, description: 'HS256 secret verifying the quiz platform bearer JWT.' },
  jwtPublicKey: {
    env: 'QUIZ_JWT_PUBLIC_KEY',
    kind: 'string',
    description: 'PEM public key (RS256/ES256) verifying the quiz platform JWT; used instead of the secret.',
  },
  jwtMaxAgeSeconds: {
    env: 'QUIZ_JWT_MAX_AGE_SECONDS',
    kind: 'int',
    default: '3600',
    min: 0,
    max: 31_536_000,
    description:
      'A quiz JWT without `exp` is accepted only while its `iat` is at most this old (seconds); 0 requires `exp`. Tokens with `exp` are held to it.',
  },
  jwtAccountClaim: { env: 'QUIZ_JWT_ACCOUNT_CLAIM', kind: 'string', default: 'sub', description: 'JWT claim holding the quiz account id.' },
  afterConnectUrl: {
    env: 'QUIZ_AFTER_CONNECT_URL',
    kind: 'url',
    description: 'Where the browser goes after amoCRM consent (default: a small confirmation page).',
  },
});

export type QuizSettings = SettingsOf<typeof QUIZ_SETTINGS>;
