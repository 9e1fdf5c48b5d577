import {
  defineTool,
  formatTable,
  toolResult,
  z,
  salesforceError,
  connectionHint,
  shortReason,
} from '@sfmcp/plugin-api';
import { dateOnly } from '../lib/orgs.js';

interface OrganizationRecord {
  Id: string;
  Name?: string;
  OrganizationType?: string;
  InstanceName?: string;
  IsSandbox?: boolean;
  NamespacePrefix?: string | null;
  TrialExpirationDate?: string | null;
}

type LimitsBody = Record<string, { Max?: number; Remaining?: number } | undefined>;

/** The limits that matter day to day, in the order shown. */
const LIMITS = [
  ['DailyApiRequests', 'daily API requests', ''],
  ['DataStorageMB', 'data storage', ' MB'],
  ['FileStorageMB', 'file storage', ' MB'],
] as const;

const limitSchema = z.object({ max: z.number(), remaining: z.number(), used: z.number() });

/** What the sfmcp local org is, said wherever it is described. */
const LOCAL_ORG_NOTE =
  'This is the sfmcp local org: a Salesforce test double on this machine, not Salesforce. Its Apex test outcomes come from its seed, never from running Apex.';

export const getOrgInfo = defineTool({
  name: 'get_org_info',
  title: 'Get org info and limits',
  description:
    'Edition, org type, instance, sandbox or not, namespace, API version, and the limits that matter: daily API requests used / left, data and file storage.',
  input: z.object({}),
  output: z.object({
    username: z.string(),
    alias: z.string().optional(),
    orgId: z.string(),
    name: z.string().optional(),
    edition: z.string().optional(),
    kind: z.enum(['production', 'sandbox', 'scratch', 'developer', 'local']),
    instanceUrl: z.string(),
    instanceName: z.string().optional(),
    isSandbox: z.boolean(),
    namespacePrefix: z.string().optional(),
    trialExpirationDate: z.string().optional(),
    apiVersion: z.string(),
    limits: z.object({
      DailyApiRequests: limitSchema.optional(),
      DataStorageMB: limitSchema.optional(),
      FileStorageMB: limitSchema.optional(),
    }),
    limitsProblem: z.string().optional(),
    testDouble: z.string().optional().describe('Set for the sfmcp local org: what it is and is not'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler(_args, ctx) {
    const org = await ctx.org();
    const { connection } = org;
    let organization: OrganizationRecord | undefined;
    try {
      const result = await connection.query<OrganizationRecord>(
        'SELECT Id, Name, OrganizationType, InstanceName, IsSandbox, NamespacePrefix, TrialExpirationDate FROM Organization LIMIT 1',
      );
      organization = result.records[0];
    } catch (error) {
      throw salesforceError(error, {
        prefix: `Could not read the Organization of ${org.label}`,
        hint: connectionHint(error, org),
      });
    }
    const apiVersion = connection.getApiVersion();
    const limits: Partial<Record<(typeof LIMITS)[number][0], z.infer<typeof limitSchema>>> = {};
    let limitsProblem: string | undefined;
    try {
      const body = await connection.request<LimitsBody>(`/services/data/v${apiVersion}/limits`);
      for (const [key] of LIMITS) {
        const entry = body[key];
        if (typeof entry?.Max === 'number' && typeof entry.Remaining === 'number') {
          limits[key] = { max: entry.Max, remaining: entry.Remaining, used: entry.Max - entry.Remaining };
        }
      }
    } catch (error) {
      limitsProblem = shortReason(error);
    }
    const expiry = dateOnly(organization?.TrialExpirationDate);
    const structured = {
      username: org.username,
      ...(org.alias ? { alias: org.alias } : {}),
      orgId: organization?.Id ?? org.orgId,
      ...(organization?.Name ? { name: organization.Name } : {}),
      ...(organization?.OrganizationType ? { edition: organization.OrganizationType } : {}),
      kind: org.kind,
      instanceUrl: org.instanceUrl,
      ...(organization?.InstanceName ? { instanceName: organization.InstanceName } : {}),
      isSandbox: Boolean(organization?.IsSandbox),
      ...(organization?.NamespacePrefix ? { namespacePrefix: organization.NamespacePrefix } : {}),
      ...(expiry ? { trialExpirationDate: expiry } : {}),
      apiVersion,
      limits,
      ...(limitsProblem ? { limitsProblem } : {}),
      ...(org.kind === 'local' ? { testDouble: LOCAL_ORG_NOTE } : {}),
    };
    const facts = [
      ...(org.kind === 'local' ? [LOCAL_ORG_NOTE] : []),
      `${structured.name ?? '(unnamed org)'} — ${structured.edition ?? 'edition unknown'}, ${org.kind}${structured.isSandbox ? ' (sandbox)' : ''}`,
      `Org id ${structured.orgId}; instance ${structured.instanceName ?? '?'} at ${org.instanceUrl}; API v${apiVersion}`,
      `Namespace: ${structured.namespacePrefix ?? 'none'}${expiry ? `; expires ${expiry}` : ''}`,
    ];
    const rows = LIMITS.flatMap(([key, label, unit]) => {
      const value = limits[key];
      return value
        ? [
            {
              limit: label,
              used: `${value.used}${unit}`,
              left: `${value.remaining}${unit}`,
              max: `${value.max}${unit}`,
              'used %': value.max ? `${Math.round((value.used / value.max) * 100)}%` : '',
            },
          ]
        : [];
    });
    const text = [
      ...facts,
      limitsProblem
        ? `Limits unavailable: ${limitsProblem}`
        : rows.length
          ? formatTable(rows)
          : 'The org reported none of these limits.',
    ].join('\n');
    return toolResult({ text, structured, org });
  },
});
