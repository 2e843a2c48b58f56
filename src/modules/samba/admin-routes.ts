// Operator API under /admin/v1/samba: the users SAMBA authenticates as, and — until 1C's own documents reach the
// hub — the records the seed only reads: customers (юр. лица), payment documents, placements and acts. JSON only.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { LineString } from '../../platform/http/schema-types.js';
import { ADMIN_SECURITY } from '../../platform/admin/auth.js';
import { PlatformError as E } from '../../platform/admin/schemas.js';
import * as A from './answers.js';
import type { Services } from './services.js';
import type { BankImportService } from './bank-import.js';
import { IMPORT_KINDS, type TableImportService } from './imports.js';
import { StringEnum } from '../../platform/http/schema-types.js';
import { LOGIN_PATTERN, MIN_PASSWORD } from './users.js';
import { DATE_PATTERN } from './values.js';

export const ADMIN_TAG = 'admin: samba';

const Login = Type.String({ pattern: LOGIN_PATTERN, maxLength: 64, description: 'Логин HTTP Basic' });
const Password = LineString({ minLength: MIN_PASSWORD, maxLength: 200, description: 'Пароль' });
const User = Type.Object({ login: Type.String(), created_at: Type.String(), updated_at: Type.String() }, { title: 'SambaUser' });
export const Str = (maxLength: number, description: string) => LineString({ maxLength, description });
export const Opt = (maxLength: number, description: string) => Type.Optional(Str(maxLength, description));
export const DateIn = (description: string) => LineString({ maxLength: 40, pattern: DATE_PATTERN, description });
export const Money = Type.Unsafe<number | string>({
  type: ['number', 'string'],
  maxLength: 30,
  pattern: '^\\s*-?\\d{1,15}([.,]\\d{1,2})?\\s*$',
  description: 'Сумма, руб. (не более двух знаков после запятой)',
});
const rk = { uuid_rk: Opt(100, 'РК: uuid (или rk_id)'), rk_id: Opt(100, 'РК: номер в SAMBA') };

const NewCustomer = Type.Object({
  inn: Str(12, 'ИНН (10 или 12 цифр)'),
  kpp: Opt(9, 'КПП'),
  name: Str(300, 'Наименование'),
  fullName: Opt(500, 'Полное наименование'),
});
const NewPayment = Type.Object({
  uuid_po: Opt(100, 'Счет: uuid (или number_po и date_po)'),
  number_po: Opt(100, 'Счет: номер'),
  date_po: Type.Optional(DateIn('Счет: дата')),
  doctype: Opt(200, 'Тип документа (по умолчанию «Платежное поручение входящее»)'),
  numberMF: Opt(50, 'Номер документа в 1С'),
  number: Str(50, 'Номер платежного документа'),
  date: DateIn('Дата платежного документа'),
  paymentdate: Type.Optional(DateIn('Фактическая дата оплаты (по умолчанию date)')),
  amount: Money,
  payment_details: Type.Optional(LineString({ maxLength: 2000, description: 'Назначение платежа' })),
});
const NewPlacement = Type.Object({ ...rk, placement: Str(200, 'Размещение'), amount: Money });
const NewAct = Type.Object({ ...rk, placement: Str(200, 'Размещение'), document: Str(300, 'Документ (представление)'), amount: Money });

const Line = Type.Integer({ description: 'Строка файла' });
const ImportReport = Type.Object(
  {
    imported: Type.Array(
      Type.Object({ line: Line, number: Type.String(), date: Type.String(), amount: Type.String(), invoice: Type.String() }),
    ),
    duplicates: Type.Array(Type.Object({ line: Line, number: Type.String(), date: Type.String(), invoice: Type.String() })),
    unmatched: Type.Array(
      Type.Object({
        line: Line,
        number: Type.String(),
        date: Type.String(),
        amount: Type.String(),
        purpose: Type.String(),
        reason: Type.String(),
      }),
    ),
    malformed: Type.Array(Type.Object({ line: Line, reason: Type.String() })),
    outgoing: Type.Integer({ description: 'Исходящие документы (пропущены)' }),
  },
  { title: 'SambaBankImportReport' },
);

const TableImportReport = Type.Object(
  {
    kind: StringEnum(IMPORT_KINDS),
    rows: Type.Integer({ description: 'Строк данных в файле' }),
    created: Type.Integer(),
    updated: Type.Integer({ description: 'Существовали с другими значениями' }),
    unchanged: Type.Integer({ description: 'Существовали с теми же значениями (повторный импорт)' }),
    rejected: Type.Array(Type.Object({ line: Line, message: Type.String() }), { description: 'Строки с ошибками (не импортированы)' }),
  },
  { title: 'SambaTableImportReport' },
);
const Base64File = (description: string) =>
  Type.String({ minLength: 1, maxLength: 10_000_000, pattern: '^[A-Za-z0-9+/]+={0,2}$', description });

export function adminRoutes(scope: FastifyInstance, s: Services, bank: BankImportService, tables: TableImportService): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const base = { security: ADMIN_SECURITY, tags: [ADMIN_TAG] };
  const LoginParams = Type.Object({ login: Login });

  app.get(
    '/samba/users',
    {
      schema: {
        operationId: 'AdminSambaUserList',
        ...base,
        summary: 'SAMBA users',
        response: { 200: Type.Object({ users: Type.Array(User) }), 401: E },
      },
    },
    async () => ({ users: await s.users.list() }),
  );
  app.post(
    '/samba/users',
    {
      schema: {
        operationId: 'AdminSambaUserAdd',
        ...base,
        summary: 'Add a SAMBA user (HTTP Basic login and password; the password is stored as an scrypt hash)',
        body: Type.Object({ login: Login, password: Password }),
        response: { 201: User, 400: E, 401: E, 409: E },
      },
    },
    async (req, reply) => reply.status(201).send(await s.users.add(req.body.login, req.body.password)),
  );
  app.put(
    '/samba/users/:login/password',
    {
      schema: {
        operationId: 'AdminSambaUserPasswd',
        ...base,
        summary: "Replace a SAMBA user's password (the old one stops working at once)",
        params: LoginParams,
        body: Type.Object({ password: Password }),
        response: { 200: User, 400: E, 401: E, 404: E },
      },
    },
    async (req) => s.users.passwd(req.params.login, req.body.password),
  );
  app.delete(
    '/samba/users/:login',
    {
      schema: {
        operationId: 'AdminSambaUserRemove',
        ...base,
        summary: 'Remove a SAMBA user',
        params: LoginParams,
        response: { 200: Type.Object({ removed: Type.String() }), 400: E, 401: E, 404: E },
      },
    },
    async (req) => {
      await s.users.remove(req.params.login);
      return { removed: req.params.login };
    },
  );
  app.post(
    '/samba/customers',
    {
      schema: {
        operationId: 'AdminSambaCustomerAdd',
        ...base,
        summary: 'Add a customer (юр. лицо): contractor of contracts, brands and campaigns',
        body: NewCustomer,
        response: { 201: A.Customer, 400: E, 401: E, 409: E },
      },
    },
    async (req, reply) => reply.status(201).send(await s.customers.create(req.body)),
  );
  app.post(
    '/samba/payments',
    {
      schema: {
        operationId: 'AdminSambaPaymentAdd',
        ...base,
        summary: 'Add a payment document against an invoice (a negative amount is a refund)',
        body: NewPayment,
        response: { 201: A.Payment, 400: E, 401: E, 404: E, 409: E },
      },
    },
    async (req, reply) => reply.status(201).send(await s.payments.add(req.body)),
  );
  app.post(
    '/samba/placements',
    {
      schema: {
        operationId: 'AdminSambaPlacementSave',
        ...base,
        summary: "Save a campaign's placement and its sum (the same placement again replaces the sum)",
        body: NewPlacement,
        response: { 201: A.PlacementLine, 400: E, 401: E, 404: E, 409: E },
      },
    },
    async (req, reply) => reply.status(201).send(await s.acts.addPlacement(req.body)),
  );
  app.post(
    '/samba/acts',
    {
      schema: {
        operationId: 'AdminSambaActAdd',
        ...base,
        summary: 'Add an act (реализация) closing part of a placement',
        body: NewAct,
        response: { 201: A.ActLine, 400: E, 401: E, 404: E, 409: E },
      },
    },
    async (req, reply) => reply.status(201).send(await s.acts.addAct(req.body)),
  );
  app.post(
    '/samba/bank-statements',
    {
      schema: {
        operationId: 'AdminSambaBankStatementImport',
        ...base,
        summary: 'Import a bank statement (1CClientBankExchange, windows-1251, base64): incoming payments matched to invoices by number',
        body: Type.Object({
          content_base64: Base64File('Файл выписки, base64'),
        }),
        response: { 200: ImportReport, 400: E, 401: E },
      },
    },
    async (req) => bank.import(Buffer.from(req.body.content_base64, 'base64')),
  );
  app.post(
    '/samba/imports/:kind',
    {
      schema: {
        operationId: 'AdminSambaTableImport',
        ...base,
        summary:
          'Import customers, placements or acts from CSV (UTF-8 or windows-1251; `;`, `,` or tab) or XLSX, base64: rows checked one by one ' +
          '(rejected ones listed with their line), a repeated import changes nothing',
        params: Type.Object({ kind: StringEnum(IMPORT_KINDS) }),
        body: Type.Object({ content_base64: Base64File('Файл CSV или XLSX, base64') }),
        response: { 200: TableImportReport, 400: E, 401: E },
      },
    },
    async (req) => tables.import(req.params.kind, Buffer.from(req.body.content_base64, 'base64')),
  );
}
