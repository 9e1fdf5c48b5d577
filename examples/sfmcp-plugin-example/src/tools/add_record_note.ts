import { ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';

export const addRecordNote = defineTool({
  name: 'add_record_note',
  title: 'Add a note to a record',
  description: 'Adds a Note (title and body) to a record, e.g. an Account or Opportunity.',
  input: z.object({
    recordId: z
      .string()
      .max(18)
      .regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character record id'),
    title: z.string().min(1).max(80),
    body: z.string().max(32000).optional(),
  }),
  output: z.object({ noteId: z.string(), org: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  async handler({ recordId, title, body }, ctx) {
    const org = await ctx.org();
    const result = await org.connection
      .sobject('Note')
      .create({ ParentId: recordId, Title: title, Body: body });
    if (!result.success) {
      throw new ToolError(
        `Could not add the note: ${result.errors.map((error) => (typeof error === 'string' ? error : error.message)).join('; ')}`,
      );
    }
    return toolResult({
      text: `Added note ${result.id} to ${recordId}.`,
      structured: { noteId: result.id, org: org.username },
      org,
    });
  },
});
