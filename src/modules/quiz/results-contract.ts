// Results intake: not spelled out in seed 003 (its purpose is "every quiz response becomes a lead"), so this is
// our own contract, documented in the same OpenAPI document under the tag "quiz: results".
import { Type, type Static } from '@sinclair/typebox';
import { IdInteger, LineString, MAX_ID, StringEnum, TextString } from '../../platform/http/schema-types.js';

export const MAX_RESULTS_PER_REQUEST = 500;
/** The longest id a quiz route accepts (in a body and in the path of GET /results/{resultId}). */
export const RESULT_ID_MAX_LENGTH = 200;

/** Results are stored as jsonb: a number must be finite in JSON anyway; the bound keeps it a plain double. */
const AnswerNumber = Type.Number({ minimum: -1e15, maximum: 1e15 });
const AnswerText = TextString({ maxLength: 10_000 });
const AnswerValue = Type.Union([
  AnswerText,
  AnswerNumber,
  Type.Boolean(),
  Type.Array(Type.Union([AnswerText, AnswerNumber]), { maxItems: 100 }),
  Type.Null(),
]);

export const Answer = Type.Object({
  questionId: Type.Union([Type.Integer({ minimum: 0, maximum: MAX_ID }), LineString({ minLength: 1, maxLength: 100 })], {
    description: 'id вопроса (ключ в Fieldsrule)',
  }),
  title: Type.Optional(TextString({ maxLength: 1000, description: 'текст вопроса' })),
  value: AnswerValue,
});

export const QuizResult = Type.Object({
  quizId: IdInteger({ description: 'id квиза; для него должно быть правило' }),
  resultId: LineString({
    minLength: 1,
    maxLength: RESULT_ID_MAX_LENGTH,
    description: 'id результата в квизе; повтор не создаёт вторую сделку',
  }),
  answers: Type.Array(Answer, { maxItems: 200 }),
  contact: Type.Optional(
    Type.Object({
      name: Type.Optional(LineString({ maxLength: 500 })),
      phone: Type.Optional(LineString({ maxLength: 100 })),
      email: Type.Optional(LineString({ maxLength: 300 })),
      company: Type.Optional(LineString({ maxLength: 500, description: 'название компании (если правило заполняет компанию)' })),
    }),
  ),
  utm: Type.Optional(
    Type.Record(Type.String({ pattern: '^utm_[a-z_]+$' }), LineString({ maxLength: 2000 }), {
      description: 'utm_source, utm_medium, utm_campaign, utm_content, utm_term',
    }),
  ),
  createdAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type QuizResult = Static<typeof QuizResult>;
export type Answer = Static<typeof Answer>;

export const ResultsBody = Type.Union([QuizResult, Type.Array(QuizResult, { minItems: 1, maxItems: MAX_RESULTS_PER_REQUEST })], {
  description: `Один результат или массив до ${MAX_RESULTS_PER_REQUEST}`,
});

export const ResultsAccepted = Type.Object({
  accepted: Type.Array(Type.String(), { description: 'resultId всех принятых результатов (повторы тоже: они уже приняты)' }),
  duplicates: Type.Array(Type.String(), { description: 'resultId, которые были приняты раньше; новой сделки не будет' }),
});

export const ResultIdParams = Type.Object({ resultId: LineString({ minLength: 1, maxLength: RESULT_ID_MAX_LENGTH }) });

export const ResultStatus = Type.Object({
  status: StringEnum(['queued', 'sent', 'failed']),
  amoLeadId: Type.Optional(Type.Integer()),
  amoContactId: Type.Optional(Type.Integer()),
  amoCompanyId: Type.Optional(Type.Integer()),
  error: Type.Optional(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      retryable: Type.Boolean(),
      details: Type.Optional(Type.Unknown()),
    }),
  ),
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'ответы, которые не удалось записать в поля amoCRM (сделка создана)' })),
});
export type ResultStatusBody = Static<typeof ResultStatus>;
