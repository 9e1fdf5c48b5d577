import { z } from '@sfmcp/plugin-api';
import { fixtureTool } from './define.js';

// A tool published with its whole JSON Schema 2020-12 (schemaStyle 'full'): the `$schema` dialect, `$defs` for
// the schema given an id, and `additionalProperties: false` for its strict objects (SEP-1613).

const address = z
  .strictObject({ street: z.string().max(200).optional(), city: z.string().max(100).optional() })
  .meta({ id: 'address' });

export const jsonSchema202012Tool = fixtureTool({
  name: 'json_schema_2020_12_tool',
  title: 'JSON Schema 2020-12',
  description: 'Tool with JSON Schema 2020-12 features: echoes the name and address it is given.',
  schemaStyle: 'full',
  input: z.strictObject({ name: z.string().max(200).optional(), address: address.optional() }),
  handler: async (input) => ({ text: `Received: ${JSON.stringify(input)}` }),
});
