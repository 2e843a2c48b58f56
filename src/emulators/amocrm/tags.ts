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

/**
 * Each directory's tags by lower-cased name (names are matched case-insensitively), so a caller that tags every
 * lead with a name of its own does not make each write scan the whole directory. Rebuilt when the directory grew
 * behind its back (seeding writes the map directly).
 */
const nameIndexes = new WeakMap<Map<number, Tag>, { size: number; byName: Map<string, Tag> }>();

function nameIndex(directory: Map<number, Tag>): Map<string, Tag> {
  let index = nameIndexes.get(directory);
  if (!index || index.size !== directory.size) {
    const byName = new Map<string, Tag>();
    for (const tag of directory.values()) if (!byName.has(tag.name.toLowerCase())) byName.set(tag.name.toLowerCase(), tag);
    index = { size: directory.size, byName };
    nameIndexes.set(directory, index);
  }
  return index.byName;
}

export function findTagByName(account: AccountState, type: EntityType, name: string): Tag | undefined {
  return nameIndex(account.tags[type]).get(name.toLowerCase());
}

export function createTag(store: EmulatorStore, account: AccountState, type: EntityType, name: string, color: string | null = null): Tag {
  const tag: Tag = { id: store.ids.take('tag'), name, color };
  const byName = nameIndex(account.tags[type]);
  account.tags[type].set(tag.id, tag);
  if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), tag);
  nameIndexes.get(account.tags[type])!.size = account.tags[type].size;
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
