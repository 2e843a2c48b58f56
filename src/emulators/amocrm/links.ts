// Links between entities (lead⇄contact with the `main_contact` flag, lead⇄company, contact⇄company).
// One Link object is indexed from both ends, so either side can list it.
import type { AccountState } from './store.js';
import type { EntityType, Link } from './types.js';

/** Which entity types may link to which (amoCRM allows these pairs; catalog elements are not emulated). */
export const ALLOWED_LINKS: Record<EntityType, readonly EntityType[]> = {
  leads: ['contacts', 'companies'],
  contacts: ['companies', 'leads'],
  companies: ['contacts', 'leads'],
};

const key = (type: EntityType, id: number): string => `${type}:${id}`;

export interface LinkView {
  entity_id: number;
  entity_type: EntityType;
  to_entity_id: number;
  to_entity_type: EntityType;
  metadata: Record<string, unknown> | null;
}

/** Links of one entity as seen from it. */
export function linksOf(account: AccountState, type: EntityType, id: number): LinkView[] {
  return (account.links.get(key(type, id)) ?? []).map((l) => {
    const forward = l.from_type === type && l.from_id === id;
    return {
      entity_id: id,
      entity_type: type,
      to_entity_id: forward ? l.to_id : l.from_id,
      to_entity_type: forward ? l.to_type : l.from_type,
      metadata: l.metadata,
    };
  });
}

export function linkedIds(account: AccountState, type: EntityType, id: number, toType: EntityType): number[] {
  return linksOf(account, type, id)
    .filter((l) => l.to_entity_type === toType)
    .map((l) => l.to_entity_id);
}

/** The lead end of a lead⇄contact link carries `main_contact`; normalise so a lead is always the `from` side. */
function orient(type: EntityType, id: number, toType: EntityType, toId: number): [EntityType, number, EntityType, number] {
  if (toType === 'leads' || (type === 'companies' && toType === 'contacts')) return [toType, toId, type, id];
  return [type, id, toType, toId];
}

export function addLink(
  account: AccountState,
  type: EntityType,
  id: number,
  toType: EntityType,
  toId: number,
  metadata: Record<string, unknown> | null = null,
): void {
  const [fromType, fromId, targetType, targetId] = orient(type, id, toType, toId);
  const existing = (account.links.get(key(fromType, fromId)) ?? []).find((l) => l.to_type === targetType && l.to_id === targetId);
  const isLeadContact = fromType === 'leads' && targetType === 'contacts';
  const link: Link = existing ?? { from_type: fromType, from_id: fromId, to_type: targetType, to_id: targetId, metadata: null };
  if (isLeadContact) {
    const siblings = (account.links.get(key(fromType, fromId)) ?? []).filter((l) => l.to_type === 'contacts' && l !== link);
    // The first contact of a lead becomes its main contact unless told otherwise; a new main one demotes the old.
    const wantsMain =
      metadata?.main_contact === true ||
      (metadata?.main_contact !== false && !siblings.some((l) => l.metadata?.main_contact === true) && !existing);
    if (wantsMain) for (const s of siblings) s.metadata = { main_contact: false };
    link.metadata = { main_contact: wantsMain || (existing?.metadata?.main_contact === true && metadata?.main_contact !== false) };
  } else if (metadata) {
    link.metadata = metadata;
  }
  if (existing) return;
  push(account, key(fromType, fromId), link);
  push(account, key(targetType, targetId), link);
}

export function removeLink(account: AccountState, type: EntityType, id: number, toType: EntityType, toId: number): boolean {
  const [fromType, fromId, targetType, targetId] = orient(type, id, toType, toId);
  const from = account.links.get(key(fromType, fromId)) ?? [];
  const link = from.find((l) => l.to_type === targetType && l.to_id === targetId);
  if (!link) return false;
  account.links.set(
    key(fromType, fromId),
    from.filter((l) => l !== link),
  );
  account.links.set(
    key(targetType, targetId),
    (account.links.get(key(targetType, targetId)) ?? []).filter((l) => l !== link),
  );
  return true;
}

function push(account: AccountState, k: string, link: Link): void {
  const list = account.links.get(k);
  if (list) list.push(link);
  else account.links.set(k, [link]);
}
