// GET /statistics/{bot_id}/tracking: the breakdown the seed leaves open, defined here for a period (UTC days):
//   by_status — tracking numbers created in the period, grouped by their current status, with total weight and
//               cost (what is still pending, what was delivered, and for how much);
//   by_day    — per day, how many tracking numbers entered each status (from the status history, creation
//               included), every day of the period listed, zeros included, so it charts directly.
import type { Hub } from '../../platform/hub.js';
import { trackingError } from './errors.js';
import { STATUSES, type Status } from './statuses.js';

const DAY = 86_400_000;
export const MAX_PERIOD_DAYS = 366;
export const DEFAULT_PERIOD_DAYS = 30;

export interface TrackingStatsView {
  date_from: string;
  date_to: string;
  created: number;
  by_status: Array<{ status: Status; count: number; total_weight_kg: number; total_cost_usd: number }>;
  by_day: Array<{ date: string } & Record<Status, number>>;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function resolvePeriod(
  from: string | undefined,
  to: string | undefined,
  nowMs = Date.now(),
): { from: string; to: string; days: number } {
  const toMs = to ? Date.parse(`${to}T00:00:00Z`) : Date.parse(`${day(nowMs)}T00:00:00Z`);
  const fromMs = from ? Date.parse(`${from}T00:00:00Z`) : toMs - (DEFAULT_PERIOD_DAYS - 1) * DAY;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw trackingError('BAD_PERIOD', 'Некорректная дата периода (нужен формат ГГГГ-ММ-ДД)');
  if (fromMs > toMs) throw trackingError('BAD_PERIOD', 'date_from позже date_to');
  const days = Math.round((toMs - fromMs) / DAY) + 1;
  if (days > MAX_PERIOD_DAYS) throw trackingError('BAD_PERIOD', `Период не длиннее ${MAX_PERIOD_DAYS} дней`);
  return { from: day(fromMs), to: day(toMs), days };
}

export async function trackingStats(
  hub: Hub,
  botId: number,
  period: { from: string; to: string; days: number },
): Promise<TrackingStatsView> {
  const start = `${period.from}T00:00:00Z`;
  const end = new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY).toISOString();
  const [statusRows, dayRows] = await Promise.all([
    hub.database.query<{ status: Status; count: number; weight: string | null; cost: string | null }>(
      `select current_status as status, count(*)::int as count, sum(weight_kg)::text as weight, sum(total_cost_usd)::text as cost
         from tracking_numbers where bot_id = $1 and created_at >= $2 and created_at < $3 group by current_status`,
      [botId, start, end],
    ),
    hub.database.query<{ day: string; status: Status; count: number }>(
      `select to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD') as day, status, count(*)::int as count
         from tracking_status_history where bot_id = $1 and changed_at >= $2 and changed_at < $3 group by 1, 2`,
      [botId, start, end],
    ),
  ]);
  const byStatus = new Map(statusRows.map((r) => [r.status, r]));
  const zero = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const days = new Map<string, Record<Status, number>>();
  for (let i = 0; i < period.days; i++) days.set(day(Date.parse(start) + i * DAY), zero());
  for (const r of dayRows) {
    const d = days.get(r.day);
    if (d) d[r.status] = r.count;
  }
  return {
    date_from: period.from,
    date_to: period.to,
    created: statusRows.reduce((s, r) => s + r.count, 0),
    by_status: STATUSES.map((status) => {
      const r = byStatus.get(status);
      return { status, count: r?.count ?? 0, total_weight_kg: Number(r?.weight ?? 0), total_cost_usd: Number(r?.cost ?? 0) };
    }),
    by_day: [...days].map(([date, counts]) => ({ date, ...counts })),
  };
}
