// The answers of seed 002 as TypeBox schemas: the envelope `{status, message, result}` around the records, with the
// field names of the seed's JSON examples. Absent values are "" (as 1C writes them, e.g. `"rk_id": ""`).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../../platform/http/schema-types.js';

const S = (description?: string) => Type.String(description ? { description } : {});
const Num = (description: string) => Type.Number({ description });
const Date1C = (description: string) => Type.String({ description: `${description} (ГГГГ-ММ-ДДTчч:мм:сс)` });

/** The seed's envelope around `result`. */
export const Ok = <T extends TSchema>(result: T, title: string) =>
  Type.Object(
    {
      status: StringEnum(['ok']),
      message: Nullable(Type.String(), { description: 'Текст 1С ("seccess" у списков, как в документации; null у счетов)' }),
      result,
    },
    { title },
  );

export const SambaFailure = Type.Object(
  {
    status: StringEnum(['error']),
    message: Type.String({ description: 'Сообщение на русском' }),
    result: Type.Unknown({ description: 'Запись, о которой ошибка (существующая, документы по счету), иначе null' }),
  },
  { title: 'SambaFailure' },
);

export const FinalAdv = Type.Object({ uuid: S(), name: S(), fullName: S(), inn: S(), kpp: S() }, { title: 'SambaFinalAdv' });
export const FinalAdvShort = Type.Object({ name: S(), uuid: S() }, { title: 'SambaFinalAdvShort' });
export const FinalAdvUpdated = Type.Object({ uuid: S(), inn: S(), kpp: S(), name: S() }, { title: 'SambaFinalAdvUpdated' });

const finaladvOf = { inn_finaladv: S(), kpp_finaladv: S(), name_finaladv: S(), uuid_finaladv: S() };
const contractorOf = { inn_contractor: S(), kpp_contractor: S(), name_contractor: S(), uuid_contractor: S() };

export const Contract = Type.Object(
  { uuid: S(), number: S(), date: Date1C('Дата договора'), ...finaladvOf, ...contractorOf },
  { title: 'SambaContract' },
);
export const ContractShort = Type.Object({ uuid: S(), number: S(), date: Date1C('Дата договора') }, { title: 'SambaContractShort' });

export const Customer = Type.Object({ uuid: S(), name: S(), fullName: S(), inn: S(), kpp: S() }, { title: 'SambaCustomer' });

export const Brand = Type.Object(
  { uuid: S(), name: S(), name_contractor: S(), inn_contractor: S(), kpp_contractor: S(), uuid_contractor: S() },
  { title: 'SambaBrand' },
);
export const BrandShort = Type.Object({ uuid: S(), name: S() }, { title: 'SambaBrandShort' });

export const Campaign = Type.Object(
  {
    uuid: S(),
    name: S(),
    rk_id: S(),
    numberMF: S('Внутренний номер РК: У + 6 цифр'),
    date_start: S('Дата начала РК или ""'),
    date_end: S('Дата окончания РК или ""'),
    advance: Type.Boolean({ description: 'Признак аванса' }),
    name_brand: S(),
    uuid_brand: S(),
    ...contractorOf,
    ...finaladvOf,
    number_contract: S(),
    date_contract: S('Дата договора или ""'),
    uuid_contract: S(),
  },
  { title: 'SambaCampaign' },
);

export const Invoice = Type.Object(
  {
    uuid: S(),
    number: S('Номер счета в 1С: УЛУ + цифры numberMF + / + порядковый номер'),
    date: Date1C('Дата счета'),
    advance: Type.Boolean(),
    amount: Num('Сумма с НДС, руб.'),
    vat: Num('В том числе НДС, руб. (расширение)'),
    uuid_rk: S(),
    rk_id: S(),
    numberMF: S(),
  },
  { title: 'SambaInvoice' },
);
export const InvoiceSaved = Type.Object(
  { uuid: S(), number: S(), date: Date1C('Дата счета'), amount: Num('Сумма с НДС, руб.'), vat: Num('В том числе НДС, руб.') },
  { title: 'SambaInvoiceSaved' },
);
export const InvoiceDocument = Type.Object(
  {
    uuid: S('Счет'),
    number: S('Номер счета'),
    date: Date1C('Дата счета'),
    uuid_doc: S('Документ оплаты'),
    name_doc: S('Представление документа'),
  },
  { title: 'SambaInvoiceDocument' },
);
export const Payment = Type.Object(
  {
    uuid: S('Уникальный идентификатор оплаты'),
    doctype: S('Тип документа оплаты'),
    numberMF: S('Номер документа в 1С'),
    status: StringEnum(['Оплачено', 'Не оплачено', 'Частично оплачено', 'Переплата'], { description: 'Статус оплаты счета' }),
    number: S('Номер платежного документа'),
    date: Date1C('Дата платежного документа'),
    paymentdate: Date1C('Фактическая дата оплаты'),
    amount: Num('Сумма оплаты, руб.'),
    payment_details: S('Назначение платежа'),
    uuid_po: S(),
    number_po: S(),
    date_po: Date1C('Дата счета'),
  },
  { title: 'SambaPayment' },
);
export const ActsSum = Type.Object(
  { uuid_rk: S(), placements_amount: Num('Сумма размещений РК'), acts_amount: Num('Сумма актов по размещениям РК') },
  { title: 'SambaActsSum' },
);
export const PlacementLine = Type.Object(
  { uuid_rk: S(), placement: S('Размещение'), placement_amount: Num('Сумма по размещению') },
  { title: 'SambaPlacementLine' },
);
export const ActLine = Type.Object(
  { uuid_rk: S(), placement: S('Размещение'), document: S('Документ'), act_amount: Num('Сумма акта по размещению') },
  { title: 'SambaActLine' },
);
/** `[placements, acts]`: two arrays, as the seed's example (its table names the fields placements/…; see the docs). */
export const ActsDetails = Type.Tuple([Type.Array(PlacementLine), Type.Array(ActLine)]);

export type FinalAdvT = Static<typeof FinalAdv>;
export type ContractT = Static<typeof Contract>;
export type CustomerT = Static<typeof Customer>;
export type BrandT = Static<typeof Brand>;
export type CampaignT = Static<typeof Campaign>;
export type InvoiceT = Static<typeof Invoice>;
export type PaymentT = Static<typeof Payment>;

export const PrintedFile = Type.Object(
  {
    name: Type.String({ description: 'Имя файла: «Счет <номер> от <ДД.ММ.ГГГГ>.<ext>»' }),
    ext: StringEnum(['pdf', 'docx', 'xlsx'], { description: 'Расширение' }),
    data: Type.String({ description: 'Файл, base64' }),
  },
  { title: 'SambaPrintedFile' },
);
