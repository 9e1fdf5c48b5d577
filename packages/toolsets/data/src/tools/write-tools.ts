import type { AnyTool } from '@sfmcp/plugin-api';
import { createRecords } from './create_records.js';
import { deleteRecords } from './delete_records.js';
import { updateRecords } from './update_records.js';
import { upsertRecords } from './upsert_records.js';

/** The data toolset's tools that change records, in the order the README lists them. */
export const writeTools: AnyTool[] = [createRecords, updateRecords, upsertRecords, deleteRecords];
