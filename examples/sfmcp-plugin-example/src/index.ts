import { apiVersion, definePlugin } from '@sfmcp/plugin-api';
import { addRecordNote } from './tools/add_record_note.js';
import { convertRecordId } from './tools/convert_record_id.js';

export default definePlugin({
  toolset: 'example',
  description: 'Example plugin: record id conversion and notes on records.',
  apiVersion,
  tools: [convertRecordId, addRecordNote],
});
