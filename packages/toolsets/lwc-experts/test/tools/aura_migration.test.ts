import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuraBlueprintDraft } from '../../src/tools/create_aura_blueprint_draft.js';
import { enhanceAuraBlueprintDraft } from '../../src/tools/enhance_aura_blueprint_draft.js';
import { orchestrateAuraMigration } from '../../src/tools/orchestrate_aura_migration.js';
import { transitionPrdToLwc } from '../../src/tools/transition_prd_to_lwc.js';
import { cleanUp, filesUnder, makeProject, serveTools, tempDir } from '../helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/aura', import.meta.url));
const AURA = 'force-app/main/default/aura';
const LWC = 'force-app/main/default/lwc';
const TOOLS = [
  createAuraBlueprintDraft,
  enhanceAuraBlueprintDraft,
  orchestrateAuraMigration,
  transitionPrdToLwc,
];

/** A fixture bundle's files (name → content). */
function fixture(name: string): Record<string, string> {
  const dir = join(FIXTURES, name);
  return Object.fromEntries(readdirSync(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/** The fixture bundles as project files under force-app/main/default/aura. */
function auraProjectFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const bundle of ['accountList', 'accountSelected', 'filterChanged', 'accountPicked', 'legacyPanel'])
    for (const [file, content] of Object.entries(fixture(bundle)))
      files[`${AURA}/${bundle}/${file}`] = content;
  return files;
}

interface Part {
  area: string;
  aura: string;
  lwc: string;
  needsDecision?: { code: string; reason: string };
}

let project: string;
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  project = makeProject(auraProjectFiles());
  server = await serveTools(TOOLS, project);
  bare = await serveTools(TOOLS);
});

afterAll(async () => {
  await server?.close();
  await bare?.close();
  cleanUp();
});

function partsOf(result: { structuredContent?: unknown }): Part[] {
  return (result.structuredContent as { parts?: Part[] } | undefined)?.parts ?? [];
}

function find(parts: Part[], area: string, aura: string | RegExp): Part {
  const found = parts.find(
    (part) =>
      part.area === area && (typeof aura === 'string' ? part.aura.includes(aura) : aura.test(part.aura)),
  );
  if (!found)
    throw new Error(
      `no ${area} part for ${String(aura)} in:\n${parts.map((part) => `${part.area} ${part.aura}`).join('\n')}`,
    );
  return found;
}

describe('Aura to LWC', () => {
  it('accepts every argument @salesforce/mcp does', async () => {
    const { tools } = await server.client.listTools();
    const args = (name: string) =>
      Object.keys(tools.find((tool) => tool.name === name)?.inputSchema.properties ?? {});
    expect(args('create_aura_blueprint_draft')).toEqual(
      expect.arrayContaining(['componentName', 'files', 'path']),
    );
    expect(args('orchestrate_aura_migration')).toEqual(
      expect.arrayContaining(['componentName', 'files', 'path', 'lwcName', 'dryRun']),
    );
    expect(args('enhance_aura_blueprint_draft')).toEqual(expect.arrayContaining(['draftPrd']));
    expect(args('transition_prd_to_lwc')).toEqual(expect.arrayContaining(['componentName']));
    const orchestrate = tools.find((tool) => tool.name === 'orchestrate_aura_migration');
    expect(orchestrate?.annotations?.readOnlyHint).not.toBe(true);
    expect(tools.find((tool) => tool.name === 'create_aura_blueprint_draft')?.annotations?.readOnlyHint).toBe(
      true,
    );
  });

  it('maps each part of the Aura bundle found by name to its LWC equivalent', async () => {
    const result = await server.call('create_aura_blueprint_draft', { componentName: 'accountList' });
    expect(result.isError, result.text).toBeFalsy();
    const parts = partsOf(result);
    expect(find(parts, 'interface', 'force:hasRecordId').lwc).toBe('@api recordId');
    expect(find(parts, 'interface', 'flexipage:availableForAllPageTypes').lwc).toContain(
      'lightning__RecordPage',
    );
    expect(find(parts, 'attribute', 'aura:attribute title').lwc).toContain("@api title = 'Accounts'");
    expect(find(parts, 'attribute', 'aura:attribute isLoading').lwc).toContain('isLoading = false');
    expect(find(parts, 'handler', 'name="init"').lwc).toContain('connectedCallback');
    expect(find(parts, 'apex', 'c.getAccounts').lwc).toContain(
      "import getAccounts from '@salesforce/apex/AccountController.getAccounts'",
    );
    const fired = find(parts, 'event', 'application event c:accountSelected fired');
    expect(fired.lwc).toContain('publish(');
    expect(fired.needsDecision?.code).toBe('application-event');
    expect(find(parts, 'event', 'c:filterChanged').lwc).toContain('message channel filterChanged__c');
    expect(find(parts, 'event', 'event="c:filterChanged"').lwc).toContain('subscribe(');
    expect(find(parts, 'event', 'component event picked').lwc).toContain("new CustomEvent('picked'");
    expect(find(parts, 'event', 'e.force:showToast').lwc).toContain('ShowToastEvent');
    expect(find(parts, 'markup', '<aura:if isTrue="{!v.isLoading}">').lwc).toContain('lwc:if={isLoading}');
    expect(find(parts, 'markup', '<aura:iteration').lwc).toContain('for:each={accounts}');
    expect(find(parts, 'component', '<lightning:button>').lwc).toBe('<lightning-button>');
    expect(find(parts, 'component', '<lightning:card>').lwc).toBe('<lightning-card>');
    expect(find(parts, 'label', '$Label.c.Refresh').lwc).toContain('@salesforce/label/c.Refresh');
    expect(find(parts, 'markup', 'not(empty(v.errorMessage))').lwc).toContain('getter');
    expect(find(parts, 'file', 'accountList.css').lwc).toContain(':host');
    expect(find(parts, 'design', 'design:attribute maxRows').lwc).toContain('Integer');
    expect(result.text).toContain('Aura blueprint: c:accountList (component)');
    expect(result.text).toContain('NEEDS DECISION (application-event)');
    expect(filesUnder(project).some((file) => file.includes('/lwc/accountList'))).toBe(false);
  });

  it('reads the bundle from files (a record or a JSON string) without a project', async () => {
    const files = fixture('accountList');
    const fromRecord = await bare.call('create_aura_blueprint_draft', {
      componentName: 'accountList',
      files,
    });
    expect(fromRecord.isError, fromRecord.text).toBeFalsy();
    const fromJson = await bare.call('create_aura_blueprint_draft', {
      componentName: 'accountList',
      files: JSON.stringify(files),
    });
    expect(fromJson.isError, fromJson.text).toBeFalsy();
    expect(partsOf(fromJson)).toEqual(partsOf(fromRecord));
    // without the .evt files the channel's fields are unknown, and said so
    expect(
      find(partsOf(fromRecord), 'event', 'c:accountSelected (application event)').needsDecision?.reason,
    ).toContain('not found');
  });

  it('migrates into the project: an LWC that validates with zero errors, its message channels, the decisions', async () => {
    const before = filesUnder(project);
    const result = await server.call('orchestrate_aura_migration', { componentName: 'accountList' });
    expect(result.isError, result.text).toBeFalsy();
    const out = result.structuredContent as {
      errors: number;
      written: string[];
      messageChannels: string[];
      dryRun: boolean;
    };
    expect(out.dryRun).toBe(false);
    expect(out.errors, result.text).toBe(0);
    expect(result.text).toContain('0 errors');
    const added = filesUnder(project).filter((file) => !before.includes(file));
    expect(added.sort()).toEqual(
      [
        `${LWC}/accountList/accountList.css`,
        `${LWC}/accountList/accountList.html`,
        `${LWC}/accountList/accountList.js`,
        `${LWC}/accountList/accountList.js-meta.xml`,
        `${LWC}/accountList/accountList.svg`,
        'force-app/main/default/messageChannels/accountSelected.messageChannel-meta.xml',
        'force-app/main/default/messageChannels/filterChanged.messageChannel-meta.xml',
      ].sort(),
    );
    expect(out.written.sort()).toEqual(added.sort());
    const js = readFileSync(join(project, LWC, 'accountList/accountList.js'), 'utf8');
    expect(js).toContain("import getAccounts from '@salesforce/apex/AccountController.getAccounts';");
    expect(js).toContain("import labelRefresh from '@salesforce/label/c.Refresh';");
    expect(js).toContain('@api recordId;');
    expect(js).toMatch(/connectedCallback\(\) \{[^}]*this\.doInit\(\);/);
    expect(js).toContain('this.loadAccounts();');
    expect(js).toContain('this.isLoading = true;');
    expect(js).toContain('settle(getAccounts({');
    expect(js).toContain(
      "this.dispatchEvent(new CustomEvent('picked', { detail: { accountId: accountId } }))",
    );
    expect(js).toContain('publish(this.messageContext, ACCOUNT_SELECTED_CHANNEL, { accountId: accountId })');
    expect(js).toContain('subscribe(this.messageContext, FILTER_CHANGED_CHANNEL');
    expect(js).toContain(
      "new ShowToastEvent({ title: labelRefresh, message: 'Accounts refreshed', variant: 'success' })",
    );
    expect(js).toContain('let accountId = event.target.name;');
    expect(js).toContain('this.industry = event.industry;');
    // no Aura API left in the code (comments aside)
    const code = js.replace(/\/\*[^]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bcomponent\b|\$A\b|\bhelper\b/);
    const html = readFileSync(join(project, LWC, 'accountList/accountList.html'), 'utf8');
    expect(html).toContain('<lightning-card title={title} icon-name="standard:account">');
    expect(html).toContain('<template lwc:if={isLoading}>');
    expect(html).toContain('<template lwc:else>');
    expect(html).toContain('<template for:each={accountsView} for:item="acc">');
    expect(html).toContain('<li key={acc.Id} class={acc.accClass}>');
    expect(js).toMatch(
      /get accountsView\(\) \{\s+return \(this\.accounts \|\| \[\]\)\.map\(\(acc\) => \(\{\s+\.\.\.acc,\s+accClass: acc\.Industry === this\.industry \? 'slds-theme_shade' : ''\s+\}\)\);/,
    );
    expect(html).toContain('onclick={handleSelect}');
    expect(html).toContain('label={labels.labelRefresh}');
    const meta = readFileSync(join(project, LWC, 'accountList/accountList.js-meta.xml'), 'utf8');
    expect(meta).toContain('<target>lightning__RecordPage</target>');
    expect(meta).toContain('<property name="maxRows" type="Integer" label="Rows" default="10"/>');
    expect(readFileSync(join(project, LWC, 'accountList/accountList.css'), 'utf8')).toContain(
      ':host(.compact) li',
    );
    const channel = readFileSync(
      join(project, 'force-app/main/default/messageChannels/accountSelected.messageChannel-meta.xml'),
      'utf8',
    );
    expect(channel).toContain('<fieldName>accountId</fieldName>');
    expect(result.text).toContain('[application-event]');
  });

  it('refuses an LWC that exists, writing nothing', async () => {
    const before = filesUnder(project).map((file) => [file, readFileSync(join(project, file), 'utf8')]);
    const result = await server.call('orchestrate_aura_migration', { componentName: 'accountList' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`${LWC}/accountList already exists; nothing was written`);
    expect(filesUnder(project).map((file) => [file, readFileSync(join(project, file), 'utf8')])).toEqual(
      before,
    );
    // under another name it is written; the message channels already there are kept, not rewritten
    const again = await server.call('orchestrate_aura_migration', {
      componentName: 'accountList',
      lwcName: 'accountListTwo',
    });
    expect(again.isError, again.text).toBeFalsy();
    expect(again.text).toContain(
      'force-app/main/default/messageChannels/accountSelected.messageChannel-meta.xml already exists: kept',
    );
    const written = (again.structuredContent as { written: string[] }).written;
    expect(written.length).toBe(5);
    expect(written.every((file) => file.startsWith(`${LWC}/accountListTwo/`))).toBe(true);
    const plan = await server.call('transition_prd_to_lwc', { componentName: 'accountList' });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.text).toContain(`${LWC}/accountList already exists: writing would be refused`);
    const channel = 'force-app/main/default/messageChannels/accountSelected.messageChannel-meta.xml';
    expect(readFileSync(join(project, channel), 'utf8')).toBe(Object.fromEntries(before)[channel]);
  });

  it('dryRun and transition_prd_to_lwc show the files and write nothing', async () => {
    const before = filesUnder(project);
    const dry = await server.call('orchestrate_aura_migration', {
      path: `${AURA}/legacyPanel`,
      lwcName: 'legacyPanelLwc',
      dryRun: true,
    });
    expect(dry.isError, dry.text).toBeFalsy();
    expect((dry.structuredContent as { dryRun: boolean; errors: number }).dryRun).toBe(true);
    expect((dry.structuredContent as { errors: number }).errors, dry.text).toBe(0);
    expect(dry.text).toContain(`--- ${LWC}/legacyPanelLwc/legacyPanelLwc.js`);
    expect(dry.text).toContain('TODO(aura-migration)');
    expect(dry.text).toContain('[untranslated-code]');
    expect(dry.text).toContain('[unsupported-feature] lightning:actionOverride');
    const plan = await server.call('transition_prd_to_lwc', { componentName: 'legacyPanel' });
    expect(plan.isError, plan.text).toBeFalsy();
    expect(plan.text).toContain(
      'Migration plan for c:legacyPanel → c/legacyPanel (dry run: nothing written)',
    );
    expect(plan.text).toContain('// $A.createComponent(');
    // aura:method → an @api method under its name; globals → imports; Aura-only calls → TODO
    expect(plan.text).toMatch(/@api\n\s+reset\(keepMode\) \{\n\s+let params = \{ keepMode \};/);
    expect(plan.text).toContain("import logoResource from '@salesforce/resourceUrl/logo';");
    expect(plan.text).toContain("return logoResource + '/logo.png';");
    expect(plan.text).toContain('<span title={formFactor}>');
    expect(plan.text).toContain("// TODO(aura-migration): .getElement() is Aura's API");
    expect(plan.text).toContain('<slot></slot>');
    expect(plan.text).toMatch(/set mode\(value\) \{[^}]*this\.onModeChange\(\{ value, oldValue \}\);/);
    expect(filesUnder(project)).toEqual(before);
  });

  it('with files returns the LWC as text, validated clean', async () => {
    const files = { ...fixture('accountList'), ...fixture('accountSelected') };
    const result = await bare.call('orchestrate_aura_migration', { componentName: 'accountList', files });
    expect(result.isError, result.text).toBeFalsy();
    const out = result.structuredContent as { dryRun: boolean; errors: number; written: string[] };
    expect(out).toMatchObject({ dryRun: true, errors: 0, written: [] });
    expect(result.text).toContain('--- lwc/accountList/accountList.js');
    expect(result.text).toContain('--- messageChannels/accountSelected.messageChannel-meta.xml');
    expect(result.text).toContain('<fieldName>accountId</fieldName>');
  });

  it('keeps var semantics, names Apex imports apart from methods, and refuses a reserved attribute name', async () => {
    const files = {
      'form.cmp': `<aura:component controller="FormController">
        <aura:attribute name="account" type="Account" default="{}"/>
        <lightning:input label="Name" value="{!v.account.Name}" onchange="{!c.save}"/>
      </aura:component>`,
      'formController.js': `({
        save: function (component, event) {
          if (event.getParam('value')) { var name = event.getParam('value'); }
          component.set('v.account.Name', name);
          var action = component.get('c.save');
          action.setParams({ account: component.get('v.account') });
          $A.enqueueAction(action);
        }
      })`,
    };
    const result = await bare.call('orchestrate_aura_migration', { files });
    expect(result.isError, result.text).toBeFalsy();
    expect((result.structuredContent as { errors: number }).errors, result.text).toBe(0);
    expect(result.text).toContain("import apexSave from '@salesforce/apex/FormController.save';");
    expect(result.text).toMatch(/save\(event\) \{\n\s+let name;\n/);
    expect(result.text).toContain('{ name = event.detail.value; }');
    expect(result.text).toContain('this.account = { ...this.account, Name: name };');
    expect(result.text).toContain('account = {};');
    // a TODO on a one-line function leaves the code after it, and an init handler has no event
    const oneLine = await bare.call('orchestrate_aura_migration', {
      files: {
        'oneLine.cmp':
          '<aura:component><aura:attribute name="done" type="Boolean" access="private"/><aura:handler name="init" value="{!this}" action="{!c.init}"/></aura:component>',
        'oneLineController.js':
          "({ init: function (cmp, e) { cmp.set('v.a.b.c', 1); console.log(e.getParam('x')); cmp.set('v.done', true); } })",
      },
    });
    expect(oneLine.isError, oneLine.text).toBeFalsy();
    expect((oneLine.structuredContent as { errors: number }).errors, oneLine.text).toBe(0);
    expect(oneLine.text).toMatch(/\n\s*this\.done = true; \}/);
    expect(oneLine.text).toContain('LWC calls this handler without an event');
    expect(oneLine.text).toContain('    init() {');
    const reserved = {
      'picker.cmp':
        '<aura:component><aura:attribute name="onSelect" type="String"/><p>{!v.onSelect}</p></aura:component>',
    };
    const blueprint = await bare.call('create_aura_blueprint_draft', { files: reserved });
    expect(blueprint.isError, blueprint.text).toBeFalsy();
    expect(find(partsOf(blueprint), 'attribute', 'onSelect').needsDecision?.code).toBe('name-clash');
    expect(blueprint.text).toContain('Blocks the migration: the attribute name onSelect is reserved in LWC');
    const refused = await server.call('orchestrate_aura_migration', { files: reserved });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('cannot become an LWC as it stands');
  });

  it('enhances the blueprint text, its JSON, and free text', async () => {
    const draft = await server.call('create_aura_blueprint_draft', { componentName: 'accountList' });
    const fromText = await server.call('enhance_aura_blueprint_draft', { draftPrd: draft.text });
    expect(fromText.isError, fromText.text).toBeFalsy();
    const text = fromText.structuredContent as {
      derivedFrom: string;
      decisions: { code: string; recommendation: string; affects: string[] }[];
      filePlan: { file: string }[];
    };
    expect(text.derivedFrom).toBe('text');
    const event = text.decisions.find((decision) => decision.code === 'application-event');
    expect(event?.recommendation).toContain('Lightning Message Service');
    expect(event?.affects.length).toBeGreaterThan(1);
    expect(text.filePlan.map((item) => item.file)).toContain('lwc/accountList/accountList.js');
    const fromJson = await server.call('enhance_aura_blueprint_draft', {
      draftPrd: JSON.stringify(draft.structuredContent),
    });
    const json = fromJson.structuredContent as typeof text;
    expect(json.derivedFrom).toBe('json');
    expect(json.filePlan.map((item) => item.file)).toEqual(
      expect.arrayContaining([
        'lwc/accountList/accountList.js',
        'lwc/accountList/accountList.css',
        'messageChannels/accountSelected.messageChannel-meta.xml',
      ]),
    );
    expect(json.decisions.map((decision) => decision.code)).toEqual(
      text.decisions.map((decision) => decision.code),
    );
    const free = await server.call('enhance_aura_blueprint_draft', {
      draftPrd: 'An Aura component with an aura:iteration over accounts that fires an application event.',
    });
    const freeOut = free.structuredContent as {
      derivedFrom: string;
      notDerived: string[];
      decisions: { code: string }[];
    };
    expect(freeOut.derivedFrom).toBe('free-text');
    expect(freeOut.notDerived.length).toBeGreaterThan(0);
    expect(freeOut.decisions.map((decision) => decision.code)).toEqual(
      expect.arrayContaining(['application-event', 'iteration-key']),
    );
    expect(free.text).toContain('Could not derive');
    const broken = await server.call('enhance_aura_blueprint_draft', { draftPrd: '{"component": ' });
    expect(broken.isError).toBe(true);
    expect(broken.text).toContain('does not parse');
  });

  it('refuses hostile paths, linked folders, malformed markup and bad names, writing nothing', async () => {
    const outside = tempDir('sfmcp-aura-outside-');
    mkdirSync(join(outside, 'secret'), { recursive: true });
    writeFileSync(join(outside, 'secret/secret.cmp'), '<aura:component><p>secret</p></aura:component>');
    symlinkSync(join(outside, 'secret'), join(project, AURA, 'secret'));
    const before = filesUnder(project);
    const attempts: [string, Record<string, unknown>, RegExp][] = [
      ['orchestrate_aura_migration', { path: '../..' }, /outside|not in the project|escapes/i],
      ['create_aura_blueprint_draft', { path: '../../etc' }, /outside|not in the project|escapes/i],
      ['orchestrate_aura_migration', { path: `${AURA}/secret` }, /outside|not in the project|escapes|link/i],
      ['orchestrate_aura_migration', { componentName: 'secret' }, /No Aura component named secret/],
      ['orchestrate_aura_migration', { componentName: '../secret' }, /not a valid Aura component name/],
      [
        'orchestrate_aura_migration',
        { componentName: 'accountList', lwcName: 'Bad-Name' },
        /not a valid Lightning Web Component name/,
      ],
      ['create_aura_blueprint_draft', { componentName: 'nowhere' }, /No Aura component named nowhere/],
    ];
    for (const [tool, args, message] of attempts) {
      const result = await server.call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}: ${result.text}`).toBe(true);
      if (process.env.SHOW_ERRORS) console.log(tool, JSON.stringify(args), '→', result.text);
      expect(result.text).toMatch(message);
    }
    const malformed: [Record<string, string>, RegExp][] = [
      [
        { 'broken.cmp': '<aura:component><div></aura:component>' },
        /broken\.cmp is not well-formed markup: .*line 1/,
      ],
      [{ 'broken.cmp': '<aura:component/><aura:component/>' }, /exactly one root element/],
      [{ 'broken.cmp': '<div/>' }, /root element is <div>/],
      [
        { 'broken.cmp': '<aura:component/>', 'brokenController.js': '({ doInit: function( { })' },
        /brokenController\.js is not valid JavaScript.*line 1/,
      ],
      [{ 'broken.cmp': '<aura:component/>', 'brokenHelper.js': 'var x = 1;' }, /is not an Aura helper/],
      [{ 'readme.txt': 'hello' }, /Give componentName/],
    ];
    for (const [files, message] of malformed) {
      const result = await server.call('orchestrate_aura_migration', { files });
      expect(result.isError, result.text).toBe(true);
      if (process.env.SHOW_ERRORS) console.log(JSON.stringify(files).slice(0, 80), '→', result.text);
      expect(result.text).toMatch(message);
    }
    const huge = await bare.call('create_aura_blueprint_draft', {
      files: { 'big.cmp': `<aura:component>${'<p>x</p>'.repeat(200_000)}</aura:component>` },
    });
    expect(huge.isError).toBe(true);
    expect(huge.text).toMatch(/files\.big\.cmp: too long \(1600033 characters; at most 1000000\)/);
    expect(filesUnder(project)).toEqual(before);
  });

  it('writes nothing when the lwc folder is a link out of the project', async () => {
    const outside = tempDir('sfmcp-aura-lwc-outside-');
    const linked = makeProject(auraProjectFiles());
    const { rmSync } = await import('node:fs');
    rmSync(join(linked, LWC), { recursive: true });
    symlinkSync(outside, join(linked, LWC));
    const linkedServer = await serveTools(TOOLS, linked);
    try {
      const result = await linkedServer.call('orchestrate_aura_migration', { componentName: 'accountList' });
      expect(result.isError, result.text).toBe(true);
      expect(readdirSync(outside)).toEqual([]);
      expect(filesUnder(linked).some((file) => file.includes('messageChannels'))).toBe(false);
    } finally {
      await linkedServer.close();
    }
  });
});
