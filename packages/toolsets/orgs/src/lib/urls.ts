import type { Connection } from '@salesforce/core';
import { ToolError, soqlString } from '@sfmcp/plugin-api';

export const SETUP_HOME = '/lightning/setup/SetupOneHome/home';

/** A path inside the org as the user gave it; never another site (no scheme, no //host). */
export function orgPath(path: string): string {
  const trimmed = path.trim();
  const hasControl = [...trimmed].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
  if (
    !trimmed ||
    hasControl ||
    /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ||
    /^[/\\]{2}/.test(trimmed) ||
    /[\s\\]/.test(trimmed)
  ) {
    throw new ToolError(
      `${JSON.stringify(path)} is not a path inside the org.`,
      'Pass a path such as /lightning/setup/Users/home or lightning/o/Account/list (no scheme, host or spaces).',
    );
  }
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

export interface UrlTarget {
  path: string;
  /** What the path opens, for the result text. */
  what: string;
  note?: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkedName(name: string | undefined, what: string): string {
  if (!name || !NAME.test(name)) {
    throw new ToolError(`Cannot tell the ${what} name from this path (${JSON.stringify(name ?? '')}).`);
  }
  return name;
}

async function toolingId(connection: Connection, soql: string): Promise<string | undefined> {
  const result = await connection.tooling.query<{ Id: string }>(soql);
  return result.records[0]?.Id;
}

const SUPPORTED =
  'Apex classes (classes/), triggers (triggers/), LWC bundles (lwc/), objects and fields (objects/), flows (flows/)';

/**
 * The Setup page for a metadata source file, found by the folder its type lives in
 * (force-app/main/default/classes/Foo.cls → the ApexClass Foo), with a Tooling lookup where the page needs an id.
 */
export async function sourceFileTarget(relativeParts: string[], connection: Connection): Promise<UrlTarget> {
  const index = (folder: string) => relativeParts.lastIndexOf(folder);
  const fileName = relativeParts[relativeParts.length - 1] ?? '';
  const lookup = async (
    type: 'ApexClass' | 'ApexTrigger',
    name: string,
    listPath: string,
    detailSetup: string,
  ): Promise<UrlTarget> => {
    let id: string | undefined;
    try {
      id = await toolingId(connection, `SELECT Id FROM ${type} WHERE Name = ${soqlString(name)} LIMIT 1`);
    } catch (error) {
      return {
        path: listPath,
        what: `${type} list (${name})`,
        note: `Could not look up ${type} ${name}: ${(error as Error).message}`,
      };
    }
    return id
      ? { path: `/lightning/setup/${detailSetup}/page?address=%2F${id}`, what: `${type} ${name} (${id})` }
      : {
          path: listPath,
          what: `${type} list`,
          note: `${type} ${name} is not in the org (not deployed yet?); this opens the list instead.`,
        };
  };

  if (index('classes') >= 0 && /\.cls(-meta\.xml)?$/.test(fileName)) {
    const name = checkedName(fileName.replace(/\.cls(-meta\.xml)?$/, ''), 'Apex class');
    return lookup('ApexClass', name, '/lightning/setup/ApexClasses/home', 'ApexClasses');
  }
  if (index('triggers') >= 0 && /\.trigger(-meta\.xml)?$/.test(fileName)) {
    const name = checkedName(fileName.replace(/\.trigger(-meta\.xml)?$/, ''), 'Apex trigger');
    return lookup('ApexTrigger', name, '/lightning/setup/ApexTriggers/home', 'ApexTriggers');
  }
  if (index('lwc') >= 0 && relativeParts[index('lwc') + 1]) {
    const name = checkedName(relativeParts[index('lwc') + 1], 'Lightning web component');
    return {
      path: '/lightning/setup/LightningComponentBundles/home',
      what: `Lightning components (${name})`,
    };
  }
  if (index('objects') >= 0 && relativeParts[index('objects') + 1]) {
    const at = index('objects');
    const object = checkedName(relativeParts[at + 1], 'object');
    if (relativeParts[at + 2] === 'fields' && relativeParts[at + 3]) {
      const field = checkedName(relativeParts[at + 3]?.replace(/\.field-meta\.xml$/, ''), 'field');
      return {
        path: `/lightning/setup/ObjectManager/${object}/FieldsAndRelationships/view`,
        what: `fields of ${object} (${field})`,
      };
    }
    return { path: `/lightning/setup/ObjectManager/${object}/Details/view`, what: `object ${object}` };
  }
  if (index('flows') >= 0 && /\.flow(-meta\.xml)?$/.test(fileName)) {
    const name = checkedName(fileName.replace(/\.flow(-meta\.xml)?$/, ''), 'flow');
    try {
      const result = await connection.tooling.query<{ ActiveVersionId?: string; LatestVersionId?: string }>(
        `SELECT Id, ActiveVersionId, LatestVersionId FROM FlowDefinition WHERE DeveloperName = ${soqlString(name)} LIMIT 1`,
      );
      const version = result.records[0]?.ActiveVersionId ?? result.records[0]?.LatestVersionId;
      if (version)
        return {
          path: `/builder_platform_interaction/flowBuilder.app?flowId=${version}`,
          what: `flow ${name}`,
        };
      return {
        path: '/lightning/setup/Flows/home',
        what: 'flow list',
        note: `Flow ${name} is not in the org (not deployed yet?).`,
      };
    } catch (error) {
      return {
        path: '/lightning/setup/Flows/home',
        what: 'flow list',
        note: `Could not look up flow ${name}: ${(error as Error).message}`,
      };
    }
  }
  throw new ToolError(
    `open_org does not know which Setup page shows ${relativeParts.join('/')}.`,
    `It maps ${SUPPORTED}; for anything else pass path.`,
  );
}

/** Whether a browser can be shown: macOS and Windows always, Linux and others with a display. */
export function hasDesktop(): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The command that opens a URL: $BROWSER when set, else the platform's opener. */
function opener(url: string): { command: string; args: string[] } {
  // $BROWSER as xdg-utils read it: the first of a colon-separated list, %s standing for the URL.
  const browser = process.env.BROWSER?.split(':')[0]?.trim();
  if (browser) {
    const [command, ...args] = browser.split(/\s+/) as [string, ...string[]];
    return args.some((arg) => arg.includes('%s'))
      ? { command, args: args.map((arg) => arg.replaceAll('%s', url)) }
      : { command, args: [...args, url] };
  }
  if (process.platform === 'darwin') return { command: 'open', args: [url] };
  // rundll32 takes the URL as one argument: no cmd.exe parsing of & in the query string.
  if (process.platform === 'win32')
    return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Hands a URL to the desktop's browser, detached. The URL (which may hold a session id) goes only
 * to that process: never into results or logs.
 */
export async function openInBrowser(url: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { command, args } = opener(url);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`could not start ${command}${error.code ? ` (${error.code})` : ''}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
