import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test file runs with its own empty HOME: @salesforce/core keeps all state under it.
process.env.HOME = mkdtempSync(join(tmpdir(), 'sfmcp-home-'));
process.env.SFMCP_TEMP_HOME = process.env.HOME;
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';
process.env.SFDX_DISABLE_TELEMETRY = 'true';
