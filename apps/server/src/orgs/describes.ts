import type { Connection } from '@salesforce/core';
import type { DescribeGlobalResult, DescribeSObjectResult } from '@sfmcp/plugin-api';

/** Describes kept for one org at most; the least recently used go first. */
const MAX_ENTRIES = 300;

/**
 * An org's describes (objects and describeGlobal, REST and Tooling), cached until a call changes the org:
 * the call pipeline forgets them then (a deployed field shows at once). A failed describe is not kept.
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

  describe(connection: Connection, objectName: string, tooling = false): Promise<DescribeSObjectResult> {
    return this.#cached(`${tooling ? 'tooling:' : ''}${objectName.toLowerCase()}`, () =>
      tooling ? connection.tooling.describe(objectName) : connection.describe(objectName),
    );
  }

  describeGlobal(connection: Connection, tooling = false): Promise<DescribeGlobalResult> {
    return this.#cached(`${tooling ? 'tooling:' : ''}*global*`, () =>
      tooling ? connection.tooling.describeGlobal() : connection.describeGlobal(),
    );
  }

  forget(): void {
    this.#entries.clear();
  }
}
