import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError, escapeXml, excerpt } from '@sfmcp/plugin-api';

/** Friendly target names → the js-meta.xml targets they expose the component to. */
export const TARGETS = {
  'record-page': ['lightning__RecordPage'],
  'app-page': ['lightning__AppPage'],
  'home-page': ['lightning__HomePage'],
  'flow-screen': ['lightning__FlowScreen'],
  tab: ['lightning__Tab'],
  'utility-bar': ['lightning__UtilityBar'],
  'community-page': ['lightningCommunity__Page', 'lightningCommunity__Default'],
  'record-action': ['lightning__RecordAction'],
} as const;

export type TargetName = keyof typeof TARGETS;

export const PROPERTY_TYPES = ['String', 'Integer', 'Boolean', 'Date', 'DateTime', 'Color'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Which targets take design properties in targetConfigs, and of which types. */
const PROPERTY_TARGETS: Record<string, readonly PropertyType[]> = {
  lightning__RecordPage: ['String', 'Integer', 'Boolean'],
  lightning__AppPage: ['String', 'Integer', 'Boolean'],
  lightning__HomePage: ['String', 'Integer', 'Boolean'],
  lightning__UtilityBar: ['String', 'Integer', 'Boolean'],
  lightning__FlowScreen: ['String', 'Integer', 'Boolean', 'Date', 'DateTime'],
  lightningCommunity__Default: ['String', 'Integer', 'Boolean', 'Color'],
};

export interface PropertySpec {
  name: string;
  type: PropertyType;
  label?: string;
  default?: string | number | boolean;
  required?: boolean;
}

export interface ComponentSpec {
  name: string;
  apiVersion: string;
  label?: string;
  description?: string;
  targets?: readonly TargetName[];
  objects?: readonly string[];
  properties?: readonly PropertySpec[];
  recordData?: { fields: readonly string[] };
  apexMethod?: string;
}

/** Names the scaffold itself gives class members; a property may not take one. */
const OWN_MEMBERS = new Set([
  'recordId',
  'record',
  'items',
  'isLoading',
  'apexError',
  'hasItems',
  'recordErrorMessage',
  'handleRefresh',
  'connectedCallback',
  'render',
  'template',
]);
const RESERVED = new Set([
  'slot',
  'part',
  'is',
  'class',
  'style',
  'id',
  'dir',
  'hidden',
  'tabindex',
  'title',
]);
const OBJECT = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]{0,79}(\.[A-Za-z][A-Za-z0-9_]{0,79}){1,5}$/;
const APEX = /^([A-Za-z][A-Za-z0-9_]{0,14}\.)?[A-Za-z][A-Za-z0-9_]{0,39}\.[A-Za-z][A-Za-z0-9_]{0,79}$/;

function invalid(message: string, hint?: string): ToolError {
  return new ToolError(message, hint, { kind: 'invalid' });
}

/** "accountSummary" → "Account Summary". */
export function titleCase(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase())
    .trim();
}

function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[{}]/g, (brace) => (brace === '{' ? '&#123;' : '&#125;'));
}

function jsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r?\n/g, ' ')}'`;
}

/** "Account.Owner.Name" → "ACCOUNT_OWNER_NAME_FIELD"; and its getter name "ownerName". */
function fieldNames(path: string): { constant: string; getter: string; label: string } {
  const parts = path.split('.');
  const constant = `${parts.map((part) => part.replace(/__c$/i, '').replace(/__/g, '_').toUpperCase()).join('_')}_FIELD`;
  const rest = parts.slice(1).map((part) => part.replace(/__c$/i, '').replace(/__r$/i, '').replace(/_/g, ''));
  const getter = rest
    .map((part, index) =>
      index === 0 ? part[0]!.toLowerCase() + part.slice(1) : part[0]!.toUpperCase() + part.slice(1),
    )
    .join('');
  return { constant, getter: `${getter}Value`, label: titleCase(rest.join(' ')) };
}

/** Checks the spec; throws ToolError naming the first problem. */
export function checkSpec(spec: ComponentSpec): void {
  const targets = new Set(spec.targets ?? []);
  const recordTarget = targets.has('record-page') || targets.has('record-action');
  if (spec.objects?.length) {
    if (!recordTarget)
      throw invalid(
        'objects restricts record pages and record actions: add the record-page or record-action target.',
      );
    for (const object of spec.objects)
      if (!OBJECT.test(object))
        throw invalid(
          `${JSON.stringify(excerpt(object))} is not an object API name.`,
          'e.g. Account, Invoice__c',
        );
  }
  const seen = new Set<string>();
  for (const property of spec.properties ?? []) {
    const { name } = property;
    if (!/^[a-z][A-Za-z0-9]{0,79}$/.test(name) || /^(on|data|aria)/.test(name) || RESERVED.has(name))
      throw invalid(
        `${JSON.stringify(excerpt(name))} cannot be a public property name.`,
        'Use camelCase from a lower-case letter; not slot, part, is, title, nor on…, data…, aria….',
      );
    if (OWN_MEMBERS.has(name))
      throw invalid(`${name} is a name the component uses itself; choose another property name.`);
    if (seen.has(name)) throw invalid(`The property ${name} is given twice.`);
    seen.add(name);
    const value = property.default;
    if (value !== undefined) {
      const ok =
        property.type === 'Boolean'
          ? typeof value === 'boolean'
          : property.type === 'Integer'
            ? typeof value === 'number' && Number.isInteger(value)
            : typeof value === 'string';
      if (!ok) throw invalid(`The default of ${name} does not match its type ${property.type}.`);
    }
    const fits = [...targets].some((target) =>
      TARGETS[target].some((meta) => PROPERTY_TARGETS[meta]?.includes(property.type)),
    );
    if (targets.size && !fits && ['Date', 'DateTime', 'Color'].includes(property.type))
      throw invalid(
        `No target of this component takes a ${property.type} property (${name}).`,
        'Date and DateTime are for flow-screen; Color for community-page.',
      );
  }
  if (spec.recordData) {
    const fields = spec.recordData.fields;
    if (!fields.length)
      throw invalid('recordData.fields is empty: name the fields to read, e.g. Account.Name.');
    const objects = new Set<string>();
    for (const field of fields) {
      if (!FIELD_PATH.test(field))
        throw invalid(
          `${JSON.stringify(excerpt(field))} is not a field of an object.`,
          'Write Object.Field, e.g. Account.Name or Account.Owner.Name.',
        );
      objects.add(field.split('.')[0]!);
    }
    if (objects.size > 1)
      throw invalid(
        `recordData.fields name more than one object (${[...objects].join(', ')}); a record is of one object.`,
      );
    const [object] = objects;
    if (spec.objects?.length && !spec.objects.includes(object!))
      throw invalid(
        `recordData reads ${object} but objects restricts the page to ${spec.objects.join(', ')}.`,
      );
    const getters = new Set<string>();
    for (const field of fields) {
      const { getter } = fieldNames(field);
      if (getters.has(getter)) throw invalid(`${field} is given twice.`);
      getters.add(getter);
      if (seen.has(getter)) throw invalid(`The property ${getter} clashes with the getter for ${field}.`);
    }
  }
  if (spec.apexMethod !== undefined && !APEX.test(spec.apexMethod))
    throw invalid(
      `${JSON.stringify(excerpt(spec.apexMethod))} is not an Apex method reference.`,
      'Write ClassName.methodName (or namespace.ClassName.methodName).',
    );
  if (spec.apexMethod !== undefined) {
    const local = spec.apexMethod.split('.').at(-1)!;
    if (seen.has(local) || OWN_MEMBERS.has(local))
      throw invalid(`The Apex method name ${local} clashes with a member of the component.`);
  }
}

/** The files @salesforce/templates' LWC generator (sf lightning generate component) writes, read back from a temporary folder. */
async function templateFiles(name: string, apiVersion: string): Promise<Map<string, string>> {
  const require = createRequire(import.meta.url);
  const templates = require('@salesforce/templates') as typeof import('@salesforce/templates');
  const work = await mkdtemp(join(tmpdir(), 'sfmcp-lwc-template-'));
  try {
    const outputdir = join(work, 'lwc');
    const service = new templates.TemplateService(work);
    await service.create(templates.TemplateType.LightningComponent, {
      componentname: name,
      outputdir,
      template: 'default',
      type: 'lwc',
      internal: false,
      apiversion: apiVersion,
    } as import('@salesforce/templates').LightningComponentOptions);
    const files = new Map<string, string>();
    for (const file of [`${name}.js`, `${name}.html`, `${name}.js-meta.xml`, `__tests__/${name}.test.js`])
      files.set(file, await readFile(join(outputdir, name, file), 'utf8'));
    return files;
  } catch (error) {
    throw new ToolError(
      `@salesforce/templates could not generate the component: ${(error as Error).message}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function jsDefault(property: PropertySpec): string {
  if (property.type === 'Boolean') return 'false';
  if (property.default === undefined) return '';
  return property.type === 'Integer' ? String(property.default) : jsString(String(property.default));
}

/**
 * The component's files (without its Jest test): the templates' JS, HTML and js-meta.xml shaped from the spec.
 * Checks the spec first.
 */
export async function scaffoldComponent(spec: ComponentSpec): Promise<Map<string, string>> {
  checkSpec(spec);
  const { name } = spec;
  const base = await templateFiles(name, spec.apiVersion);
  const targets = [...new Set((spec.targets ?? []).flatMap((target) => TARGETS[target]))];
  const properties = spec.properties ?? [];
  const fields = spec.recordData?.fields ?? [];
  const recordTarget =
    targets.includes('lightning__RecordPage') || targets.includes('lightning__RecordAction');
  const needsRecordId = fields.length > 0 || recordTarget;
  const apex = spec.apexMethod;
  const apexLocal = apex?.split('.').at(-1);
  const label = spec.label?.trim() || titleCase(name);

  // JS: the template's class, given its members.
  const lwcImports = [
    'LightningElement',
    ...(needsRecordId || properties.length ? ['api'] : []),
    ...(fields.length ? ['wire'] : []),
  ];
  const imports = [`import { ${lwcImports.join(', ')} } from 'lwc';`];
  if (fields.length) imports.push(`import { getRecord, getFieldValue } from 'lightning/uiRecordApi';`);
  if (apex) imports.push(`import { ShowToastEvent } from 'lightning/platformShowToastEvent';`);
  for (const field of fields)
    imports.push(`import ${fieldNames(field).constant} from '@salesforce/schema/${field}';`);
  if (apex) imports.push(`import ${apexLocal} from '@salesforce/apex/${apex}';`);
  const members: string[][] = [];
  if (needsRecordId) members.push(['@api recordId;']);
  for (const property of properties) {
    const value = jsDefault(property);
    members.push([`@api ${property.name}${value ? ` = ${value}` : ''};`]);
  }
  if (fields.length) {
    members.push([
      `@wire(getRecord, { recordId: '$recordId', fields: [${fields.map((field) => fieldNames(field).constant).join(', ')}] })`,
      'record;',
    ]);
    for (const field of fields) {
      const names = fieldNames(field);
      members.push([
        `get ${names.getter}() {`,
        `    return getFieldValue(this.record.data, ${names.constant});`,
        '}',
      ]);
    }
    members.push([
      'get recordErrorMessage() {',
      "    return this.record.error?.body?.message ?? 'The record could not be loaded.';",
      '}',
    ]);
  }
  if (apex) {
    members.push(['items = [];', 'isLoading = false;', 'apexError;']);
    members.push(['connectedCallback() {', '    this.handleRefresh();', '}']);
    members.push(['get hasItems() {', '    return this.items.length > 0;', '}']);
    members.push([
      'async handleRefresh() {',
      '    this.isLoading = true;',
      '    try {',
      `        const result = await ${apexLocal}();`,
      '        this.items = Array.isArray(result) ? result : [];',
      '        this.apexError = undefined;',
      '    } catch (error) {',
      '        this.items = [];',
      "        this.apexError = error?.body?.message ?? 'The data could not be loaded.';",
      '        this.dispatchEvent(',
      `            new ShowToastEvent({ title: ${jsString(`${label}: loading failed`)}, message: this.apexError, variant: 'error' })`,
      '        );',
      '    } finally {',
      '        this.isLoading = false;',
      '    }',
      '}',
    ]);
  }
  const classMatch = /export default class (\w+) extends LightningElement \{\}/.exec(base.get(`${name}.js`)!);
  if (!classMatch)
    throw new ToolError(
      "@salesforce/templates' LWC template has changed shape; the component cannot be shaped.",
    );
  const body = members.map((member) => member.map((line) => `    ${line}`).join('\n')).join('\n\n');
  const script = base
    .get(`${name}.js`)!
    .replace(/^import \{ LightningElement \} from 'lwc';/m, imports.join('\n'))
    .replace(classMatch[0], `export default class ${classMatch[1]} extends LightningElement {\n${body}\n}`)
    .trimEnd();

  // HTML: a card with a heading (the card's title), the record's fields, the Apex data, the properties.
  const inner: string[] = [];
  if (fields.length) {
    inner.push('<template lwc:if={record.data}>');
    inner.push('    <dl class="slds-list_horizontal slds-wrap">');
    for (const field of fields) {
      const names = fieldNames(field);
      inner.push(
        `        <dt class="slds-item_label slds-text-color_weak slds-truncate">${html(names.label)}</dt>`,
      );
      inner.push(`        <dd class="slds-item_detail slds-truncate">{${names.getter}}</dd>`);
    }
    inner.push('    </dl>');
    inner.push('</template>');
    inner.push('<template lwc:elseif={record.error}>');
    inner.push('    <p class="slds-text-color_error" role="alert">{recordErrorMessage}</p>');
    inner.push('</template>');
  }
  const shown = properties.filter((property) => property.type !== 'Boolean');
  if (shown.length) {
    inner.push('<dl class="slds-list_horizontal slds-wrap slds-var-m-top_small">');
    for (const property of shown) {
      inner.push(
        `    <dt class="slds-item_label slds-text-color_weak slds-truncate">${html(property.label?.trim() || titleCase(property.name))}</dt>`,
      );
      inner.push(`    <dd class="slds-item_detail slds-truncate">{${property.name}}</dd>`);
    }
    inner.push('</dl>');
  }
  if (apex) {
    inner.push('<template lwc:if={isLoading}>');
    inner.push('    <lightning-spinner alternative-text="Loading" size="small"></lightning-spinner>');
    inner.push('</template>');
    inner.push('<template lwc:if={apexError}>');
    inner.push('    <p class="slds-text-color_error" role="alert">{apexError}</p>');
    inner.push('</template>');
    inner.push('<template lwc:elseif={hasItems}>');
    inner.push('    <ul class="slds-has-dividers_bottom-space slds-var-m-top_small">');
    inner.push('        <template for:each={items} for:item="item">');
    inner.push('            <li key={item.Id} class="slds-item">{item.Name}</li>');
    inner.push('        </template>');
    inner.push('    </ul>');
    inner.push('</template>');
    inner.push('<template lwc:else>');
    inner.push('    <p class="slds-text-color_weak slds-var-m-top_small">No items to show.</p>');
    inner.push('</template>');
  }
  if (!inner.length) inner.push(`<p>${html(spec.description?.trim() || label)}</p>`);
  const card = [
    `<lightning-card title="${html(label)}" icon-name="custom:custom14">`,
    ...(apex
      ? ['    <lightning-button label="Refresh" onclick={handleRefresh} slot="actions"></lightning-button>']
      : []),
    '    <div class="slds-var-p-horizontal_medium">',
    ...inner.map((line) => `        ${line}`),
    '    </div>',
    '</lightning-card>',
  ];
  const template = base
    .get(`${name}.html`)!
    .replace(
      /<template>\s*<\/template>\s*$/,
      `<template>\n${card.map((line) => `    ${line}`).join('\n')}\n</template>`,
    );

  // js-meta.xml: exposure, label, description, targets and their configs.
  const meta: string[] = [];
  meta.push(`    <isExposed>${targets.length ? 'true' : 'false'}</isExposed>`);
  meta.push(`    <masterLabel>${escapeXml(label)}</masterLabel>`);
  if (spec.description?.trim())
    meta.push(`    <description>${escapeXml(spec.description.trim())}</description>`);
  if (targets.length) {
    meta.push(
      '    <targets>',
      ...targets.map((target) => `        <target>${target}</target>`),
      '    </targets>',
    );
    const configs: string[] = [];
    for (const target of targets) {
      const lines: string[] = [];
      if (target === 'lightning__RecordAction') lines.push('<actionType>ScreenAction</actionType>');
      const types = PROPERTY_TARGETS[target];
      for (const property of properties) {
        if (!types?.includes(property.type)) continue;
        const attributes = [
          `name="${property.name}"`,
          `type="${property.type}"`,
          `label="${escapeXml(property.label?.trim() || titleCase(property.name))}"`,
          ...(property.default !== undefined ? [`default="${escapeXml(String(property.default))}"`] : []),
          ...(property.required ? ['required="true"'] : []),
        ];
        lines.push(`<property ${attributes.join(' ')}/>`);
      }
      if (
        spec.objects?.length &&
        (target === 'lightning__RecordPage' || target === 'lightning__RecordAction')
      )
        lines.push(
          '<objects>',
          ...spec.objects.map((object) => `    <object>${object}</object>`),
          '</objects>',
        );
      if (lines.length)
        configs.push(
          `        <targetConfig targets="${target}">`,
          ...lines.map((line) => `            ${line}`),
          '        </targetConfig>',
        );
    }
    if (configs.length) meta.push('    <targetConfigs>', ...configs, '    </targetConfigs>');
  }
  const metaXml = base
    .get(`${name}.js-meta.xml`)!
    .replace(/^\s*<isExposed>false<\/isExposed>$/m, meta.join('\n'));

  return new Map([
    [`${name}.js`, `${script}\n`],
    [`${name}.css`, ':host {\n    display: block;\n}\n'],
    [`${name}.html`, `${template.trimEnd()}\n`],
    [`${name}.js-meta.xml`, `${metaXml.trimEnd()}\n`],
  ]);
}
