import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { wait } from '../lib/args.js';
import { buildComponentSet } from '../lib/components.js';
import {
  deployWritten,
  fieldSpec,
  fieldXml,
  normalizeField,
  objectsFolder,
  writeOutput,
  writeSourceFiles,
} from '../lib/custom-schema.js';

export const createCustomField = defineTool({
  name: 'create_custom_field',
  title: 'Create custom fields',
  description:
    'Writes new custom fields on an object (custom in the project, or standard like Account) as source-format metadata from a short spec, every everyday type from Text to MasterDetail. deploy: true also deploys them.',
  input: z.object({
    objectName: z
      .string()
      .max(255)
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .describe('Object API name, e.g. Invoice__c or Account.'),
    fields: z.array(fieldSpec).min(1).max(100),
    deploy: z.boolean().optional().describe('Deploy them to the org after writing.'),
    wait,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const fields = input.fields.map(normalizeField);
    const seen = new Set<string>();
    for (const field of fields) {
      if (seen.has(field.apiName.toLowerCase()))
        throw new ToolError(`The field ${field.apiName} is listed twice. Nothing was written.`);
      seen.add(field.apiName.toLowerCase());
    }
    // The object's folder in the project; a custom object must be there, a standard one may be new to it.
    let folder: string | undefined;
    const local = await buildComponentSet(project, { metadata: [`CustomObject:${input.objectName}`] }).catch(
      () => undefined,
    );
    const component = local
      ?.getSourceComponents()
      .toArray()
      .find((candidate) => candidate.type.name === 'CustomObject');
    if (component?.xml) folder = dirname(component.xml);
    else if (existsSync(join(objectsFolder(project), input.objectName)))
      folder = join(objectsFolder(project), input.objectName);
    if (!folder) {
      if (/__c$/i.test(input.objectName)) {
        throw new ToolError(
          `The custom object ${input.objectName} is not in the project. Nothing was written.`,
          'Create it with create_custom_object, or retrieve it first (retrieve_metadata metadata ["CustomObject:' +
            input.objectName +
            '"]).',
        );
      }
      folder = join(objectsFolder(project), input.objectName);
    }
    if (fields.some((field) => field.type === 'MasterDetail') && !/__c$/i.test(input.objectName)) {
      throw new ToolError('A MasterDetail field can only be added to a custom object. Nothing was written.');
    }
    const files = fields.map((field) => ({
      path: join(folder, 'fields', `${field.apiName}.field-meta.xml`),
      content: fieldXml(field),
      expect: { type: 'CustomField', fullName: `${input.objectName}.${field.apiName}` },
    }));
    const org = input.deploy ? await ctx.org() : undefined;
    const written = await writeSourceFiles(project, files);
    const summary = `Wrote ${fields.length} fields on ${input.objectName}:\n${written.join('\n')}`;
    if (!org) {
      return toolResult({
        text: `${summary}\nNot deployed: call deploy_metadata with these paths as sourceDir, or use deploy: true.`,
        structured: { objectName: input.objectName, files: written },
      });
    }
    const deployed = await deployWritten(ctx, org, project, written, input.wait);
    return toolResult({
      text: `${summary}\n${deployed.text}`,
      structured: {
        objectName: input.objectName,
        files: written,
        ...(deployed.structured ? { deployed: deployed.structured } : {}),
      },
    });
  },
});
