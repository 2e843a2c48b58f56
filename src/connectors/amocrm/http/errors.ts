// The connector's HTTP error catalogue (platform envelope), and how its AmoErrors map onto it.
import { defineErrors, HubError } from '../../../platform/http/errors.js';
import { isDatabaseUnavailable } from '../../../platform/db/errors.js';
import { isAmoError } from '../errors.js';

export const amoHttpError = defineErrors({
  AMO_AUTHORIZATION_FAILED: { status: 400, message: 'The amoCRM authorisation did not complete' },
  AMO_INVALID_OWNER: { status: 400, message: 'owner must be "<module>" or "<module>:<id>" of a module of this hub' },
  AMO_BAD_SIGNATURE: { status: 401, message: 'The disconnect hook signature does not match' },
  AMO_ACCOUNT_NOT_FOUND: { status: 404, message: 'No such amoCRM account' },
  AMO_NEEDS_REAUTH: { status: 409, message: 'amoCRM refused the refresh token; the account must be connected again' },
  AMO_UNAVAILABLE: { status: 502, message: 'amoCRM is unavailable; try again later' },
  AMO_NOT_CONFIGURED: { status: 503, message: 'The amoCRM integration is not configured (AMO_CLIENT_ID, AMO_CLIENT_SECRET)' },
});

/** Russian text for the browser page at the end of the consent flow (what the amoCRM user reads). */
export function pageMessage(err: unknown): { status: number; message: string } {
  // The hub's own database away: nothing was stored, the same link works again once it is back.
  if (isDatabaseUnavailable(err)) return { status: 503, message: 'Сервис временно недоступен, откройте ссылку ещё раз через минуту' };
  // An owner refusing the connection (its own catalogue, its own language) is shown as it put it.
  if (!isAmoError(err))
    return err instanceof HubError && err.status < 500
      ? { status: 400, message: err.message }
      : { status: 502, message: 'Внутренняя ошибка' };
  switch (err.code) {
    case 'ACCESS_DENIED':
      return { status: 400, message: 'Пользователь amoCRM не разрешил доступ' };
    case 'INVALID_STATE':
      return { status: 400, message: 'Ссылка подключения недействительна или устарела, получите новую' };
    case 'INVALID_CALLBACK':
    case 'EXCHANGE_FAILED':
      return { status: 400, message: 'amoCRM не подтвердил подключение' };
    case 'NOT_CONFIGURED':
      return { status: 503, message: 'Интеграция с amoCRM не настроена' };
    default:
      return { status: 502, message: 'amoCRM недоступен' };
  }
}

/** An AmoError as the platform envelope's error; anything else is passed through (a 500). */
export function toHttpError(err: unknown): Error | HubError {
  if (!isAmoError(err)) return err as Error;
  switch (err.code) {
    case 'INVALID_SIGNATURE':
      return amoHttpError('AMO_BAD_SIGNATURE');
    case 'ACCESS_DENIED':
    case 'INVALID_STATE':
    case 'INVALID_CALLBACK':
    case 'EXCHANGE_FAILED':
      return amoHttpError('AMO_AUTHORIZATION_FAILED', err.message);
    case 'NOT_CONFIGURED':
      return amoHttpError('AMO_NOT_CONFIGURED');
    case 'NOT_CONNECTED':
      return amoHttpError('AMO_ACCOUNT_NOT_FOUND', err.message);
    case 'NEEDS_REAUTH':
      return amoHttpError('AMO_NEEDS_REAUTH');
    default:
      return amoHttpError('AMO_UNAVAILABLE');
  }
}
