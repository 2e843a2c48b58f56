// The consent page (`/oauth?client_id=&state=&mode=`, as on www.amocrm.ru) and the token endpoint
// (`/{subdomain}/oauth2/access_token`). Tests skip the human with `_emulator_decision=allow|deny` or the
// integration's `autoConsent`; people get a tiny HTML page with Allow / Deny that posts back.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { problem, sendProblem } from './problem.js';
import type { EmulatorRuntime } from './runtime.js';
import type { AccountState, Integration } from './store.js';

type Q = Record<string, string | undefined>;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function redirectAfterConsent(
  rt: EmulatorRuntime,
  reply: FastifyReply,
  integration: Integration,
  account: AccountState,
  decision: string,
  q: Q,
): FastifyReply {
  const target = new URL(integration.redirectUri);
  if (decision === 'allow') {
    target.searchParams.set('code', rt.oauth.issueCode(account, integration));
    // The connector must turn `referer` into its base URL via AMO_BASE_URL_TEMPLATE (the real host is {sub}.amocrm.ru).
    target.searchParams.set('referer', `${account.subdomain}.amocrm.ru`);
    if (q.state) target.searchParams.set('state', q.state);
    target.searchParams.set('client_id', integration.clientId);
    if (q._emulator_from_widget || q.from_widget) target.searchParams.set('from_widget', '1');
  } else {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('client_id', integration.clientId);
    if (q.state) target.searchParams.set('state', q.state);
  }
  return reply.code(302).header('location', target.toString()).send();
}

function consentPage(rt: EmulatorRuntime, integration: Integration, q: Q): string {
  const hidden = ['client_id', 'state', 'mode', '_emulator_from_widget']
    .filter((k) => q[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k]!)}">`)
    .join('');
  const options = [...rt.store.accounts.values()]
    .map((a) => `<option value="${escapeHtml(a.subdomain)}">${escapeHtml(a.name)} (${escapeHtml(a.subdomain)}.amocrm.ru)</option>`)
    .join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Предоставить доступ — amoCRM emulator</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
<h1>Интеграция «${escapeHtml(integration.name)}» запрашивает доступ</h1>
<form method="post" action="/oauth/decision">${hidden}
<p><label>Аккаунт: <select name="account">${options}</select></label></p>
<button type="submit" name="decision" value="allow">Разрешить</button>
<button type="submit" name="decision" value="deny">Отказать</button>
</form><p><small>amoCRM emulator: nothing here is real.</small></p></body></html>`;
}

export function oauthRoutes(app: FastifyInstance, rt: EmulatorRuntime): void {
  const resolve = (q: Q, reply: FastifyReply) => {
    const integration = rt.store.integrations.get(q.client_id ?? '');
    if (!integration) {
      reply.code(404).type('text/html').send('<!doctype html><p>Интеграция не найдена (unknown client_id)</p>');
      return undefined;
    }
    return integration;
  };
  const pickAccount = (subdomain: string | undefined) =>
    subdomain ? rt.store.account(subdomain) : rt.store.accounts.values().next().value;

  app.get('/oauth', async (req, reply) => {
    const q = req.query as Q;
    const integration = resolve(q, reply);
    if (!integration) return reply;
    const decision = q._emulator_decision ?? integration.autoConsent;
    const account = pickAccount(q._emulator_account);
    if (decision && account) return redirectAfterConsent(rt, reply, integration, account, decision, q);
    return reply.type('text/html; charset=utf-8').send(consentPage(rt, integration, q));
  });

  app.post('/oauth/decision', async (req, reply) => {
    const q = (req.body ?? {}) as Q;
    const integration = resolve(q, reply);
    if (!integration) return reply;
    const account = pickAccount(q.account);
    if (!account) return reply.code(400).type('text/html').send('<!doctype html><p>Unknown account</p>');
    return redirectAfterConsent(rt, reply, integration, account, q.decision === 'allow' ? 'allow' : 'deny', q);
  });

  app.post('/:subdomain/oauth2/access_token', async (req, reply) => {
    const account = rt.store.account((req.params as Q).subdomain ?? '');
    if (!account) return sendProblem(reply, problem(404, 'Account not found'));
    const body = req.body;
    const pair = rt.oauth.exchange(account, typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});
    return reply.type('application/json').send(JSON.stringify(pair));
  });
}
