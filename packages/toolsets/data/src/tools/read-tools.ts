import type { AnyTool } from '@sfmcp/plugin-api';
import { describeObjectTool } from './describe_object.js';
import { exportRecords } from './export_records.js';
import { getRecord } from './get_record.js';
import { listObjects } from './list_objects.js';
import { runSoqlQuery } from './run_soql_query.js';
import { searchRecords } from './search_records.js';

/** The data toolset's read-only tools (and export_records, which writes only a local file), in README order. */
export const readTools: AnyTool[] = [
  runSoqlQuery,
  searchRecords,
  listObjects,
  describeObjectTool,
  getRecord,
  exportRecords,
] as AnyTool[];
