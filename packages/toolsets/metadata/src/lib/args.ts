import { LIMITS, z } from '@sfmcp/plugin-api';

/** `Type` or `Type:Name` (wildcards allowed in the name, as sf accepts them). */
export const metadataEntry = z
  .string()
  .max(LIMITS.name * 2)
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(:.+)?$/,
    'a metadata name is Type or Type:Name, e.g. ApexClass:InvoiceService',
  );

/** Minutes to wait before handing back the job id for resume_tool_operation. */
export const wait = z
  .number()
  .min(0)
  .max(120)
  .optional()
  .describe('Minutes to wait, then return the job id to resume (default 10)');

export const DEFAULT_WAIT_MINUTES = 10;
