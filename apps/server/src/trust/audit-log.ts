import { closeSync, mkdirSync, openSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type AuditOutcome = 'ok' | 'error' | 'refused' | 'awaiting-confirmation' | 'declined';

export interface AuditEntry {
  time: string;
  tool: string;
  orgs: string[];
  argumentsDigest: string;
  outcome: AuditOutcome;
  message?: string;
}

/** The audit log cannot be written: the server refuses to start rather than change orgs unaudited. */
export class AuditLogUnwritable extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(
      `cannot write the audit log ${path}: ${(cause as Error).message ?? String(cause)}. Choose a writable file with --audit-log.`,
    );
    this.name = 'AuditLogUnwritable';
  }
}

/** Appends every call that may change an org or the project, as JSON lines. */
export class AuditLog {
  constructor(readonly path: string) {}

  /** Opens the file for appending once (creating it and its folder): throws AuditLogUnwritable if it cannot. */
  checkWritable(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      closeSync(openSync(this.path, 'a'));
    } catch (error) {
      throw new AuditLogUnwritable(this.path, error);
    }
  }

  async append(entry: AuditEntry): Promise<void> {
    await appendFile(this.path, JSON.stringify(entry) + '\n', 'utf8');
  }
}
