// amoCRM list paging: `page` (1-based) and `limit` (≤250, default 50); `_page` and `_links.self/next/first/prev`,
// with `next` missing on the last page; an empty page (or a page past the end) is a 204 with no body.
import qs from 'qs';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export interface Page<T> {
  items: T[];
  page: number;
  links: Record<string, { href: string }>;
}

export function pageParams(query: Record<string, unknown>, fixedLimit?: number): { page: number; limit: number } {
  const page = Math.max(1, Math.floor(Number(query.page) || 1));
  const asked = Math.floor(Number(query.limit) || DEFAULT_LIMIT);
  const limit = fixedLimit ?? Math.min(MAX_LIMIT, Math.max(1, asked));
  return { page, limit };
}

/** Returns null when the page is empty (the route answers 204). `path` is absolute, without the query. */
export function paginate<T>(all: readonly T[], query: Record<string, unknown>, path: string, fixedLimit?: number): Page<T> | null {
  const { page, limit } = pageParams(query, fixedLimit);
  const items = all.slice((page - 1) * limit, page * limit);
  if (items.length === 0) return null;
  const href = (p: number) => `${path}?${qs.stringify({ ...query, page: p, limit }, { encodeValuesOnly: true })}`;
  const links: Record<string, { href: string }> = { self: { href: href(page) } };
  if (page * limit < all.length) links.next = { href: href(page + 1) };
  if (page > 1) {
    links.first = { href: href(1) };
    links.prev = { href: href(page - 1) };
  }
  return { items, page, links };
}

/** `filter[x][]=1&filter[x][]=2`, `filter[x]=1` or `filter[x]=1,2` → numbers. */
export function idList(value: unknown): number[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const raw = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : String(value).split(',');
  return raw.map((v) => Number(v)).filter((n) => Number.isFinite(n));
}

/** `filter[x][from]=&filter[x][to]=` or a single timestamp. */
export function range(value: unknown): { from?: number; to?: number } | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    return { from: v.from !== undefined ? Number(v.from) : undefined, to: v.to !== undefined ? Number(v.to) : undefined };
  }
  const n = Number(value);
  return Number.isFinite(n) ? { from: n, to: n } : undefined;
}

export const inRange = (v: number | null | undefined, r: { from?: number; to?: number } | undefined): boolean =>
  !r || (v !== null && v !== undefined && (r.from === undefined || v >= r.from) && (r.to === undefined || v <= r.to));

/** `order[id|created_at|updated_at]=asc|desc` (amoCRM sorts lists by one of these; by id ascending otherwise). */
export function sortByOrder<T extends { id: number; created_at: number; updated_at: number }>(list: T[], order: unknown): T[] {
  const spec = typeof order === 'object' && order !== null ? Object.entries(order as Record<string, unknown>)[0] : undefined;
  const field = spec && ['created_at', 'updated_at', 'id'].includes(spec[0]) ? (spec[0] as 'created_at' | 'updated_at' | 'id') : 'id';
  const dir = spec && String(spec[1]).toLowerCase() === 'desc' ? -1 : 1;
  return list.sort((a, b) => (a[field] - b[field] || a.id - b.id) * dir);
}
