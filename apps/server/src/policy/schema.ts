import { z } from 'zod';

/** The org kinds a rule can match (classifyOrg's). */
export const ORG_KINDS = ['production', 'sandbox', 'scratch', 'developer', 'local'] as const;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

const name = z.string().min(1).max(255);

export const RateLimitSchema = z
  .object({
    calls: z.int().positive().describe('How many calls the window allows.'),
    perSeconds: z.number().positive().max(86_400).describe('The window, in seconds.'),
  })
  .strict();

const MatchSchema = z
  .object({
    alias: oneOrMany(name).optional().describe('The org alias (sf alias); * matches any characters.'),
    username: oneOrMany(name).optional().describe('The org username; * matches any characters.'),
    kind: oneOrMany(z.enum(ORG_KINDS)).optional().describe('What kind of org it is.'),
  })
  .strict()
  .describe(
    'Which orgs the rule is for: every condition given must hold (a list: any of it). {} matches every org.',
  );

const RuleBody = {
  name: z.string().max(100).optional().describe('A name to say in refusals.'),
  toolsets: z
    .array(name)
    .optional()
    .describe(
      'The toolsets allowed on these orgs (the core tools always are). Absent: every loaded toolset.',
    ),
  tools: z
    .object({
      allow: z.array(name).optional().describe('Single tools allowed beyond the toolsets.'),
      deny: z.array(name).optional().describe('Tools refused on these orgs.'),
    })
    .strict()
    .optional(),
  writes: z.boolean().optional().describe('Whether tools may change these orgs (default true).'),
  review: z
    .union([z.literal('writes'), z.literal('all'), z.array(name)])
    .optional()
    .describe(
      'Tools that need the user\'s approval first: their names, "writes" (every tool that changes the org) or "all".',
    ),
  maxQueryRows: z.int().positive().optional().describe('The most records one call may read from these orgs.'),
  objects: z
    .object({
      noRead: z.array(name).optional().describe('Objects no query may read.'),
      noWrite: z.array(name).optional().describe('Objects no tool may create, change or delete records of.'),
    })
    .strict()
    .optional(),
  fields: z
    .object({
      noRead: z.array(name).optional().describe('Fields (Object.Field) no query may read.'),
      noWrite: z.array(name).optional().describe('Fields (Object.Field) no tool may set.'),
    })
    .strict()
    .optional(),
  rateLimits: z
    .object({
      perOrg: RateLimitSchema.optional().describe('Calls to one org (default 600 per 60 s).'),
      perTool: RateLimitSchema.optional().describe('Calls of one tool on one org (default 120 per 60 s).'),
      tools: z.record(name, RateLimitSchema).optional().describe('Limits of single tools, by name.'),
      apiUsageThreshold: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe(
          "Refuse calls once the org's daily API use (Sforce-Limit-Info) reaches this share (default 0.9).",
        ),
    })
    .strict()
    .optional(),
};

export const OrgRuleSchema = z.object({ match: MatchSchema, ...RuleBody }).strict();
export const DefaultRuleSchema = z.object(RuleBody).strict();

export const PolicySchema = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    orgs: z
      .array(OrgRuleSchema)
      .optional()
      .describe('Rules per org: the first whose match fits an org applies to it.'),
    default: DefaultRuleSchema.optional().describe('The rule for an org no entry of orgs matches.'),
  })
  .strict()
  .describe('sfmcp policy: what the assistant may do on which org (https://github.com/sfmcp/sfmcp).');

export type Policy = z.infer<typeof PolicySchema>;
export type OrgRule = z.infer<typeof OrgRuleSchema>;
export type PolicyRuleBody = z.infer<typeof DefaultRuleSchema>;
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** The JSON Schema the package publishes (policy.schema.json), for editors and CI. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(PolicySchema, { target: 'draft-2020-12' }) as Record<string, unknown>),
    $id: 'https://unpkg.com/@sfmcp/server/policy.schema.json',
    title: 'sfmcp policy',
  };
}
