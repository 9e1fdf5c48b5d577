import { closeSync, mkdirSync, openSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type AuditOutcome = 'ok' | 'error' | 'refused' | 'awaiting-confirmation' | 'declined';

/** One line of the audit file: one tool call that reached an org or may have changed something. */
export interface AuditEntry {
  time: string;
  /** The MCP client's name, as it introduced itself. */
  client?: string;
  /** The MCP session (in stateless HTTP: the principal). */
  session: string;
  tool: string;
  /** The usernames of the orgs the call resolved. */
  orgs: string[];
  /** Whom the call ran as: the OAuth user, else the org's username when there is one org. */
  user?: string;
  /** The arguments, secret-looking values replaced and long text cut. */
  arguments: Record<string, unknown>;
  /** SHA-256 of the tool and its exact arguments (without a confirmation token). */
  argumentsDigest: string;
  outcome: AuditOutcome;
  message?: string;
  durationMs: number;
  /** Records read and written, as the org's answers counted them. */
  records: { read: number; written: number };
  /** Metadata components deployed. */
  components?: number;
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

/** Appends every call that reached an org or may change an org or the project, as JSON lines. */
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
