/**
 * The undo log behind `RecordStore.transaction`: every change inside a transaction records how to
 * take itself back; a throw replays those undo steps newest first. Nested transactions roll back
 * only their own part; outside any transaction nothing is kept.
 */
export class Journal {
  private readonly undoSteps: Array<() => void> = [];
  private depth = 0;

  record(undo: () => void): void {
    if (this.depth > 0) this.undoSteps.push(undo);
  }

  run<T>(work: () => T): T {
    const start = this.undoSteps.length;
    this.depth += 1;
    try {
      const result = work();
      if (result instanceof Promise) {
        throw new Error(
          'transaction() takes synchronous work only: an await would let other requests interleave',
        );
      }
      return result;
    } catch (error) {
      while (this.undoSteps.length > start) this.undoSteps.pop()?.();
      throw error;
    } finally {
      this.depth -= 1;
      if (this.depth === 0) this.undoSteps.length = 0;
    }
  }
}
