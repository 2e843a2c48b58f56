// Shapes every customs route shares: the seed's `Error` and `SuccessResponse`, the token sources, and the string
// kinds a ПТД may carry. XML 1.0 cannot hold C0 control characters (but tab, line feed, carriage return), U+FFFE
// or U+FFFF, and C1 controls (U+007F–U+009F) have no business in a declaration either: such input is refused by
// the schema (400 naming the field) rather than silently dropped from a legal document.
import { Type, type SchemaOptions, type TString } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/schema-types.js';

export const TAG_ALTA = 'Альта';
export const TAG_VED_SKLAD = 'ВЭД-склад';

/** The systems that call the hub, one token each. */
export const SOURCES = ['alta', 'ved-sklad', 'lab', '1c', 'amocrm'] as const;
export type Source = (typeof SOURCES)[number];
export const SourceSchema = StringEnum(SOURCES, { description: 'Источник: alta, ved-sklad, lab, 1c или amocrm' });

const PAIR = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';
/** One line of a document: no control character of either set, no lone surrogate, no non-character. */
export const CUSTOMS_LINE = `^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF\\uFFFE\\uFFFF]|${PAIR})*$`;
/** Free text: tab, line feed and carriage return also allowed (the builder folds them into spaces). */
export const CUSTOMS_TEXT = `^(?:[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF\\uFFFE\\uFFFF]|${PAIR})*$`;

type Opts = Omit<SchemaOptions, 'pattern'> & { minLength?: number; maxLength: number; pattern?: string };

/**
 * A one-line value; with `pattern`, the field's own format applies too (one lookahead for the character rule), to the
 * whole value: `$` closes it, else `10702070/030325/0012345xyz` would pass a registration number's pattern.
 */
export function Line(options: Opts): TString {
  const { pattern, ...rest } = options;
  return Type.String({ minLength: 1, ...rest, pattern: pattern ? `^(?=${CUSTOMS_LINE.slice(1)})(?:${pattern})$` : CUSTOMS_LINE });
}

export function Text(options: Opts): TString {
  return Type.String({ minLength: 1, ...options, pattern: CUSTOMS_TEXT });
}

const Problem = Type.Object({
  field: Type.String({ description: 'Поле запроса, к которому относится замечание (через точку: vehicles.items.0.vin)' }),
  code: Type.String({ description: 'Код замечания (VIN_FORMAT, INN_CHECKSUM, XSD…)' }),
  message: Type.String({ description: 'Описание по-русски' }),
});

export const ErrorSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Object({
      code: Type.String({ description: 'Код ошибки из закрытого перечня модуля' }),
      message: Type.String({ description: 'Описание по-русски' }),
      requestId: Type.String({ description: 'Идентификатор запроса (в журнале сервиса)' }),
      problems: Type.Optional(Type.Array(Problem, { description: 'Каждая проблема запроса отдельно, по полям' })),
    }),
  },
  {
    title: 'Error',
    description: 'Ошибка: 400 — некорректный запрос, 401 — нет или неверный токен, 500 — внутренняя ошибка',
    examples: [
      {
        success: false,
        error: {
          code: 'PTD_INVALID',
          message: 'По этим данным нельзя сформировать ПТД',
          requestId: '5f0c9a52-6a34-4f51-9d7e-2b1f3c1d9e10',
          problems: [
            { field: 'vehicles.items.0.vin', code: 'VIN_FORMAT', message: 'VIN: 17 символов, латинские буквы без I, O, Q и цифры' },
          ],
        },
      },
    ],
  },
);

export const SuccessResponse = Type.Object(
  {
    success: Type.Literal(true),
    message: Type.String({ description: 'Что сделано' }),
    duplicate: Type.Optional(Type.Boolean({ description: 'true: такое уведомление (тот же eventId) уже было принято' })),
  },
  {
    title: 'SuccessResponse',
    description: 'Уведомление принято (сохранено до ответа и будет обработано)',
    examples: [{ success: true, message: 'Уведомление принято' }],
  },
);

/** The route security: a source's token in X-Hub-Token, as a Bearer token, or in ?token= (amoCRM webhooks). */
export const TOKEN_SECURITY: Array<Record<string, string[]>> = [{ customsToken: [] }, { customsBearer: [] }, { customsTokenQuery: [] }];
