import { ToolError, defineTool, formatTable, toolResult, z } from '@sfmcp/plugin-api';

const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{18}$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The case-safe three-character suffix Salesforce appends to a 15-character id. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const char = id15.charAt(block * 5 + position);
      if (char >= 'A' && char <= 'Z') bits |= 1 << position;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

export const convertRecordId = defineTool({
  name: 'convert_record_id',
  title: 'Convert record ids',
  description: 'Converts Salesforce record ids between the 15-character and the case-safe 18-character form.',
  input: z.object({
    ids: z.array(z.string().max(18)).min(1).max(500).describe('15- or 18-character record ids'),
  }),
  output: z.object({ ids: z.array(z.object({ id15: z.string(), id18: z.string(), keyPrefix: z.string() })) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  async handler({ ids }) {
    const converted = ids.map((id) => {
      if (ID_15.test(id)) return { id15: id, id18: id + caseSafeSuffix(id), keyPrefix: id.slice(0, 3) };
      if (ID_18.test(id)) {
        const id15 = id.slice(0, 15);
        if (caseSafeSuffix(id15).toLowerCase() !== id.slice(15).toLowerCase()) {
          throw new ToolError(
            `${id} is not a valid 18-character id: its last three characters do not match.`,
          );
        }
        return { id15, id18: id15 + caseSafeSuffix(id15), keyPrefix: id.slice(0, 3) };
      }
      throw new ToolError(
        `${JSON.stringify(id)} is not a Salesforce id: ids have 15 or 18 letters and digits.`,
      );
    });
    return toolResult({ text: formatTable(converted), structured: { ids: converted } });
  },
});
