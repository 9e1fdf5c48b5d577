import { join } from 'node:path';
import { ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { wait } from '../lib/args.js';
import {
  apiNameFromLabel,
  deployWritten,
  fieldSpec,
  fieldXml,
  normalizeField,
  objectXml,
  objectsFolder,
  writeOutput,
  writeSourceFiles,
} from '../lib/custom-schema.js';

export const createCustomObject = defineTool({
  name: 'create_custom_object',
  title: 'Create a custom object',
  description:
    'Writes a new custom object (and optional fields) into the project as source-format metadata from a short spec, checked before anything is written. deploy: true also deploys it.',
  input: z.object({
    label: z.string().min(1).max(40).describe('Singular label, e.g. "Invoice".'),
    pluralLabel: z.string().min(1).max(40).optional().describe('Default: label + "s".'),
    apiName: z.string().max(255).optional().describe('API name ending in __c (default: from the label).'),
    description: z.string().max(1000).optional(),
    nameField: z
      .object({
        label: z.string().min(1).max(80).optional(),
        type: z.enum(['Text', 'AutoNumber']).optional(),
        displayFormat: z.string().max(255).optional().describe('AutoNumber format, e.g. INV-{0000}.'),
      })
      .optional()
      .describe('The Name field (default: Text, "<label> Name").'),
    fields: z.array(fieldSpec).max(100).optional().describe('Fields to create with it.'),
    deploy: z.boolean().optional().describe('Deploy it to the org after writing.'),
    wait,
  }),
  output: writeOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const apiName = input.apiName ?? apiNameFromLabel(input.label);
    const fields = (input.fields ?? []).map(normalizeField);
    const check = normalizeField({ label: input.label, apiName, type: 'Text' });
    const seen = new Set<string>();
    for (const field of fields) {
      if (seen.has(field.apiName.toLowerCase()))
        throw new ToolError(`The field ${field.apiName} is listed twice. Nothing was written.`);
      seen.add(field.apiName.toLowerCase());
    }
    const nameType = input.nameField?.type ?? 'Text';
    if (input.nameField?.displayFormat && !/\{0+\}/.test(input.nameField.displayFormat)) {
      throw new ToolError(
        'nameField.displayFormat needs a number placeholder such as {0000}. Nothing was written.',
      );
    }
    const folder = join(objectsFolder(project), check.apiName);
    const files = [
      {
        path: join(folder, `${check.apiName}.object-meta.xml`),
        content: objectXml({
          label: input.label,
          pluralLabel: input.pluralLabel ?? `${input.label}s`,
          apiName: check.apiName,
          description: input.description,
          nameFieldLabel:
            input.nameField?.label ?? `${input.label} ${nameType === 'AutoNumber' ? 'Number' : 'Name'}`,
          nameFieldType: nameType,
          displayFormat: input.nameField?.displayFormat,
          controlledByParent: fields.some((field) => field.type === 'MasterDetail'),
        }),
        expect: { type: 'CustomObject', fullName: check.apiName },
      },
      ...fields.map((field) => ({
        path: join(folder, 'fields', `${field.apiName}.field-meta.xml`),
        content: fieldXml(field, input.pluralLabel ?? input.label),
        expect: { type: 'CustomField', fullName: `${check.apiName}.${field.apiName}` },
      })),
    ];
    // With deploy: true, the org is checked (and production refused) before any file is written.
    const org = input.deploy ? await ctx.org() : undefined;
    const written = await writeSourceFiles(project, files);
    const summary = `Wrote ${check.apiName} (${fields.length} fields):\n${written.join('\n')}`;
    if (!org) {
      return toolResult({
        text: `${summary}\nNot deployed: call deploy_metadata with sourceDir ["${written[0]?.replace(/\/[^/]+$/, '')}"], or use deploy: true.`,
        structured: { objectName: check.apiName, files: written },
      });
    }
    const deployed = await deployWritten(ctx, org, project, written, input.wait);
    return toolResult({
      text: `${summary}\n${deployed.text}`,
      structured: {
        objectName: check.apiName,
        files: written,
        ...(deployed.structured ? { deployed: deployed.structured } : {}),
      },
    });
  },
});
