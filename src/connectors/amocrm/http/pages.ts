// The small pages a browser sees at the end of the amoCRM consent flow when the owner shows none of its own.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where the result pages' script is served (routes.ts): the pages' CSP allows scripts of the hub's own origin only. */
export const RESULT_SCRIPT_PATH = '/connect/amocrm/result.js';

/**
 * The script of every result page: amoCRM's `mode=post_message` consent runs in a popup, and its opener (the quiz
 * builder's page) waits for a message rather than polling. The page tells it the outcome with
 * `window.opener.postMessage({source: 'integration-hub', event: 'amocrm:connect', status, subdomain?}, '*')`: the
 * message names no secret (a status and the account's subdomain), so any opener may read it. Plain ES5, no inline
 * code (the pages' Content-Security-Policy forbids inline scripts).
 */
export const RESULT_SCRIPT = `(function () {
  var raw = document.body && document.body.getAttribute('data-amo-result');
  if (!raw || !window.opener || window.opener === window) return;
  var result;
  try { result = JSON.parse(raw); } catch (e) { return; }
  var message = { source: 'integration-hub', event: 'amocrm:connect' };
  for (var k in result) if (Object.prototype.hasOwnProperty.call(result, k)) message[k] = result[k];
  window.opener.postMessage(message, '*');
})();
`;

export function resultPage(title: string, body: string, message: object): string {
  // The outcome is machine-readable (data-amo-result) for a front end that embeds the page, and posted to the
  // popup's opener by RESULT_SCRIPT.
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;text-align:center" data-amo-result="${escape(JSON.stringify(message))}">
<h1>${escape(title)}</h1><p>${escape(body)}</p><script src="${RESULT_SCRIPT_PATH}"></script></body></html>`;
}

export function connectedPage(account: { name: string; subdomain: string }): string {
  return resultPage('amoCRM подключён', `Аккаунт «${account.name}» (${account.subdomain}) подключён. Это окно можно закрыть.`, {
    status: 'connected',
    subdomain: account.subdomain,
  });
}

export function failedPage(message: string): string {
  return resultPage('Не удалось подключить amoCRM', `${message}. Закройте окно и попробуйте подключить аккаунт ещё раз.`, {
    status: 'failed',
  });
}
