import { relative, sep } from 'node:path';
import { LIMITS, ToolError, defineTool, toolResult, z, shortReason } from '@sfmcp/plugin-api';
import {
  SETUP_HOME,
  type UrlTarget,
  hasDesktop,
  openInBrowser,
  orgPath,
  sourceFileTarget,
} from '../lib/urls.js';

const RECORD_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export const openOrg = defineTool({
  name: 'open_org',
  title: 'Open an org',
  description:
    'URL of the org’s Setup, a record, a metadata source file’s Setup page, or a path. Opens a browser only with openBrowser on a desktop; never returns a session id.',
  input: z.object({
    path: z.string().max(2048).optional().describe('Path in the org, e.g. /lightning/setup/Users/home'),
    recordId: z.string().max(LIMITS.id).optional().describe('Record id (15 or 18 characters)'),
    filePath: z
      .string()
      .max(LIMITS.path)
      .optional()
      .describe('Metadata file in the project, e.g. force-app/main/default/classes/Foo.cls'),
    openBrowser: z.boolean().optional().default(false).describe('Open it in the browser (desktop only)'),
  }),
  output: z.object({
    url: z.string(),
    opens: z.string(),
    browserOpened: z.boolean(),
    note: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  takesDirectory: true,
  async handler({ path, recordId, filePath, openBrowser }, ctx) {
    const given = [path, recordId, filePath].filter((value) => value !== undefined);
    if (given.length > 1) {
      throw new ToolError('Pass at most one of path, recordId and filePath.');
    }
    if (recordId !== undefined && !RECORD_ID.test(recordId)) {
      throw new ToolError(
        `${JSON.stringify(recordId)} is not a record id: ids have 15 or 18 letters and digits.`,
      );
    }
    const pathTarget = path !== undefined ? orgPath(path) : undefined;
    const project = filePath !== undefined ? await ctx.project() : undefined;
    const absolute = project && filePath !== undefined ? project.resolve(filePath) : undefined;

    const org = await ctx.org();
    let target: UrlTarget;
    if (pathTarget) target = { path: pathTarget, what: pathTarget };
    else if (recordId) target = { path: `/lightning/r/${recordId}/view`, what: `record ${recordId}` };
    else if (project && absolute) {
      target = await sourceFileTarget(relative(project.root, absolute).split(sep), org.connection);
    } else target = { path: SETUP_HOME, what: 'Setup' };

    const base = org.instanceUrl.replace(/\/+$/, '');
    const url = `${base}${target.path}`;
    let browserOpened = false;
    let note = target.note;
    if (openBrowser) {
      if (!hasDesktop()) {
        note = [note, 'No browser opened: the server has no desktop; open the URL yourself.']
          .filter(Boolean)
          .join(' ');
      } else {
        try {
          // A fresh session id, so the front door logs the user straight in.
          await org.connection.refreshAuth().catch(() => undefined);
          const token = org.connection.accessToken;
          const frontDoor = token
            ? `${base}/secur/frontdoor.jsp?sid=${encodeURIComponent(token)}&retURL=${encodeURIComponent(target.path)}`
            : url;
          await openInBrowser(frontDoor);
          browserOpened = true;
        } catch (error) {
          note = [note, `No browser opened: ${shortReason(error)}.`].filter(Boolean).join(' ');
        }
      }
    }
    const text = [
      `${target.what}: ${url}`,
      ...(browserOpened ? ['Opened in the browser (logged in through the front door).'] : []),
      ...(note ? [note] : []),
    ].join('\n');
    return toolResult({
      text,
      structured: { url, opens: target.what, browserOpened, ...(note ? { note } : {}) },
      org,
    });
  },
});
