import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLwcComponent } from '../../src/tools/validate_lwc_component.js';
import { cleanUp, filesUnder, makeProject, serveTools, tempDir } from '../helpers.js';

const GOOD = fileURLToPath(new URL('../fixtures/good/lwc', import.meta.url));
const BAD = fileURLToPath(new URL('../fixtures/bad/lwc', import.meta.url));
const LWC = 'force-app/main/default/lwc';

interface Structured {
  components: { component: string; path?: string; score: number; errors: number; warnings: number }[];
  findings: number;
}

let goodProject: string;
let badProject: string;
let good: TestServer;
let bad: TestServer;

/** The "file:line:col rule" of each finding line in a result text. */
function located(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^(\S+:\d+:\d+ \S+)/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined);
}

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

beforeAll(async () => {
  goodProject = makeProject();
  cpSync(GOOD, join(goodProject, LWC), { recursive: true });
  good = await serveTools([validateLwcComponent], goodProject);

  badProject = makeProject();
  cpSync(BAD, join(badProject, LWC), { recursive: true });
  cpSync(join(GOOD, 'helloWorld'), join(badProject, LWC, 'helloWorld'), { recursive: true });
  // A bundle outside the project, linked into its lwc folder.
  const outside = tempDir('sfmcp-lwc-outside-');
  mkdirSync(join(outside, 'secretCard'));
  writeFileSync(join(outside, 'secretCard/secretCard.js'), 'export default class {}\n');
  symlinkSync(join(outside, 'secretCard'), join(badProject, LWC, 'secretCard'));
  bad = await serveTools([validateLwcComponent], badProject);
}, 60_000);

afterAll(async () => {
  await good?.close();
  await bad?.close();
  cleanUp();
});

describe('validate_lwc_component', () => {
  it('publishes path, componentName, files and directory, read-only', async () => {
    const { tools } = await good.client.listTools();
    const tool = tools.find((entry) => entry.name === 'validate_lwc_component');
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['path', 'componentName', 'files', 'directory']),
    );
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    expect(tool?.description?.length).toBeLessThan(300);
  });

  it('finds nothing wrong in 26 well-written components, validated in one call', async () => {
    const result = await good.call('validate_lwc_component', { path: LWC });
    expect(result.isError, result.text).toBeFalsy();
    const structured = result.structuredContent as unknown as Structured;
    expect(structured.components).toHaveLength(26);
    // Any finding on these is a defect of the checker: none is expected, not even a warning.
    expect(
      structured.components.filter((entry) => entry.errors || entry.warnings),
      result.text,
    ).toEqual([]);
    expect(structured.findings).toBe(0);
    expect(structured.components.every((entry) => entry.score === 100)).toBe(true);
    expect(result.text).toContain('Validated 26 components: 0 errors, 0 warnings.');
    expect(result.text).toContain('recordSummary');
  }, 120_000);

  it('validates every package directory by default', async () => {
    const result = await good.call('validate_lwc_component', {});
    expect(result.isError, result.text).toBeFalsy();
    expect((result.structuredContent as unknown as Structured).components).toHaveLength(26);
  }, 120_000);

  it('reports the template error, innerHTML, the image without alt and the wrong target at their lines', async () => {
    const result = await bad.call('validate_lwc_component', { componentName: 'brokenCard' });
    expect(result.isError, result.text).toBeFalsy();
    expect(located(result.text)).toEqual([
      'brokenCard.html:3:9 a11y/img-alt',
      'brokenCard.html:4:14 LWC1034',
      'brokenCard.js:7:45 @lwc/lwc/no-inner-html',
      'brokenCard.js-meta.xml:7:17 meta/unknown-target',
    ]);
    expect(result.text).toContain('Did you mean lightning__RecordPage?');
    expect(result.text).toContain('Ambiguous attribute value onclick="{handleClick}"');
    const [report] = (result.structuredContent as unknown as Structured).components;
    expect(report).toMatchObject({
      component: 'c/brokenCard',
      path: `${LWC}/brokenCard`,
      errors: 4,
      warnings: 0,
    });
    expect(report!.score).toBeLessThanOrEqual(40);
    expect(result.text).toMatch(/Readiness \d+\/100: held back by 1 compile error \(LWC1034\)/);
  });

  it('takes the files themselves (a record or its JSON), without a project bundle', async () => {
    const files = filesOf(join(BAD, 'brokenCard'));
    for (const given of [files, JSON.stringify(files)]) {
      const result = await bad.call('validate_lwc_component', { componentName: 'brokenCard', files: given });
      expect(result.isError, result.text).toBeFalsy();
      expect(located(result.text)).toContain('brokenCard.js-meta.xml:7:17 meta/unknown-target');
      const [report] = (result.structuredContent as unknown as Structured).components;
      expect(report?.path).toBeUndefined();
      expect(report?.errors).toBe(4);
    }
  });

  it('checks js-meta.xml: syntax, API version, property types, @api names and declared targets', async () => {
    const meta = await bad.call('validate_lwc_component', { componentName: 'badMeta' });
    expect(located(meta.text)).toEqual(['badMeta.js-meta.xml:7:5 meta/xml-syntax']);
    const config = await bad.call('validate_lwc_component', { componentName: 'badConfig' });
    expect(located(config.text)).toEqual([
      'badConfig.js-meta.xml:3:17 meta/api-version',
      'badConfig.js-meta.xml:11:36 meta/property-type',
      'badConfig.js-meta.xml:12:13 meta/property-not-api',
      'badConfig.js-meta.xml:14:23 meta/target-config-undeclared',
    ]);
  });

  it('checks the other js-meta.xml rules at their lines', async () => {
    const meta = [
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>',
      '<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <isExposed>yes</isExposed>',
      '    <masterLabel>Tom &amp; Jerry</masterLabel>',
      '    <targets>',
      '        <target>lightning__RecordAction</target>',
      '        <target>lightning__RecordAction</target>',
      '        <target>lightningCommunity__Default</target>',
      '    </targets>',
      '    <targetConfigs>',
      '        <targetConfig targets="lightning__RecordAction">',
      '            <actionType>ScreenAction</actionType>',
      '            <property name="title" type="String" />',
      '        </targetConfig>',
      '    </targetConfigs>',
      '</LightningComponentBundle>',
    ].join('\n');
    const result = await bad.call('validate_lwc_component', {
      componentName: 'metaRules',
      files: {
        'metaRules.js':
          "import { LightningElement, api } from 'lwc';\nexport default class MetaRules extends LightningElement {\n    @api title;\n}\n",
        'metaRules.js-meta.xml': meta,
      },
    });
    expect(located(result.text)).toEqual([
      'metaRules.js-meta.xml:2:1 meta/api-version',
      'metaRules.js-meta.xml:3:16 meta/is-exposed',
      'metaRules.js-meta.xml:13:13 meta/property-not-supported',
      'metaRules.js-meta.xml:3:5 meta/not-exposed',
      'metaRules.js-meta.xml:7:17 meta/duplicate-target',
      'metaRules.js-meta.xml:8:9 meta/community-targets',
    ]);
    expect(result.text).toContain('apiVersion is missing. Fix: Add <apiVersion>62.0</apiVersion>.');
  });

  it('checks accessibility from the template AST', async () => {
    const result = await bad.call('validate_lwc_component', { componentName: 'badAccess' });
    expect(located(result.text)).toEqual([
      'badAccess.html:4:5 a11y/button-name',
      'badAccess.html:5:5 a11y/button-name',
      'badAccess.html:6:5 a11y/field-label',
      'badAccess.html:7:11 a11y/click-on-static-element',
      'badAccess.html:8:5 a11y/anchor-as-button',
      'badAccess.html:9:10 a11y/aria-attribute',
      'badAccess.html:9:28 a11y/aria-role',
      'badAccess.html:10:5 LWC1061',
      'badAccess.html:12:5 a11y/iframe-title',
      'badAccess.html:3:5 a11y/heading-order',
      'badAccess.html:9:10 LWC1057',
      'badAccess.html:11:5 a11y/icon-alt',
    ]);
  });

  it('requires the dynamic component capability for lwc:component', async () => {
    const files = filesOf(join(GOOD, 'dynamicWidget'));
    files['dynamicWidget.js-meta.xml'] = files['dynamicWidget.js-meta.xml']!.replace(
      /\s*<capabilities>[\s\S]*<\/capabilities>/,
      '',
    );
    const result = await bad.call('validate_lwc_component', { componentName: 'dynamicWidget', files });
    expect(located(result.text)).toEqual(['dynamicWidget.html:3:9 meta/dynamic-component-capability']);
  });

  it('reports decorator errors from the compiler and the LWC lint rules', async () => {
    const result = await bad.call('validate_lwc_component', { componentName: 'badScript' });
    expect(located(result.text)).toEqual([
      'badScript.js:4:5 LWC1107',
      'badScript.js:4:10 @lwc/lwc/valid-api',
      'badScript.js:5:5 LWC1099',
      'badScript.js:5:20 @lwc/lwc/valid-api',
    ]);
  });

  it('validates a folder of bundles in one call, skipping a linked bundle folder', async () => {
    const result = await bad.call('validate_lwc_component', { path: LWC });
    expect(result.isError, result.text).toBeFalsy();
    const names = (result.structuredContent as unknown as Structured).components.map(
      (entry) => entry.component,
    );
    expect(names.sort()).toEqual([
      'c/badAccess',
      'c/badConfig',
      'c/badMeta',
      'c/badScript',
      'c/brokenCard',
      'c/helloWorld',
    ]);
    expect(result.text).not.toContain('secretCard');
    expect(result.text).toContain('No findings (100/100): helloWorld');
  });

  it('narrows a folder to one component by name, and takes a bundle folder as path', async () => {
    const named = await bad.call('validate_lwc_component', { path: LWC, componentName: 'badMeta' });
    expect(
      (named.structuredContent as unknown as Structured).components.map((entry) => entry.component),
    ).toEqual(['c/badMeta']);
    const folder = await bad.call('validate_lwc_component', { path: `${LWC}/helloWorld` });
    expect(folder.structuredContent).toMatchObject({
      components: [
        { component: 'c/helloWorld', path: `${LWC}/helloWorld`, score: 100, errors: 0, warnings: 0 },
      ],
      findings: 0,
    });
    const file = await bad.call('validate_lwc_component', { path: `${LWC}/helloWorld/helloWorld.js` });
    expect((file.structuredContent as unknown as Structured).components).toHaveLength(1);
  });

  it('refuses a path outside the project, and a link that leads out of it', async () => {
    for (const path of ['../..', '/etc', `${LWC}/secretCard`]) {
      const result = await bad.call('validate_lwc_component', { path });
      expect(result.isError, `${path}: ${result.text}`).toBe(true);
      expect(result.text).not.toContain('export default class');
    }
    const named = await bad.call('validate_lwc_component', { componentName: 'secretCard' });
    expect(named.isError).toBe(true);
    expect(named.text).toContain('No Lightning Web Component named secretCard');
  });

  it('says clearly when the component does not exist or the name is not one', async () => {
    const missing = await bad.call('validate_lwc_component', { componentName: 'noSuchThing' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('No Lightning Web Component named noSuchThing');
    const invalid = await bad.call('validate_lwc_component', { componentName: '../evil' });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toContain('is not a valid Lightning Web Component name');
    const noPath = await bad.call('validate_lwc_component', { path: 'force-app/nowhere' });
    expect(noPath.isError).toBe(true);
    expect(noPath.text).toContain('does not exist');
    const badFiles = await bad.call('validate_lwc_component', { componentName: 'x', files: '{not json' });
    expect(badFiles.isError).toBe(true);
    expect(badFiles.text).toContain('files is not valid JSON');
  });

  it('keeps a huge report within the response budget, counting what it leaves out', async () => {
    const images = Array.from({ length: 900 }, (_, index) => `    <img src="/a${index}.png">`).join('\n');
    const result = await bad.call('validate_lwc_component', {
      componentName: 'manyImages',
      files: {
        'manyImages.js':
          "import { LightningElement } from 'lwc';\nexport default class ManyImages extends LightningElement {}\n",
        'manyImages.html': `<template>\n${images}\n</template>\n`,
        'manyImages.js-meta.xml':
          '<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n',
      },
    });
    expect(result.isError, result.text.slice(0, 500)).toBeFalsy();
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(60_000);
    expect((result.structuredContent as unknown as Structured).findings).toBe(900);
    expect(result.text).toMatch(/\d+ more findings \(\d+ errors\) in 1 component not shown: c\/manyImages/);
  });

  it('survives hostile input: deep nesting, an entity flood, a file with no newline', async () => {
    const depth = 20_000;
    const result = await bad.call('validate_lwc_component', {
      componentName: 'deepThing',
      files: {
        'deepThing.js': `import { LightningElement } from 'lwc';\nexport default class DeepThing extends LightningElement {}\n${'// x'.repeat(50_000)}`,
        'deepThing.html': `<template>${'<div>'.repeat(depth)}${'</div>'.repeat(depth)}</template>`,
        'deepThing.js-meta.xml': `<?xml version="1.0"?><LightningComponentBundle>${'<a>'.repeat(depth)}${'&amp;'.repeat(10_000)}${'</a>'.repeat(depth)}</LightningComponentBundle>`,
      },
    });
    expect(result.isError, result.text.slice(0, 500)).toBeFalsy();
    expect(result.text).toContain('c/deepThing');
    expect(located(result.text)).toEqual(
      expect.arrayContaining([
        'deepThing.html:1:1 bundle/too-deep',
        'deepThing.js-meta.xml:1:345 meta/xml-syntax',
      ]),
    );
    expect(result.text).toContain('elements nest deeper than 100 levels');
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(60_000);
  }, 120_000);

  it('changes nothing in the project', async () => {
    const before = filesUnder(badProject);
    await bad.call('validate_lwc_component', { path: LWC });
    expect(filesUnder(badProject)).toEqual(before);
  });
});
