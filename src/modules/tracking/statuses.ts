// The tracking status machine. Statuses only move forward along the delivery chain (a step may be skipped: a
// partner may report "delivered" without us ever seeing "in transit"); `cancelled` is reachable from every
// state except `issued` (handed to the recipient, terminal). `cancelled` is terminal too.
export const STATUSES = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

const CHAIN: readonly Status[] = ['pending', 'in_transit', 'delivered', 'issued'];

/** The statuses a tracking number in `from` may move to. */
export function allowedNext(from: Status): Status[] {
  if (from === 'cancelled' || from === 'issued') return [];
  return [...CHAIN.slice(CHAIN.indexOf(from) + 1), 'cancelled'];
}

export function canMove(from: Status, to: Status): boolean {
  return allowedNext(from).includes(to);
}

export const STATUS_LABELS: Record<Status, string> = {
  pending: 'ожидает',
  in_transit: 'в пути',
  delivered: 'доставлен',
  issued: 'выдан',
  cancelled: 'отменён',
};
