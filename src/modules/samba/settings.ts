// The SAMBA module's settings (SAMBA_*): the supplier's requisites printed on invoices (/samba/files/po). 1C keeps
// them in its own catalogue of organisations; the hub has one supplier, the agency, so configuration holds them.
// Unset ones print empty, so a print form can be tried before the requisites are filled in.
import { defineSettings, type SettingsOf } from '../../config.js';
import { innValid, kppValid } from './values.js';

export const SAMBA_SETTINGS = defineSettings({
  supplierName: {
    env: 'SAMBA_SUPPLIER_NAME',
    kind: 'string',
    description: 'Invoice print form: the supplier (the agency), e.g. `ООО «Агентство»`.',
  },
  supplierInn: { env: 'SAMBA_SUPPLIER_INN', kind: 'string', description: "Invoice print form: the supplier's ИНН (10 or 12 digits)." },
  supplierKpp: { env: 'SAMBA_SUPPLIER_KPP', kind: 'string', description: "Invoice print form: the supplier's КПП (none for an ИП)." },
  supplierAddress: { env: 'SAMBA_SUPPLIER_ADDRESS', kind: 'string', description: "Invoice print form: the supplier's address and phone." },
  supplierBank: { env: 'SAMBA_SUPPLIER_BANK', kind: 'string', description: "Invoice print form: the supplier's bank (Банк получателя)." },
  supplierBik: { env: 'SAMBA_SUPPLIER_BIK', kind: 'string', description: "Invoice print form: the bank's БИК (9 digits)." },
  supplierCorrAccount: {
    env: 'SAMBA_SUPPLIER_CORR_ACCOUNT',
    kind: 'string',
    description: "Invoice print form: the bank's correspondent account (20 digits).",
  },
  supplierAccount: {
    env: 'SAMBA_SUPPLIER_ACCOUNT',
    kind: 'string',
    description: "Invoice print form: the supplier's settlement account, р/с (20 digits).",
  },
  supplierDirector: {
    env: 'SAMBA_SUPPLIER_DIRECTOR',
    kind: 'string',
    description: 'Invoice print form: Руководитель (surname and initials).',
  },
  supplierAccountant: {
    env: 'SAMBA_SUPPLIER_ACCOUNTANT',
    kind: 'string',
    description: 'Invoice print form: Бухгалтер (surname and initials).',
  },
});

export type SambaSettings = SettingsOf<typeof SAMBA_SETTINGS>;

/** Requisites that are set must be well formed: a misprinted account on an invoice sends money nowhere. */
export function checkSambaSettings(s: SambaSettings): string[] {
  const problems: string[] = [];
  const digits = (v: string | undefined, n: number, env: string) => {
    if (v !== undefined && v !== '' && !new RegExp(`^\\d{${n}}$`).test(v)) problems.push(`${env} must be ${n} digits`);
  };
  if (s.supplierInn && !innValid(s.supplierInn)) problems.push('SAMBA_SUPPLIER_INN is not a valid ИНН (10 or 12 digits, check digits)');
  if (s.supplierKpp && !kppValid(s.supplierKpp)) problems.push('SAMBA_SUPPLIER_KPP is not a valid КПП (NNNNPPXXX)');
  digits(s.supplierBik, 9, 'SAMBA_SUPPLIER_BIK');
  digits(s.supplierCorrAccount, 20, 'SAMBA_SUPPLIER_CORR_ACCOUNT');
  digits(s.supplierAccount, 20, 'SAMBA_SUPPLIER_ACCOUNT');
  return problems;
}
