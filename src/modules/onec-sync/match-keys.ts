// What makes a 1C counterparty "the same" as an amoCRM entity when neither id is known: a contact's normalised
// phone or e-mail, a company's ИНН/УНП. The same normalisation applies to what 1C sends and to what amoCRM holds.
import { isValidTaxId } from '../../platform/rules/requisites.js';

export type MatchKind = 'phone' | 'email' | 'inn';
export interface MatchKey {
  readonly kind: MatchKind;
  /** Normalised: digits of a phone (Russian 8/10-digit forms → 7…), lower-case e-mail, digits of an ИНН. */
  readonly value: string;
  /** As written, to send back unchanged. */
  readonly raw: string;
}

/** Digits of a phone; Russian trunk forms (8XXXXXXXXXX, 10 digits) become 7XXXXXXXXXX. Too short: not a phone. */
export function normalisePhone(raw: string): string | undefined {
  let digits = raw.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
  else if (digits.length === 10 && digits.startsWith('9')) digits = `7${digits}`;
  return digits.length >= 7 && digits.length <= 15 ? digits : undefined;
}

export function normaliseEmail(raw: string): string | undefined {
  const v = raw.trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+$/.test(v) ? v : undefined;
}

/** ИНН/УНП digits with valid control digits, else undefined (an invalid one matches nothing). */
export function normaliseTaxId(raw: string): string | undefined {
  const v = raw.replace(/\s/g, '');
  return isValidTaxId(v) ? v : undefined;
}

const split = (raw: string | undefined) =>
  (raw ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Keys of what 1C sent: several phones or e-mails may come in one string, separated by commas or semicolons. */
export function keysFromOnec(input: { phone?: string; email?: string; inn?: string }): MatchKey[] {
  const keys: MatchKey[] = [];
  for (const raw of split(input.phone)) {
    const value = normalisePhone(raw);
    if (value) keys.push({ kind: 'phone', value, raw });
  }
  for (const raw of split(input.email)) {
    const value = normaliseEmail(raw);
    if (value) keys.push({ kind: 'email', value, raw });
  }
  const inn = input.inn === undefined ? undefined : normaliseTaxId(input.inn);
  if (inn) keys.push({ kind: 'inn', value: inn, raw: input.inn! });
  return dedupe(keys);
}

interface FieldValues {
  readonly field_code?: string | null;
  readonly values?: ReadonlyArray<{ readonly value?: unknown }> | null;
}

/**
 * Keys of an amoCRM entity: a contact's PHONE and EMAIL values; for a company, any text value (outside PHONE and
 * EMAIL) that is a valid ИНН/УНП — accounts keep the ИНН in a field of their own choosing, and the control digits
 * make a false hit unlikely.
 */
export function keysFromAmo(entity: 'contacts' | 'companies', fields: readonly FieldValues[] | null | undefined): MatchKey[] {
  const keys: MatchKey[] = [];
  for (const f of fields ?? []) {
    for (const v of f.values ?? []) {
      if (typeof v.value !== 'string' && typeof v.value !== 'number') continue;
      const raw = String(v.value);
      if (entity === 'contacts') {
        if (f.field_code === 'PHONE') {
          const value = normalisePhone(raw);
          if (value) keys.push({ kind: 'phone', value, raw });
        } else if (f.field_code === 'EMAIL') {
          const value = normaliseEmail(raw);
          if (value) keys.push({ kind: 'email', value, raw });
        }
      } else if (f.field_code !== 'PHONE' && f.field_code !== 'EMAIL') {
        const value = normaliseTaxId(raw);
        if (value) keys.push({ kind: 'inn', value, raw });
      }
    }
  }
  return dedupe(keys);
}

function dedupe(keys: MatchKey[]): MatchKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.kind}:${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
