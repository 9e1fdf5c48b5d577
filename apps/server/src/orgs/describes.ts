import type { Connection } from '@salesforce/core';
import { type DescribeGlobalResult, type DescribeSObjectResult, ToolError } from '@sfmcp/plugin-api';

/** Describes kept for one org at most; the least recently used go first. */
const MAX_ENTRIES = 300;

/**
 * An org's describes (objects and describeGlobal, REST and Tooling), cached until a call changes the org:
 * the call pipeline forgets them then (a deployed field shows at once). A failed describe is not kept,
 * nor one that is not a describe (a garbled answer jsforce passed on): that fails, and the next asks again.
 */
export class DescribeCache {
  readonly #entries = new Map<string, Promise<unknown>>();

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit as Promise<T>;
    }
    const value = load();
    this.#entries.set(key, value);
    value.catch(() => this.#entries.get(key) === value && this.#entries.delete(key));
    while (this.#entries.size > MAX_ENTRIES)
      this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  describe(
    connection: Connection,
    objectName: string,
    tooling = false,
    orgLabel = 'The org',
  ): Promise<DescribeSObjectResult> {
    return this.#cached(`${tooling ? 'tooling:' : ''}${objectName.toLowerCase()}`, async () => {
      const result = await (tooling
        ? connection.tooling.describe(objectName)
        : connection.describe(objectName));
      if (!hasArray(result, 'fields')) throw unreadable(orgLabel, `the describe of ${objectName}`);
      return result;
    });
  }

  describeGlobal(
    connection: Connection,
    tooling = false,
    orgLabel = 'The org',
  ): Promise<DescribeGlobalResult> {
    return this.#cached(`${tooling ? 'tooling:' : ''}*global*`, async () => {
      const result = await (tooling ? connection.tooling.describeGlobal() : connection.describeGlobal());
      if (!hasArray(result, 'sobjects')) throw unreadable(orgLabel, 'its list of objects');
      return result;
    });
  }

  forget(): void {
    this.#entries.clear();
  }
}

function hasArray(value: unknown, key: string): boolean {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[key])
  );
}

function unreadable(orgLabel: string, what: string): ToolError {
  return new ToolError(
    `${orgLabel} answered with something that is not ${what}: its answer could not be read.`,
    'Try again; if it persists, something between this machine and the org is changing its answers.',
    { kind: 'unavailable', code: 'ORG_UNREADABLE' },
  );
}
