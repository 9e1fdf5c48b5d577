import { createRecords } from './create_records.js';
import { deleteRecords } from './delete_records.js';
import { describeObjectTool } from './describe_object.js';
import { exportRecords } from './export_records.js';
import { getRecord } from './get_record.js';
import { listObjects } from './list_objects.js';
import { runSoqlQuery } from './run_soql_query.js';
import { searchRecords } from './search_records.js';
import { updateRecords } from './update_records.js';
import { upsertRecords } from './upsert_records.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [
  runSoqlQuery,
  searchRecords,
  listObjects,
  describeObjectTool,
  getRecord,
  exportRecords,
  createRecords,
  updateRecords,
  upsertRecords,
  deleteRecords,
];
