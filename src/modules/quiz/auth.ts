// The quiz platform's bearer JWT. HS256 with QUIZ_JWT_SECRET, or RS256/ES256 with QUIZ_JWT_PUBLIC_KEY (PEM); the
// quiz account id is the claim QUIZ_JWT_ACCOUNT_CLAIM (default `sub`). The token itself is never logged.
// A token must end: `exp` is enforced when present; without it, `iat` must be at most QUIZ_JWT_MAX_AGE_SECONDS old
// (0: `exp` required), so a token leaked from a platform that issues no `exp` is not valid forever.
import { createPublicKey } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { importSPKI, jwtVerify, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import type { QuizSettings } from './settings.js';
import { quizError } from './errors.js';
import { NO_CONTROL_CHARS } from '../../platform/http/schema-types.js';

declare module 'fastify' {
  interface FastifyRequest {
    quizAccountId?: string;
  }
}

export class QuizJwtVerifier {
  readonly #config: QuizSettings;
  #key: Promise<{ key: Uint8Array | CryptoKey | KeyObject; algorithms: string[] }> | undefined;

  constructor(config: QuizSettings) {
    this.#config = config;
  }

  get configured(): boolean {
    return Boolean(this.#config.jwtPublicKey || this.#config.jwtSecret);
  }

  #verificationKey() {
    this.#key ??= (async () => {
      const pem = this.#config.jwtPublicKey;
      if (pem) {
        const text = pem.replace(/\\n/g, '\n');
        // The PEM does not name its algorithm; an EC key means ES256, anything else RS256.
        const alg = /BEGIN PUBLIC KEY/.test(text) && (await isEcKey(text)) ? 'ES256' : 'RS256';
        return { key: await importSPKI(text, alg), algorithms: [alg] };
      }
      return { key: new TextEncoder().encode(this.#config.jwtSecret ?? ''), algorithms: ['HS256'] };
    })();
    return this.#key;
  }

  /** The quiz account id of a valid token; throws the module's 401s otherwise. */
  async accountOf(authorization: string | undefined): Promise<string> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) throw quizError('UNAUTHORIZED', undefined, undefined, WWW_AUTHENTICATE);
    if (!this.configured) throw quizError('AUTH_NOT_CONFIGURED', undefined, undefined, WWW_AUTHENTICATE);
    let payload: JWTPayload;
    try {
      const { key, algorithms } = await this.#verificationKey();
      ({ payload } = await jwtVerify(token, key, { algorithms }));
    } catch {
      throw quizError('BAD_TOKEN', undefined, undefined, WWW_AUTHENTICATE);
    }
    if (payload.exp === undefined && !this.#youngEnough(payload.iat)) {
      const max = this.#config.jwtMaxAgeSeconds;
      throw quizError(
        'BAD_TOKEN',
        max === 0
          ? 'В токене нет срока действия (claim exp)'
          : `В токене нет срока действия (claim exp), а iat отсутствует или старше ${max} с`,
        undefined,
        WWW_AUTHENTICATE,
      );
    }
    const claim = payload[this.#config.jwtAccountClaim];
    // The id becomes a key in our tables and a log field: a signed token is trusted for who it names, not for
    // what bytes it carries (a NUL would fail PostgreSQL's insert as a 500; a megabyte id would bloat every row).
    if ((typeof claim !== 'string' && typeof claim !== 'number') || !ACCOUNT_ID.test(String(claim))) {
      throw quizError(
        'BAD_TOKEN',
        `В токене нет допустимого идентификатора аккаунта (claim ${this.#config.jwtAccountClaim}: 1–200 символов без управляющих)`,
        undefined,
        WWW_AUTHENTICATE,
      );
    }
    return String(claim);
  }

  /** For a token without `exp`: issued (iat) within the allowed age, and not in the future beyond clock skew. */
  #youngEnough(iat: number | undefined): boolean {
    const max = this.#config.jwtMaxAgeSeconds;
    if (max === 0 || typeof iat !== 'number') return false;
    const age = Date.now() / 1000 - iat;
    return age <= max && age >= -CLOCK_SKEW_SECONDS;
  }

  /** A preHandler for protected routes: sets `req.quizAccountId`. */
  readonly guard = async (req: FastifyRequest): Promise<void> => {
    req.quizAccountId = await this.accountOf(req.headers.authorization);
  };
}

/** A quiz account id: 1–200 characters, none of them a control character or half a surrogate pair. */
const ACCOUNT_ID = new RegExp(NO_CONTROL_CHARS.replace(/\*\$$/, '{1,200}$'), 'u');

/** How far in the future an `iat` may lie (clocks of the quiz platform and the hub differ a little). */
const CLOCK_SKEW_SECONDS = 60;

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer realm="quiz"' };

async function isEcKey(pem: string): Promise<boolean> {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'ec';
  } catch {
    return false;
  }
}

/** The account id set by the guard (routes that use the guard only). */
export function accountOf(req: FastifyRequest): string {
  if (!req.quizAccountId) throw quizError('UNAUTHORIZED');
  return req.quizAccountId;
}

export const QUIZ_SECURITY = [{ quizJwt: [] }];
