// The small pages a browser sees at the end of the amoCRM consent flow when the owner shows none of its own.
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function resultPage(title: string, body: string, message: object): string {
  // The outcome is also machine-readable (data-amo-result) for a front end that embeds the page; there is no
  // inline script because the hub's Content-Security-Policy forbids it.
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;text-align:center" data-amo-result="${escape(JSON.stringify(message))}">
<h1>${escape(title)}</h1><p>${escape(body)}</p></body></html>`;
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
