// amoCRM's two callbacks, at neutral paths of the connector (/connect/amocrm/callback and /disconnect): the
// redirect after consent and the hook amoCRM calls when a user switches the integration off. Whichever module
// asked for the connection is told by the connector; modules never mount these themselves.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { PlatformError } from '../../../platform/admin/schemas.js';
import type { AmoConnector } from '../port.js';
import { DisconnectHookQuery, Html, OAuthRedirectQuery, TAG } from './contract.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../../platform/http/error-handler.js';
import { pageMessage, toHttpError } from './errors.js';
import { connectedPage, failedPage, RESULT_SCRIPT } from './pages.js';

type Query = Record<string, string | undefined>;

/** Runs the redirect and answers the browser: the owner's redirect or page, or the connector's own page. */
export async function answerCallback(amo: AmoConnector, query: Query, log: FastifyInstance['log']) {
  try {
    const { account, outcome } = await amo.completeAuthorization(query);
    if (outcome.redirectTo) return { status: 303, location: outcome.redirectTo } as const;
    return { status: 200, html: outcome.html ?? connectedPage(account) } as const;
  } catch (err) {
    const { status, message } = pageMessage(err);
    if (status >= 500) log.error({ err }, 'amoCRM connect failed');
    else log.warn({ err }, 'amoCRM connect refused');
    // 503 (the hub's database, or amoCRM not configured) says "this side, try later"; other failures are amoCRM's.
    if (status === 503)
      return { status: 503, html: failedPage(message), headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } } as const;
    return { status: status >= 500 ? 502 : 400, html: failedPage(message) } as const;
  }
}

export function connectionRoutes(app: FastifyInstance, amo: AmoConnector): void {
  const tags = [TAG];
  // The result pages' script (pages.ts): tells a popup's opener how the consent ended.
  app.get('/result.js', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(RESULT_SCRIPT),
  );
  app.get<{ Querystring: Static<typeof OAuthRedirectQuery> }>(
    '/callback',
    {
      schema: {
        operationId: 'AmoOAuthCallback',
        tags,
        summary: 'amoCRM OAuth redirect (the integration’s Redirect URI)',
        description:
          'Exchanges the code for tokens, stores them encrypted and tells the module that asked for the connection ' +
          '(the `state` names it). Answers the browser with a page, or a redirect chosen by that module.',
        querystring: OAuthRedirectQuery,
        response: {
          200: Html('Connected'),
          303: Type.Null({ description: 'the module’s own after-connect page' }),
          400: Html('Not connected: declined, expired link, or amoCRM refused the code'),
          502: Html('amoCRM unavailable'),
          503: Html('The hub is temporarily unavailable (its database) or amoCRM is not configured; Retry-After says when to retry'),
        },
      },
    },
    async (req, reply) => {
      const answer = await answerCallback(amo, req.query as Query, req.log);
      if (answer.status === 303) return reply.redirect(answer.location, 303);
      if ('headers' in answer && answer.headers) reply.headers(answer.headers);
      return reply.status(answer.status).type('text/html; charset=utf-8').send(answer.html);
    },
  );

  app.get<{ Querystring: Static<typeof DisconnectHookQuery> }>(
    '/disconnect',
    {
      schema: {
        operationId: 'AmoDisconnectHook',
        tags,
        summary: 'amoCRM hook: the integration was switched off in an account',
        description: 'Verifies the signature (HMAC-SHA256 of "client_id|account_id"), wipes the tokens and tells every module.',
        querystring: DisconnectHookQuery,
        response: { 200: Type.Object({ disconnected: Type.Integer() }), 401: PlatformError, 502: PlatformError, 503: PlatformError },
      },
    },
    async (req) => {
      try {
        const { amoAccountId } = await amo.handleDisconnectHook(req.query as Query);
        return { disconnected: amoAccountId };
      } catch (err) {
        throw toHttpError(err);
      }
    },
  );
}
