// The page a browser sees after consent when QUIZ_AFTER_CONNECT_URL is unset: the connector's result page, with the
// quiz's own wording. (Failures are the connector's page: the quiz never sees a consent that failed.)
import { resultPage } from '../../connectors/amocrm/index.js';

export function connectedPage(account: { name: string; subdomain: string }): string {
  return resultPage('amoCRM подключён', `Аккаунт «${account.name}» (${account.subdomain}) подключён к квизу. Это окно можно закрыть.`, {
    status: 'connected',
    subdomain: account.subdomain,
  });
}
