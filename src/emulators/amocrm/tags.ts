// Tag directories (one per entity type) and tag changes on entities: `_embedded.tags` replaces the whole list
// (null clears), `tags_to_add` / `tags_to_delete` change it incrementally, an unknown name creates a tag.
import type { ValidationErrors } from './problem.js';
import type { AccountState, EmulatorStore } from './store.js';
import type { EntityType, Tag } from './types.js';

/** A validated reference: an existing id, or a name that is created on commit if still missing. */
export type TagRef = { id: number } | { name: string };

export interface TagChange {
  replace?: TagRef[] | null;
  add?: TagRef[];
  remove?: TagRef[];
}

export function parseTagRefs(
  account: AccountState,
  type: EntityType,
  input: unknown,
  path: string,
  errors: ValidationErrors,
  requestId: string,
): TagRef[] | undefined {
  if (!Array.isArray(input)) {
    errors.add(requestId, 'InvalidType', path);
    return undefined;
  }
  const refs: TagRef[] = [];
  input.forEach((raw: unknown, i) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof item.id === 'number') {
      if (account.tags[type].has(item.id)) refs.push({ id: item.id });
      else errors.add(requestId, 'NotSupportedChoice', `${path}.${i}.id`);
    } else if (typeof item.name === 'string' && item.name.trim() !== '') {
      refs.push({ name: item.name.trim() });
    } else {
      errors.add(requestId, 'NotBlank', `${path}.${i}.name`);
    }
  });
  return refs;
}

export function findTagByName(account: AccountState, type: EntityType, name: string): Tag | undefined {
  const lower = name.toLowerCase();
  for (const tag of account.tags[type].values()) if (tag.name.toLowerCase() === lower) return tag;
  return undefined;
}

export function createTag(store: EmulatorStore, account: AccountState, type: EntityType, name: string, color: string | null = null): Tag {
  const tag: Tag = { id: store.ids.take('tag'), name, color };
  account.tags[type].set(tag.id, tag);
  return tag;
}

function resolve(store: EmulatorStore, account: AccountState, type: EntityType, ref: TagRef): number {
  if ('id' in ref) return ref.id;
  return (findTagByName(account, type, ref.name) ?? createTag(store, account, type, ref.name)).id;
}

/** Applies a validated change to an entity's tag ids (creating tags named for the first time). */
export function applyTagChange(
  store: EmulatorStore,
  account: AccountState,
  type: EntityType,
  current: number[],
  change: TagChange,
): number[] {
  let ids = change.replace === undefined ? [...current] : (change.replace ?? []).map((r) => resolve(store, account, type, r));
  for (const ref of change.add ?? []) {
    const id = resolve(store, account, type, ref);
    if (!ids.includes(id)) ids.push(id);
  }
  for (const ref of change.remove ?? []) {
    const id = 'id' in ref ? ref.id : findTagByName(account, type, ref.name)?.id;
    if (id !== undefined) ids = ids.filter((x) => x !== id);
  }
  return [...new Set(ids)];
}
