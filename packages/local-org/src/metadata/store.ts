/**
 * Deployed metadata kept in `org.extensions` as plain JSON (so a --data-dir org keeps it):
 * each component's files as base64, or for a type with child types (CustomObject, CustomLabels,
 * Workflow...) the parent's own elements and its children by element and full name.
 */
import type { OrgState } from '../state/types.js';
import { caseSafeSuffix } from '../state/ids.js';

export interface StoredParentDocument {
  rootName: string;
  /** The parent's own top-level elements (not children), in document order. */
  header: string[];
  /** element name (`fields`) → child full name (`Amount__c`) → element text. */
  children: Record<string, Record<string, string>>;
}

export interface StoredComponent {
  type: string;
  fullName: string;
  id: string;
  createdDate: string;
  lastModifiedDate: string;
  createdById: string;
  lastModifiedById: string;
  /** Zip-relative path (`classes/Foo.cls`) → base64 content. */
  files: Record<string, string>;
  parent?: StoredParentDocument;
}

export interface MetadataStore {
  /** type name → lower-cased full name → component. */
  components: Record<string, Record<string, StoredComponent>>;
  idCounter: number;
}

const STORE_KEY = 'metadata.store';

export function metadataStore(org: OrgState): MetadataStore {
  let store = org.extensions.get(STORE_KEY) as MetadataStore | undefined;
  if (!store || typeof store !== 'object' || typeof store.components !== 'object') {
    store = { components: {}, idCounter: 0 };
    org.extensions.set(STORE_KEY, store);
  }
  return store;
}

/** Replaces the store as a whole (used to undo a failed deploy). */
export function replaceMetadataStore(org: OrgState, store: MetadataStore): void {
  org.extensions.set(STORE_KEY, store);
}

export function cloneStore(store: MetadataStore): MetadataStore {
  return JSON.parse(JSON.stringify(store)) as MetadataStore;
}

export function getComponent(
  store: MetadataStore,
  type: string,
  fullName: string,
): StoredComponent | undefined {
  return store.components[type]?.[fullName.toLowerCase()];
}

export function putComponent(store: MetadataStore, component: StoredComponent): void {
  const byName = (store.components[component.type] ??= {});
  byName[component.fullName.toLowerCase()] = component;
}

export function removeComponent(store: MetadataStore, type: string, fullName: string): boolean {
  const byName = store.components[type];
  if (!byName?.[fullName.toLowerCase()]) return false;
  delete byName[fullName.toLowerCase()];
  return true;
}

export function componentsOfType(store: MetadataStore, type: string): StoredComponent[] {
  return Object.values(store.components[type] ?? {});
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** An 18-character id with the given key prefix (`0Af` deploys, `09S` retrieves, ...), unique within the org. */
export function newMetadataId(org: OrgState, keyPrefix: string): string {
  const store = metadataStore(org);
  store.idCounter += 1;
  let rest = store.idCounter;
  let counter = '';
  while (rest > 0) {
    counter = BASE62.charAt(rest % 62) + counter;
    rest = Math.floor(rest / 62);
  }
  const id15 = `${keyPrefix}Md0${counter.padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}
