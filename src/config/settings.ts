// How a setting is declared and parsed: kinds, the typed values a declaration yields (SettingsOf), one value's
// parser and a whole group's. The platform's table (platform-settings.ts) and every connector's and module's
// settings.ts use these; only src/config.ts feeds them the environment.
export type SettingKind = 'string' | 'int' | 'bool' | 'url' | 'list' | 'enum';
type Kind = SettingKind;

export interface Setting {
  readonly env: string;
  readonly kind: Kind;
  readonly default?: string;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly secret?: boolean;
  readonly description: string;
}

/** A connector's or module's settings, by the name its code uses: `{ jwtSecret: { env: 'QUIZ_JWT_SECRET', … } }`. */
export type SettingsDecl = Readonly<Record<string, Setting>>;

type ValueOf<S extends Setting> = S['kind'] extends 'int'
  ? number
  : S['kind'] extends 'bool'
    ? boolean
    : S['kind'] extends 'list'
      ? readonly string[]
      : S extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
        ? V
        : string;

/** The parsed values of a declaration: a setting with a default is always there, the others may be undefined. */
export type SettingsOf<D extends SettingsDecl> = {
  readonly [K in keyof D]: D[K] extends { readonly default: string } ? ValueOf<D[K]> : ValueOf<D[K]> | undefined;
};

/** One connector's or module's settings as config.ts parses them; `check` adds cross-field problems. */
export interface SettingGroup<D extends SettingsDecl = SettingsDecl> {
  readonly name: string;
  readonly settings: D;
  readonly check?: (values: SettingsOf<D>) => readonly string[];
}

/** Declares settings with their literal kinds kept, so SettingsOf can type the parsed values. */
export const defineSettings = <const D extends SettingsDecl>(settings: D): D => settings;

type Raw = Record<string, string | undefined>;

/** One value of one setting; a problem (naming the setting, hiding secrets) is pushed instead of thrown. */
export function parseValue(s: Setting, raw: string, problems: string[]): unknown {
  switch (s.kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return void problems.push(`${s.env} must be a whole number, got "${raw}"`);
      const n = Number(raw);
      if (s.min !== undefined && n < s.min) return void problems.push(`${s.env} must be at least ${s.min}, got ${n}`);
      if (s.max !== undefined && n > s.max) return void problems.push(`${s.env} must be at most ${s.max}, got ${n}`);
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return void problems.push(`${s.env} must be true or false, got "${raw}"`);
    case 'url':
      try {
        new URL(raw);
        return raw;
      } catch {
        return void problems.push(`${s.env} must be a URL, got "${s.secret ? '<hidden>' : raw}"`);
      }
    case 'list':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    case 'enum':
      if (!s.values?.includes(raw)) return void problems.push(`${s.env} must be one of ${s.values?.join(', ')}, got "${raw}"`);
      return raw;
  }
}

/** A group's values; its cross-field check runs only once every value parsed. */
export function parseGroup(group: SettingGroup, env: Raw, problems: string[]): Readonly<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  const before = problems.length;
  for (const [key, s] of Object.entries(group.settings)) {
    const raw = env[s.env];
    const value = raw === undefined || raw === '' ? s.default : raw;
    values[key] = value === undefined ? undefined : parseValue(s, value, problems);
  }
  // Cross-field checks only make sense once every single value parsed.
  if (before === problems.length) problems.push(...(group.check?.(values as never) ?? []));
  return deepFreeze(values);
}

export function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const value of Object.values(o)) deepFreeze(value);
    Object.freeze(o);
  }
  return o;
}
