import { type OrgHandle, ToolError, toToolError, isSalesforceError } from '@sfmcp/plugin-api';
import { type DescribeSObjectResult, describeGlobal, describeObject } from './describes.js';
import { didYouMean } from './suggest.js';
import { HINTS } from './hints.js';

/**
 * The describe of an object (cached), or a ToolError naming the closest object names when the org
 * has no such object.
 */
export async function describeOrSuggest(
  org: OrgHandle,
  objectName: string,
  options: { tooling?: boolean } = {},
): Promise<DescribeSObjectResult> {
  try {
    return await describeObject(org, objectName, options);
  } catch (error) {
    if (isSalesforceError(error) && (error.errorCode === 'NOT_FOUND' || error.errorCode === 'INVALID_TYPE')) {
      const global = await describeGlobal(org, options).catch(() => undefined);
      const names = global?.sobjects.map((sobject) => sobject.name) ?? [];
      throw new ToolError(
        `${error.errorCode}: there is no object ${objectName} in ${org.label}.${didYouMean(objectName, names)}`,
        'list_objects finds objects by name or label.',
      );
    }
    // describeObject already turned Salesforce errors into ToolErrors.
    if (error instanceof ToolError && /^(NOT_FOUND|INVALID_TYPE):/.test(error.message)) {
      const global = await describeGlobal(org, options).catch(() => undefined);
      const names = global?.sobjects.map((sobject) => sobject.name) ?? [];
      throw new ToolError(
        `${error.message.split(':')[0]}: there is no object ${objectName} in ${org.label}.${didYouMean(objectName, names)}`,
        'list_objects finds objects by name or label.',
      );
    }
    throw toToolError(error, { hints: HINTS });
  }
}
