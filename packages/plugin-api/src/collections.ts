import type { Connection } from '@salesforce/core';

/** Records (or ids) per sObject Collections request: Salesforce's limit. */
export const COLLECTION_SIZE = 200;

export type CollectionOperation = 'create' | 'update' | 'upsert' | 'delete';

/** One record's result, as sObject Collections answers. */
export interface SaveResult {
  id?: string | null;
  success?: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export interface CollectionRequest {
  operation: CollectionOperation;
  /** The object's API name. */
  sobject: string;
  /** Field maps (create, update, upsert) or ids (delete): at most COLLECTION_SIZE. */
  items: readonly (Record<string, unknown> | string)[];
  /** One failure saves nothing. */
  allOrNone: boolean;
  /** For upsert: the external id field to match on. */
  externalIdField?: string;
}

/**
 * One sObject Collections request (`/composite/sobjects`): the one way toolsets create, update, upsert and
 * delete records, so the URL and body are built in one place. Returns one result per item, in order.
 */
export function sendCollection(connection: Connection, request: CollectionRequest): Promise<SaveResult[]> {
  if (request.items.length > COLLECTION_SIZE)
    throw new Error(`sendCollection takes at most ${COLLECTION_SIZE} items`);
  const base = `/services/data/v${connection.getApiVersion()}/composite/sobjects`;
  const body = () => ({
    allOrNone: request.allOrNone,
    records: (request.items as Record<string, unknown>[]).map((record) => ({
      attributes: { type: request.sobject },
      ...record,
    })),
  });
  switch (request.operation) {
    case 'create':
      return connection.requestPost<SaveResult[]>(base, body());
    case 'update':
      return connection.requestPatch<SaveResult[]>(base, body());
    case 'upsert':
      return connection.requestPatch<SaveResult[]>(
        `${base}/${encodeURIComponent(request.sobject)}/${encodeURIComponent(request.externalIdField ?? '')}`,
        body(),
      );
    case 'delete':
      return connection.requestDelete<SaveResult[]>(
        `${base}?ids=${(request.items as string[]).map(encodeURIComponent).join(',')}&allOrNone=${request.allOrNone}`,
      );
  }
}

/** The first error of a save result as code and message. */
export function saveError(result: SaveResult | undefined): { code: string; message: string } {
  const error = result?.errors?.[0];
  if (!error) return { code: 'NO_RESULT', message: 'Salesforce returned no result for this record' };
  return { code: String(error.statusCode ?? 'UNKNOWN'), message: String(error.message ?? '') };
}
