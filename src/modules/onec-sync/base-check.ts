// The connection check of POST /onec/sync/base: the 1C connector's get_handlers_version against the base being
// saved, with the connector's error codes turned into the Russian reason 1C shows its user.
import { isOnecError, type OnecConnector, type OnecTarget } from '../../connectors/onec/index.js';
import type { CheckBase, OnecBase } from './bases.js';

/** How long the check may wait: 1C waits for this answer, so less than ONEC_TIMEOUT_MS's 30 s. */
const CHECK_TIMEOUT_MS = 15_000;

export const targetOf = (b: OnecBase): OnecTarget => ({
  key: b.key,
  idBase: b.idBase,
  webAddress: b.webAddress,
  login: b.login,
  password: b.password,
});

/** A connector failure in words for 1C's user (the connector's own messages are English, for operators). */
export function onecReason(err: unknown): string {
  if (!isOnecError(err)) return 'внутренняя ошибка при обращении к 1С';
  const status = err.httpStatus !== undefined ? ` (код ${err.httpStatus})` : '';
  switch (err.code) {
    case 'UNAUTHORIZED':
      return '1С отклонила логин или пароль';
    case 'NOT_FOUND':
      return 'по адресу обработчиков ничего не опубликовано (404): проверьте web_address';
    case 'INVALID_TARGET':
      return 'адрес обработчиков не является ссылкой http:// или https://';
    case 'TARGET_REFUSED':
      return 'адрес 1С указывает на внутреннюю или локальную сеть';
    case 'TARGET_UNRESOLVED':
      return 'сервер 1С недоступен: имя не найдено или соединение не установлено';
    case 'UNAVAILABLE':
      return `сервер 1С недоступен${status}`;
    case 'TIMEOUT':
      return '1С не ответила вовремя';
    case 'UNEXPECTED_RESPONSE':
      return '1С ответила не в формате JSON или без нужных полей';
    case 'REJECTED':
      return `1С отклонила запрос${status}${err.detail ? `: ${err.detail}` : ''}`;
    case 'AMBIGUOUS':
      return `1С не дала ответа${status}`;
  }
}

/** The default CheckBase: 1C answered get_handlers_version with a version. */
export function onecBaseCheck(onec: OnecConnector): CheckBase {
  return async (base) => {
    try {
      await onec.getHandlersVersion(targetOf(base), { timeoutMs: CHECK_TIMEOUT_MS });
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: onecReason(err) };
    }
  };
}
