import {
  type AllowedOrgSummary,
  type ConnectionStatus,
  type ToolContext,
  classifyConnectionError,
  cursorArgument,
  defineTool,
  formatTable,
  formatTableRow,
  pageWithinBudget,
  shortReason,
  tableColumns,
  toolResult,
  z,
} from '@sfmcp/plugin-api';
import { dateOnly, kindFromAuthFile, summaryLabel } from '../lib/orgs.js';

/** Checking one org never takes longer than this; a silent network counts as unreachable. */
const CHECK_TIMEOUT_MS = 20_000;
/** Orgs checked at the same time. */
const CHECK_CONCURRENCY = 4;

const kindSchema = z.enum(['production', 'sandbox', 'scratch', 'developer', 'local', 'unknown']);

const orgRow = z.object({
  username: z.string(),
  alias: z.string().optional(),
  instanceUrl: z.string().optional(),
  orgId: z.string().optional(),
  kind: kindSchema,
  isDefault: z.boolean(),
  isDevHub: z.boolean().optional(),
  expirationDate: z.string().optional(),
  grantedBy: z.string(),
  status: z.enum(['connected', 'expired', 'unreachable', 'error', 'not checked']),
  problem: z.string().optional(),
});
type OrgRow = z.infer<typeof orgRow>;

interface OrganizationRecord {
  OrganizationType?: string;
  IsSandbox?: boolean;
  TrialExpirationDate?: string | null;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function baseRow(org: AllowedOrgSummary): OrgRow {
  const expirationDate = org.expirationDate;
  return {
    username: org.username,
    ...(org.alias ? { alias: org.alias } : {}),
    ...(org.instanceUrl ? { instanceUrl: org.instanceUrl } : {}),
    ...(org.orgId ? { orgId: org.orgId } : {}),
    kind: kindFromAuthFile(org),
    isDefault: org.isDefault,
    ...(org.isDevHub ? { isDevHub: true } : {}),
    ...(expirationDate ? { expirationDate } : {}),
    grantedBy: org.grantedBy,
    status: org.error ? 'error' : 'not checked',
    ...(org.error ? { problem: org.error } : {}),
  };
}

/** Really calls the org: opens it and reads its Organization record. */
async function check(ctx: ToolContext, org: AllowedOrgSummary, row: OrgRow): Promise<OrgRow> {
  try {
    const { handle, organization } = await withTimeout(
      (async () => {
        const opened = await ctx.org(org.username);
        const result = await opened.connection.query<OrganizationRecord>(
          'SELECT Id, OrganizationType, IsSandbox, TrialExpirationDate FROM Organization LIMIT 1',
        );
        return { handle: opened, organization: result.records[0] };
      })(),
      CHECK_TIMEOUT_MS,
    );
    const expiry = dateOnly(organization?.TrialExpirationDate) ?? row.expirationDate;
    const rest: OrgRow = { ...row };
    delete rest.problem;
    return {
      ...rest,
      kind: handle.kind,
      instanceUrl: handle.instanceUrl,
      ...(handle.orgId ? { orgId: handle.orgId } : {}),
      ...(expiry ? { expirationDate: expiry } : {}),
      status: 'connected',
    };
  } catch (error) {
    const status: ConnectionStatus = classifyConnectionError(error);
    return { ...row, status, problem: shortReason(error) };
  }
}

async function checkAll(ctx: ToolContext, orgs: AllowedOrgSummary[], rows: OrgRow[]): Promise<OrgRow[]> {
  const checked = [...rows];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < orgs.length) {
      const index = next++;
      if (ctx.signal.aborted) return;
      checked[index] = await check(ctx, orgs[index] as AllowedOrgSummary, rows[index] as OrgRow);
      await ctx.progress(++done, orgs.length, `checked ${orgs[index]?.username}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, orgs.length) }, worker));
  return checked;
}

const COLUMNS = ['alias', 'username', 'kind', 'default', 'instance', 'expires', 'status'];

function displayRow(row: OrgRow): Record<string, unknown> {
  return {
    alias: row.alias ?? '',
    username: row.username,
    kind: row.kind,
    default: row.isDefault ? 'yes' : '',
    instance: row.instanceUrl ?? '',
    expires: row.expirationDate ?? '',
    status: row.problem ? `${row.status}: ${row.problem}` : row.status,
  };
}

export const listAllOrgs = defineTool({
  name: 'list_all_orgs',
  title: 'List allowed orgs',
  description:
    'Lists the orgs this server may use: alias, username, instance, kind, which is the default, expiry. With checkConnection it calls each org and reports connected / expired / unreachable.',
  input: z.object({
    checkConnection: z
      .boolean()
      .optional()
      .default(false)
      .describe('Call each org to see that it answers (slower); also shows each org’s real kind'),
    cursor: cursorArgument.describe('From a previous result, to continue a long list'),
  }),
  output: z.object({
    orgs: z.array(orgRow),
    defaultOrg: z.string().optional(),
    checked: z.boolean(),
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler({ checkConnection, cursor }, ctx) {
    const orgs = await ctx.listOrgs();
    if (orgs.length === 0) {
      return toolResult({
        text: 'This server has no org access. Start it with --orgs (DEFAULT_TARGET_ORG, usernames or aliases) or --local-org.',
        structured: { orgs: [], checked: Boolean(checkConnection) },
      });
    }
    let rows = orgs.map(baseRow);
    if (checkConnection) rows = await checkAll(ctx, orgs, rows);
    // An expiry column only when some org expires (scratch orgs, trials).
    const columns = tableColumns(
      [],
      rows.some((row) => row.expirationDate) ? COLUMNS : COLUMNS.filter((column) => column !== 'expires'),
    );
    const page = pageWithinBudget(ctx, rows, {
      cursor,
      binding: { listing: { checkConnection: Boolean(checkConnection) } },
      sizeOf: (row) =>
        Buffer.byteLength(formatTableRow(displayRow(row), columns)) + JSON.stringify(row).length,
    });
    const { offset, nextCursor } = page;
    const defaultRow = rows.find((row) => row.isDefault);
    const lines = [
      `${rows.length} allowed org${rows.length === 1 ? '' : 's'}${offset ? ` (from #${offset + 1})` : ''}; default: ${defaultRow ? summaryLabel(defaultRow) : 'none (pass usernameOrAlias to tools)'}.`,
      formatTable(page.items.map(displayRow), columns),
    ];
    if (!checkConnection) {
      lines.push(
        'Not connected: kind comes from the auth files (production and developer orgs show as unknown); checkConnection: true calls each org.',
      );
    }
    const failing = rows.filter((row) => row.status === 'expired' || row.status === 'unreachable');
    if (failing.some((row) => row.status === 'expired')) {
      lines.push('Expired: the user logs in again with sf org login web --alias <alias>.');
    }
    if (failing.some((row) => row.status === 'unreachable')) {
      lines.push('Unreachable: check the network and the instance URL.');
    }
    if (nextCursor) lines.push(`More orgs: call again with cursor "${nextCursor}".`);
    return toolResult({
      text: lines.join('\n'),
      structured: {
        orgs: page.items,
        ...(defaultRow ? { defaultOrg: defaultRow.username } : {}),
        checked: Boolean(checkConnection),
        ...(nextCursor ? { nextCursor } : {}),
      },
    });
  },
});
