import { parseQuery } from '@jetstreamapp/soql-parser-js';
const qs = process.argv.slice(2);
for (const q of qs) { try { console.log(JSON.stringify(parseQuery(q, {allowApexBindVariables:false}), null, 1)); } catch (e) { console.log('ERR', e.name, e.message); } }
