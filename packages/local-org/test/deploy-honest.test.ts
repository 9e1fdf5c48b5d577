// Through the real clients: what a metadata deploy to the local org reports is true (LWC compiled, standard fields changed,
// static resources compared by content, ExperienceBundle kept whole, components the org does not model reported with a warning).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import {
  ComponentSet,
  MetadataConverter,
  RequestStatus,
  type DeployResult,
} from '@salesforce/source-deploy-retrieve';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo } from './fixtures/clients.js';
import { filesUnder, Scratch } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/honest-project', import.meta.url));
const DEFAULT = 'force-app/main/default';

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

interface Row {
  componentType: string;
  fullName: string;
  fileName: string;
  created: boolean | string;
  changed: boolean | string;
  success: boolean | string;
  problem?: string;
  problemType?: string;
  lineNumber?: number | string;
  columnNumber?: number | string;
}

function rows(result: DeployResult, kind: 'componentSuccesses' | 'componentFailures'): Row[] {
  const value = (result.response.details as Record<string, unknown> | undefined)?.[kind];
  return (Array.isArray(value) ? value : value ? [value] : []) as Row[];
}

function row(result: DeployResult, type: string, fullName: string): Row | undefined {
  return [...rows(result, 'componentSuccesses'), ...rows(result, 'componentFailures')].find(
    (entry) => entry.componentType === type && entry.fullName === fullName,
  );
}

const flag = (value: boolean | string | undefined) => value === true || value === 'true';

async function deploy(path: string): Promise<DeployResult> {
  const operation = await ComponentSet.fromSource(path).deploy({ usernameOrConnection: connection });
  return operation.pollStatus(50, 60);
}

function copyProject(): string {
  return scratch.copy(FIXTURE, 'honest-project-');
}

/** The names of the Lightning web components the org has. */
async function bundlesInOrg(): Promise<string[]> {
  const listed = await connection.metadata.list([{ type: 'LightningComponentBundle' }]);
  return (Array.isArray(listed) ? listed : [listed]).map((entry) => entry.fullName).sort();
}

function writeBundle(dir: string, name: string, files: Record<string, string>): void {
  const bundle = join(dir, DEFAULT, 'lwc', name);
  mkdirSync(bundle, { recursive: true });
  const meta = readFileSync(join(FIXTURE, DEFAULT, 'lwc/statusBadge/statusBadge.js-meta.xml'), 'utf8');
  writeFileSync(join(bundle, `${name}.js-meta.xml`), meta);
  for (const [extension, content] of Object.entries(files))
    writeFileSync(join(bundle, `${name}.${extension}`), content);
}

const GOOD_JS = (className: string) =>
  `import { LightningElement } from 'lwc';\n\nexport default class ${className} extends LightningElement {}\n`;

beforeAll(async () => {
  org = await startLocalOrg();
  connection = await connectTo(org);
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('what a metadata deploy to the local org reports', () => {
  it('reports a standard field as changed, a new field as created, and a warning on each component it keeps as files only', async () => {
    const result = await deploy(join(copyProject(), 'force-app'));
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(rows(result, 'componentFailures')).toEqual([]);

    const email = row(result, 'CustomField', 'Contact.Email');
    expect(email && [flag(email.created), flag(email.changed), email.problemType]).toEqual([
      false,
      true,
      undefined,
    ]);
    const badgeStatus = row(result, 'CustomField', 'Contact.Badge_Status__c');
    expect(badgeStatus && [flag(badgeStatus.created), badgeStatus.problemType]).toEqual([true, undefined]);
    const contact = row(result, 'CustomObject', 'Contact');
    expect(contact && [flag(contact.created), contact.problemType]).toEqual([false, undefined]);
    const lwc = row(result, 'LightningComponentBundle', 'statusBadge');
    expect(lwc && [flag(lwc.created), lwc.problemType, lwc.problem]).toEqual([true, undefined, undefined]);

    // Kept, reported as deployed, and saying what the org does not do with it.
    expect(row(result, 'Flow', 'Badge_Reminder')).toMatchObject({
      problem: 'The local org keeps this Flow as metadata only: it does not run.',
      problemType: 'Warning',
    });
    // A child of an object the org models, of a type it does not: the object's fields are live, the rule is not.
    expect(row(result, 'ValidationRule', 'Contact.Badge_Status_Known')).toMatchObject({
      problem: 'The local org keeps this ValidationRule as metadata only: it does not run.',
      problemType: 'Warning',
    });
    expect(row(result, 'StaticResource', 'badgeAssets')).toMatchObject({
      problem: 'The local org keeps this StaticResource as metadata only: it has no effect in the local org.',
      problemType: 'Warning',
    });
    expect(row(result, 'ExperienceBundle', 'My_Site1')).toMatchObject({
      fileName: 'experiences/My_Site1',
      problem:
        'The local org keeps this ExperienceBundle as metadata only: it has no effect in the local org.',
      problemType: 'Warning',
    });
    for (const type of ['Flow', 'StaticResource', 'ExperienceBundle']) {
      const entry = rows(result, 'componentSuccesses').find((candidate) => candidate.componentType === type);
      expect(entry && [flag(entry.success), flag(entry.created)], type).toEqual([true, true]);
    }

    // SDR reads the flags: the standard field changed, the rest created (warnings do not fail anything).
    const states = new Map(
      result.getFileResponses().map((response) => [`${response.type}#${response.fullName}`, response.state]),
    );
    expect(states.get('CustomField#Contact.Email')).toBe('Changed');
    expect(states.get('CustomField#Contact.Badge_Status__c')).toBe('Created');
    expect(states.get('Flow#Badge_Reminder')).toBe('Created');
    expect(states.get('ExperienceBundle#My_Site1')).toBe('Created');
    // Components kept with a warning are components: counted, and deployed.
    const components = rows(result, 'componentSuccesses').filter((entry) => entry.fullName !== 'package.xml');
    expect(Number(result.response.numberComponentsTotal)).toBe(components.length);
    expect(Number(result.response.numberComponentsDeployed)).toBe(components.length);
  });

  it('retrieves an ExperienceBundle file for file, its .site-meta.xml included', async () => {
    const source = copyProject();
    const bundle = join(source, DEFAULT, 'experiences');
    const deployed = await deploy(bundle);
    expect(deployed.response.status).toBe(RequestStatus.Succeeded);
    const target = scratch.dir('honest-retrieve-');
    const operation = await ComponentSet.fromSource(bundle).retrieve({
      usernameOrConnection: connection,
      output: join(target, 'force-app'),
      merge: false,
    });
    const result = await operation.pollStatus(50, 60);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.messages ?? []).toEqual([]);
    const expected = filesUnder(bundle);
    // SDR writes into a folder of its own naming there (metadataPackage_<time>/main/default/...): left out of the paths.
    const actual = new Map(
      [...filesUnder(join(target, 'force-app'))].map(([path, content]) => [
        path.replace(/^main\/default\/experiences\//, ''),
        content,
      ]),
    );
    expect([...actual.keys()].sort()).toEqual([
      'My_Site1.site-meta.xml',
      'My_Site1/config/my_site1.json',
      'My_Site1/routes/home.json',
      'My_Site1/views/home.json',
    ]);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path)?.equals(content), path).toBe(true);
  });

  it('compares a folder static resource by its files, not by the bytes of a zip made anew', async () => {
    const dir = copyProject();
    const resources = join(dir, DEFAULT, 'staticresources');
    const zipped = async () => {
      const converted = await new MetadataConverter().convert(
        ComponentSet.fromSource(resources),
        'metadata',
        {
          type: 'zip',
        },
      );
      const zip = await JSZip.loadAsync(converted.zipBuffer as Buffer);
      return zip.file(/badgeAssets\.resource$/)[0]?.async('nodebuffer');
    };
    const first = await deploy(resources);
    expect(first.response.status).toBe(RequestStatus.Succeeded);
    const before = await zipped();
    // A day later, SDR zips the same folder with new entry dates: other bytes, the same files.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 86_400_000 });
    try {
      const after = await zipped();
      expect(before && after && before.equals(after)).toBe(false);
      const again = await deploy(resources);
      expect(again.response.status).toBe(RequestStatus.Succeeded);
      const entry = row(again, 'StaticResource', 'badgeAssets');
      expect(entry && [flag(entry.created), flag(entry.changed)]).toEqual([false, false]);
      expect(again.getFileResponses().every((response) => response.state === 'Unchanged')).toBe(true);

      writeFileSync(join(resources, 'badgeAssets/badge.css'), '.badge-asset { color: navy; }\n');
      const edited = await deploy(resources);
      const changed = row(edited, 'StaticResource', 'badgeAssets');
      expect(changed && [flag(changed.created), flag(changed.changed)]).toEqual([false, true]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails a Lightning web component whose JavaScript does not compile, as the org does, and deploys nothing', async () => {
    const dir = scratch.copy(FIXTURE, 'honest-lwc-');
    writeBundle(dir, 'freshCard', { js: GOOD_JS('FreshCard'), html: '<template><p>fresh</p></template>\n' });
    writeBundle(dir, 'brokenCard', {
      js: "import { LightningElement } from 'lwc';\n\nexport default class BrokenCard extends LightningElement {\n  get label( {\n    return 'x';\n  }\n}\n",
      html: '<template><p>broken</p></template>\n',
    });
    const before = await bundlesInOrg();
    const result = await deploy(join(dir, DEFAULT, 'lwc'));
    expect(result.response.status).toBe(RequestStatus.Failed);
    expect(result.response.success).toBe(false);
    const failures = rows(result, 'componentFailures');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      componentType: 'LightningComponentBundle',
      fullName: 'brokenCard',
      fileName: 'lwc/brokenCard/brokenCard.js',
      problemType: 'Error',
    });
    expect([Number(failures[0]?.lineNumber), Number(failures[0]?.columnNumber)]).toEqual([5, 5]);
    expect(failures[0]?.problem).toMatch(/^\[Line: 5, Col: 5\] LWC1007: Unexpected keyword 'return'\.$/);
    expect(failures[0]?.problem).not.toContain(process.cwd());
    // SDR reads the location out of the problem, and points at the file.
    const [response] = result.getFileResponses().filter((entry) => entry.state === 'Failed');
    expect(response).toMatchObject({
      type: 'LightningComponentBundle',
      fullName: 'brokenCard',
      lineNumber: 5,
      columnNumber: 5,
    });
    expect((response as { filePath?: string }).filePath).toMatch(/lwc\/brokenCard\/brokenCard\.js$/);
    expect((response as { error?: string }).error).toMatch(
      /^LWC1007: Unexpected keyword 'return'\. \(5:5\)$/,
    );
    // Rolled back: the bundle that compiled was not kept either.
    expect(await bundlesInOrg()).toEqual(before);
    expect(before).not.toContain('freshCard');
  });

  it('fails a bundle per file whose template or style does not compile, naming each file', async () => {
    const dir = scratch.copy(FIXTURE, 'honest-lwc-');
    writeBundle(dir, 'badMarkup', {
      js: GOOD_JS('BadMarkup'),
      html: '<template>\n  <div>\n</template>\n',
      css: ':host {\n  color: red;\n',
    });
    const result = await deploy(join(dir, DEFAULT, 'lwc', 'badMarkup'));
    expect(result.response.status).toBe(RequestStatus.Failed);
    const failures = rows(result, 'componentFailures').sort((a, b) => a.fileName.localeCompare(b.fileName));
    expect(
      failures.map((entry) => [entry.componentType, entry.fullName, entry.fileName, entry.problemType]),
    ).toEqual([
      ['LightningComponentBundle', 'badMarkup', 'lwc/badMarkup/badMarkup.css', 'Error'],
      ['LightningComponentBundle', 'badMarkup', 'lwc/badMarkup/badMarkup.html', 'Error'],
    ]);
    expect(failures[0]?.problem).toMatch(/LWC1009: .*Unclosed block/);
    expect(failures[1]?.problem).toMatch(/^\[Line: 3, Col: \d+\] LWC1058: Invalid HTML syntax/);
    expect(await bundlesInOrg()).not.toContain('badMarkup');
  });

  it('redeploys a bundle that compiles, unchanged, without a warning', async () => {
    const dir = copyProject();
    const lwc = join(dir, DEFAULT, 'lwc');
    await deploy(lwc);
    const result = await deploy(lwc);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    const entry = row(result, 'LightningComponentBundle', 'statusBadge');
    expect(entry && [flag(entry.created), flag(entry.changed), entry.problemType]).toEqual([
      false,
      false,
      undefined,
    ]);
    expect(await bundlesInOrg()).toContain('statusBadge');
  });
});
