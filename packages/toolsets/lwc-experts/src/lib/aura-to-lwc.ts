import { escapeXml } from '@sfmcp/plugin-api';
import {
  type AuraFunction,
  type JsNode,
  type MarkupElement,
  type MarkupNode,
  type ParsedAura,
  elements,
  identifierName,
  jsChildren,
  jsParser,
  stringValue,
  sub,
  subs,
  walk,
} from './aura-parse.js';

/** What part of the Aura bundle a blueprint line is about. */
export type Area =
  | 'interface'
  | 'attribute'
  | 'handler'
  | 'event'
  | 'apex'
  | 'component'
  | 'markup'
  | 'label'
  | 'resource'
  | 'code'
  | 'file'
  | 'design';

/** One part of the Aura bundle and its LWC equivalent, or the decision it needs. */
export interface Part {
  area: Area;
  aura: string;
  lwc: string;
  /** Set when a person must decide: a code (see DECISIONS) and why. */
  decision?: { code: DecisionCode; reason: string };
}

export type DecisionCode =
  | 'application-event'
  | 'public-attribute-set'
  | 'untranslated-code'
  | 'template-expression'
  | 'iteration-key'
  | 'two-way-binding'
  | 'child-component'
  | 'unsupported-feature'
  | 'record-data'
  | 'boolean-default'
  | 'name-clash'
  | 'event-name';

export interface Migration {
  lwcName: string;
  /** LWC bundle files by name in the bundle folder. */
  files: Map<string, string>;
  /** Lightning Message Service channels the migration needs: file name in messageChannels/ → content. */
  messageChannels: Map<string, string>;
  parts: Part[];
  /** TODO(aura-migration) markers left in the files. */
  todos: number;
  targets: string[];
  /** Reasons the LWC cannot be generated as it stands (orchestration refuses; the blueprint shows them). */
  blocked: string[];
}

export interface MigrateOptions {
  lwcName: string;
  apiVersion: string;
  /** Application events' attributes (name → attribute names), when the .evt bundles were found. */
  eventAttributes?: ReadonlyMap<string, readonly string[]>;
}

const TODO = 'TODO(aura-migration)';

/** flexipage and other interfaces → js-meta.xml targets; recordId/objectApiName come separately. */
const INTERFACE_TARGETS: Record<string, string[]> = {
  'flexipage:availableForAllPageTypes': [
    'lightning__AppPage',
    'lightning__RecordPage',
    'lightning__HomePage',
  ],
  'flexipage:availableForRecordHome': ['lightning__RecordPage'],
  'force:appHostable': ['lightning__Tab'],
  'lightning:availableForFlowScreens': ['lightning__FlowScreen'],
  'forceCommunity:availableForAllPageTypes': ['lightningCommunity__Page', 'lightningCommunity__Default'],
  'force:lightningQuickAction': ['lightning__RecordAction'],
  'force:lightningQuickActionWithoutHeader': ['lightning__RecordAction'],
  'lightning:utilityItem': ['lightning__UtilityBar'],
  'lightning:isUrlAddressable': ['lightning__UrlAddressable'],
};
/** Targets whose targetConfig may hold design properties. */
const PROPERTY_TARGETS = new Set([
  'lightning__AppPage',
  'lightning__RecordPage',
  'lightning__HomePage',
  'lightning__FlowScreen',
  'lightning__UtilityBar',
  'lightningCommunity__Default',
]);
const UNSUPPORTED_INTERFACES: Record<string, string> = {
  'lightning:actionOverride':
    'LWC cannot override standard actions; keep an Aura wrapper that holds the LWC.',
  'lightning:homeTemplate': 'Lightning page templates must stay Aura.',
  'lightning:appHomeTemplate': 'Lightning page templates must stay Aura.',
  'lightning:recordHomeTemplate': 'Lightning page templates must stay Aura.',
  'forceCommunity:themeLayout':
    'Experience Builder theme layouts in LWC use lightningCommunity__Theme_Layout.',
};

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const TWO_WAY_VALUE = new Set([
  'lightning-input',
  'lightning-textarea',
  'lightning-combobox',
  'lightning-slider',
  'lightning-radio-group',
  'lightning-checkbox-group',
  'lightning-dual-listbox',
  'lightning-input-rich-text',
]);
const UI_TAGS: Record<string, { tag: string; rename?: Record<string, string>; note: string }> = {
  'ui:button': {
    tag: 'lightning-button',
    rename: { press: 'onclick' },
    note: 'ui:button → lightning-button',
  },
  'ui:outputText': { tag: 'lightning-formatted-text', note: 'ui:outputText → lightning-formatted-text' },
  'ui:inputText': { tag: 'lightning-input', note: 'ui:inputText → lightning-input' },
  'ui:outputNumber': {
    tag: 'lightning-formatted-number',
    note: 'ui:outputNumber → lightning-formatted-number',
  },
  'ui:spinner': { tag: 'lightning-spinner', note: 'ui:spinner → lightning-spinner' },
  'ui:outputURL': { tag: 'lightning-formatted-url', note: 'ui:outputURL → lightning-formatted-url' },
};
const LIFECYCLE = new Set([
  'constructor',
  'connectedCallback',
  'disconnectedCallback',
  'renderedCallback',
  'errorCallback',
  'render',
  'template',
  'dispatchEvent',
  'addEventListener',
  'removeEventListener',
  'isConnected',
  'labels',
  'messageContext',
]);

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter, index: number) => (index ? '-' : '') + letter.toLowerCase());
}
function quoteJs(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
function attrText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
function htmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\u00a0/g, '&nbsp;');
}
function commentText(text: string): string {
  return text.replace(/--+/g, '-').replace(/[<>]/g, ' ');
}

/** A value as JavaScript: Aura attribute defaults by type. */
function defaultValue(type: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = type.toLowerCase();
  if (lower === 'boolean') return value.trim() === 'true' ? 'true' : 'false';
  if (
    ['integer', 'decimal', 'double', 'long', 'number'].includes(lower) &&
    /^-?\d+(\.\d+)?$/.test(value.trim())
  )
    return value.trim();
  if (lower.endsWith('[]') || lower.startsWith('list') || lower.startsWith('set')) {
    try {
      return jsLiteral(JSON.parse(value.replace(/'/g, '"')));
    } catch {
      return value.trim() ? undefined : '[]';
    }
  }
  if (['object', 'map'].includes(lower) || lower.startsWith('map') || /^[{[]/.test(value.trim())) {
    try {
      return jsLiteral(JSON.parse(value.replace(/'/g, '"')));
    } catch {
      return undefined;
    }
  }
  if (lower !== 'string' && lower !== 'id' && !value.trim()) return undefined;
  return quoteJs(value);
}

function lwcType(type: string): string {
  const lower = type.toLowerCase();
  if (lower === 'boolean') return 'Boolean';
  if (['integer', 'decimal', 'double', 'long', 'number'].includes(lower)) return 'Number';
  if (lower === 'string' || lower === 'id') return 'String';
  if (lower.endsWith('[]') || lower.startsWith('list') || lower.startsWith('set')) return 'Array';
  if (lower === 'date' || lower === 'datetime') return 'String (ISO date)';
  return 'Object';
}

/** True for types whose items are records (have an Id): Account[], List<Contact>, sObject[]. */
function isRecordList(type: string): boolean {
  const item = /^(?:list<|set<)?\s*([A-Za-z0-9_]+)\s*(?:>|\[\])$/i.exec(type.trim())?.[1];
  if (!item) return false;
  return ![
    'string',
    'integer',
    'decimal',
    'double',
    'long',
    'boolean',
    'object',
    'date',
    'datetime',
    'id',
    'map',
  ].includes(item.toLowerCase());
}

interface Attribute {
  name: string;
  type: string;
  default?: string;
  access: string;
  explicitAccess: boolean;
  required: boolean;
  fromInterface?: string;
  setInternally: boolean;
  inDesign: boolean;
  changeHandler?: string;
  api: boolean;
  /** The getter/setter pair's backing field, when there is one. */
  backing?: string;
}

type EventMode = 'dom' | 'component' | 'lms' | 'change' | 'method' | 'none';

interface Imports {
  lwc: Set<string>;
  named: Map<string, Set<string>>;
  defaults: Map<string, string>;
}

class Untranslatable extends Error {}

/** Methods of Aura components, events and actions that an LWC element or event does not have. */
const AURA_ONLY_METHODS = new Set([
  'getElement',
  'getElements',
  'getGlobalId',
  'getReference',
  'addEventHandler',
  'removeEventHandler',
  'getConcreteComponent',
  'getSuper',
  'isInstanceOf',
  'getDef',
  'getParam',
  'getParams',
  'getSource',
  'setParams',
  'setParam',
  'fire',
  'getState',
  'getReturnValue',
  'getError',
  'setCallback',
  'autoDestroy',
]);

/** The Aura component converted to a Lightning Web Component's files, with each part mapped or flagged. */
export function migrateAura(aura: ParsedAura, options: MigrateOptions): Migration {
  return new Converter(aura, options).run();
}

class Converter {
  readonly parts: Part[] = [];
  readonly imports: Imports = { lwc: new Set(['LightningElement']), named: new Map(), defaults: new Map() };
  readonly members = new Set<string>();
  readonly getters: string[] = [];
  readonly moduleHelpers = new Map<string, string>();
  readonly labels = new Map<string, string>();
  readonly messageChannels = new Map<string, string>();
  readonly channelImports = new Map<string, string>();
  readonly subscriptions: { channel: string; handler: string }[] = [];
  readonly connected: string[] = [];
  readonly disconnected: string[] = [];
  readonly rendered: string[] = [];
  readonly wires: string[] = [];
  readonly twoWayHandlers: string[] = [];
  readonly apexImports = new Map<string, string>();
  readonly attributes = new Map<string, Attribute>();
  readonly actionModes = new Map<string, EventMode>();
  readonly methodParams = new Map<string, string[]>();
  readonly methodNames = new Map<string, string>();
  /** The aura:iteration being converted (innermost last): per-item values are mapped onto its items. */
  readonly loops: { variable: string; items: string; mappable: boolean; computed: [string, string][] }[] = [];
  readonly auraIds = new Map<string, number>();
  readonly registeredEvents = new Map<string, string>();
  readonly controllerMember = new Map<string, string>();
  readonly helperMember = new Map<string, string>();
  readonly helperTakesComponent = new Map<string, boolean>();
  navigation = false;
  /** Why the files cannot compile whatever is decided later; the blueprint still lists the parts. */
  readonly blocked: string[] = [];
  todos = 0;
  apexClass: string | undefined;
  targets: string[] = [];

  constructor(
    readonly aura: ParsedAura,
    readonly options: MigrateOptions,
  ) {}

  part(area: Area, aura: string, lwc: string, decision?: Part['decision']): void {
    this.parts.push(decision ? { area, aura, lwc, decision } : { area, aura, lwc });
  }

  named(module: string, name: string): string {
    if (module === 'lwc') this.imports.lwc.add(name);
    else {
      const names = this.imports.named.get(module) ?? new Set<string>();
      names.add(name);
      this.imports.named.set(module, names);
    }
    return name;
  }

  defaultImport(module: string, preferred: string): string {
    const existing = this.imports.defaults.get(module);
    if (existing) return existing;
    const taken = new Set([
      ...this.imports.defaults.values(),
      ...[...this.imports.named.values()].flatMap((set) => [...set]),
    ]);
    let name = preferred;
    for (let i = 2; taken.has(name) || this.imports.lwc.has(name); i++) name = `${preferred}${i}`;
    this.imports.defaults.set(module, name);
    return name;
  }

  uniqueMember(preferred: string): string {
    let name = preferred;
    for (let i = 2; this.members.has(name) || LIFECYCLE.has(name); i++) name = `${preferred}${i}`;
    this.members.add(name);
    return name;
  }

  label(key: string): string {
    const found = this.labels.get(key);
    if (found) return found;
    const short = key.split('.').pop()!;
    const name = this.defaultImport(
      `@salesforce/label/${key}`,
      `label${upperFirst(short.replace(/[^A-Za-z0-9_]/g, ''))}`,
    );
    this.labels.set(key, name);
    this.part('label', `$Label.${key}`, `import ${name} from '@salesforce/label/${key}'`);
    return name;
  }

  todo(): string {
    this.todos++;
    return TODO;
  }

  run(): Migration {
    const { aura } = this;
    if (aura.kind !== 'component')
      this.part('file', aura.markupFile, 'no LWC component', {
        code: 'unsupported-feature',
        reason:
          aura.kind === 'event'
            ? 'An Aura event becomes a CustomEvent (component event) or a Lightning Message Service channel (application event), not a component.'
            : aura.kind === 'application'
              ? 'An Aura application (.app) has no LWC equivalent; host the LWC in a Lightning page, a tab or an Aura app.'
              : 'An Aura interface has no LWC equivalent; use a shared JavaScript module or base class.',
      });
    this.readRoot();
    this.readAttributes();
    this.scanScripts();
    this.readHandlers();
    this.readMarkupBindings(aura.markup);
    this.decideAttributes();
    const html = this.template();
    const methods = this.methods();
    const files = new Map<string, string>();
    const name = this.options.lwcName;
    files.set(`${name}.html`, html);
    files.set(`${name}.js`, this.javascript(methods));
    files.set(`${name}.js-meta.xml`, this.meta());
    const css = this.css();
    if (css !== undefined) files.set(`${name}.css`, css);
    if (aura.svg) {
      files.set(`${name}.svg`, aura.svg.content);
      this.part('file', aura.svg.file, `${name}.svg (the component's icon)`);
    }
    if (aura.documentation)
      this.part(
        'file',
        aura.documentation,
        'not carried over: LWC bundles have no .auradoc; move what matters to a README or JSDoc',
      );
    for (const other of aura.otherFiles)
      this.part('file', other, 'not carried over', {
        code: 'unsupported-feature',
        reason: `${other} has no LWC counterpart the migration knows.`,
      });
    return {
      lwcName: name,
      files,
      messageChannels: this.messageChannels,
      parts: this.parts,
      todos: this.todos,
      targets: this.targets,
      blocked: this.blocked,
    };
  }

  // ---- markup: the root, attributes, handlers, events ----

  readRoot(): void {
    const root = this.aura.markup;
    const implemented = (root.attrs.implements ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const targets = new Set<string>();
    for (const item of implemented) {
      if (item === 'force:hasRecordId') {
        this.addInterfaceAttribute('recordId', item);
        this.part('interface', item, '@api recordId');
      } else if (item === 'force:hasSObjectName') {
        this.addInterfaceAttribute('objectApiName', item);
        this.part('interface', item, '@api objectApiName');
      } else if (INTERFACE_TARGETS[item]) {
        for (const target of INTERFACE_TARGETS[item]) targets.add(target);
        this.part(
          'interface',
          item,
          `target ${INTERFACE_TARGETS[item].join(', ')}`,
          item === 'lightning:isUrlAddressable'
            ? {
                code: 'unsupported-feature',
                reason:
                  'URL-addressable LWC read their state with @wire(CurrentPageReference); navigation to it changes (standard__component with c__ state).',
              }
            : item.startsWith('force:lightningQuickAction')
              ? {
                  code: 'unsupported-feature',
                  reason:
                    'A quick action LWC needs <actionType> in targetConfig (ScreenAction or Action) and the action re-created for the LWC.',
                }
              : undefined,
        );
      } else if (UNSUPPORTED_INTERFACES[item]) {
        this.part('interface', item, 'none', {
          code: 'unsupported-feature',
          reason: UNSUPPORTED_INTERFACES[item],
        });
      } else {
        this.part('interface', item, 'none', {
          code: 'unsupported-feature',
          reason: `No LWC target or API is known for ${item}.`,
        });
      }
    }
    this.targets = [...targets];
    if (root.attrs.extends)
      this.part('component', `extends="${root.attrs.extends}"`, 'LightningElement', {
        code: 'unsupported-feature',
        reason: `An LWC cannot extend an Aura component; move what ${root.attrs.extends} shares into a JavaScript base class or module, or compose it as a child.`,
      });
    if (root.attrs.abstract === 'true')
      this.part('component', 'abstract="true"', 'none', {
        code: 'unsupported-feature',
        reason: 'LWC has no abstract components.',
      });
    if (root.attrs.controller) {
      this.apexClass = root.attrs.controller;
      this.part(
        'apex',
        `controller="${root.attrs.controller}"`,
        `@salesforce/apex/${root.attrs.controller}.<method> imports`,
      );
    }
    if (root.attrs.access)
      this.part('component', `access="${root.attrs.access}"`, 'isExposed in js-meta.xml');
  }

  addInterfaceAttribute(name: string, from: string): void {
    this.attributes.set(name, {
      name,
      type: 'String',
      access: 'global',
      explicitAccess: true,
      required: false,
      fromInterface: from,
      setInternally: false,
      inDesign: false,
      api: true,
    });
    this.members.add(name);
  }

  readAttributes(): void {
    const designNames = new Set(
      this.aura.design
        ? elements(this.aura.design.root)
            .filter((element) => element.tag === 'design:attribute')
            .map((element) => element.attrs.name ?? '')
        : [],
    );
    for (const child of this.aura.markup.children) {
      if (child.type !== 'element') continue;
      if (child.tag === 'aura:attribute' && child.attrs.name) {
        const name = child.attrs.name;
        const existing = this.attributes.get(name);
        const attribute: Attribute = {
          name,
          type: child.attrs.type ?? 'Object',
          ...(child.attrs.default !== undefined ? { default: child.attrs.default } : {}),
          access: child.attrs.access ?? 'public',
          explicitAccess: child.attrs.access !== undefined,
          required: child.attrs.required === 'true',
          setInternally: false,
          inDesign: designNames.has(name),
          api: false,
          ...(existing?.fromInterface ? { fromInterface: existing.fromInterface } : {}),
        };
        this.attributes.set(name, attribute);
        this.members.add(name);
      } else if (child.tag === 'aura:registerEvent' && child.attrs.name) {
        this.registeredEvents.set(child.attrs.name, child.attrs.type ?? '');
      } else if (child.tag === 'aura:method' && child.attrs.name) {
        const action = /^\{[!#]c\.(\w+)\}$/.exec(child.attrs.action ?? '')?.[1] ?? child.attrs.name;
        this.actionModes.set(action, 'method');
        this.methodNames.set(action, child.attrs.name);
        this.methodParams.set(
          action,
          child.children
            .filter((item): item is MarkupElement => item.type === 'element' && item.tag === 'aura:attribute')
            .map((item) => item.attrs.name ?? 'arg'),
        );
        this.part(
          'handler',
          `aura:method ${child.attrs.name}`,
          `@api ${child.attrs.name}(${this.methodParams.get(action)!.join(', ')})`,
        );
      } else if (child.tag === 'aura:dependency') {
        this.part(
          'component',
          `aura:dependency ${child.attrs.resource ?? ''}`,
          'import the module it names, or drop it',
          {
            code: 'unsupported-feature',
            reason:
              'LWC resolves its dependencies from imports and the template; aura:dependency has no equivalent.',
          },
        );
      }
    }
  }

  /** Controller, helper and renderer: which attributes the code sets, and which helper functions take the component. */
  scanScripts(): void {
    const scripts = [this.aura.controller, this.aura.helper, this.aura.renderer].filter(
      (script) => script !== undefined,
    );
    for (const script of scripts)
      for (const fn of script.functions)
        walk(fn.body, (node) => {
          if (node.type !== 'CallExpression') return;
          const callee = sub(node, 'callee');
          if (callee?.type !== 'MemberExpression' || identifierName(sub(callee, 'property')) !== 'set')
            return;
          const path = stringValue(subs(node, 'arguments')[0]);
          if (path?.startsWith('v.')) {
            const attribute = this.attributes.get(path.slice(2).split('.')[0]!);
            if (attribute) attribute.setInternally = true;
          }
        });
    for (const fn of this.aura.controller?.functions ?? []) {
      // an aura:method's action is called by parents under the method's name
      const name = this.methodNames.get(fn.name) ?? fn.name;
      const member = LIFECYCLE.has(name) || this.members.has(name) ? `${name}Handler` : name;
      this.controllerMember.set(fn.name, this.uniqueMember(member));
    }
    for (const fn of this.aura.helper?.functions ?? []) {
      const preferred = this.members.has(fn.name) || LIFECYCLE.has(fn.name) ? `${fn.name}Helper` : fn.name;
      this.helperMember.set(fn.name, this.uniqueMember(preferred));
      const first = fn.params[0];
      let usedAsComponent = first !== undefined && /^(component|cmp|comp|c)$/i.test(first);
      if (first !== undefined && !usedAsComponent)
        walk(fn.body, (node) => {
          if (node.type === 'MemberExpression' && identifierName(sub(node, 'object')) === first) {
            const property = identifierName(sub(node, 'property'));
            if (property && ['get', 'set', 'find', 'getEvent', 'isValid'].includes(property))
              usedAsComponent = true;
          }
        });
      this.helperTakesComponent.set(fn.name, usedAsComponent);
    }
  }

  readHandlers(): void {
    for (const child of this.aura.markup.children) {
      if (child.type !== 'element' || child.tag !== 'aura:handler') continue;
      const action = /^\{[!#]c\.(\w+)\}$/.exec(child.attrs.action ?? '')?.[1];
      const label = `aura:handler ${Object.entries(child.attrs)
        .map(([key, value]) => `${key}="${value}"`)
        .join(' ')}`;
      if (!action || !this.controllerMember.has(action)) {
        this.part('handler', label, 'none', {
          code: 'untranslated-code',
          reason: `The handler's action ${child.attrs.action ?? '(none)'} is not a function of the controller.`,
        });
        continue;
      }
      const member = this.controllerMember.get(action)!;
      const name = child.attrs.name;
      const event = child.attrs.event;
      if (name === 'init') {
        this.actionModes.set(action, 'none');
        this.connected.push(`this.${member}();`);
        this.part('handler', label, `connectedCallback() calls ${member}()`);
      } else if (name === 'destroy') {
        this.actionModes.set(action, 'none');
        this.disconnected.push(`this.${member}();`);
        this.part('handler', label, `disconnectedCallback() calls ${member}()`);
      } else if (name === 'render') {
        this.actionModes.set(action, 'none');
        this.rendered.push(`this.${member}();`);
        this.part('handler', label, `renderedCallback() calls ${member}()`);
      } else if (name === 'change') {
        const path = /^\{[!#]v\.(\w+)\}$/.exec(child.attrs.value ?? '')?.[1];
        const attribute = path ? this.attributes.get(path) : undefined;
        if (!attribute || attribute.changeHandler) {
          this.part('handler', label, 'none', {
            code: 'untranslated-code',
            reason: 'Only a change handler on one whole attribute ({!v.name}) maps to a setter.',
          });
          continue;
        }
        attribute.changeHandler = member;
        this.actionModes.set(action, 'change');
        this.part('handler', label, `set ${attribute.name}(value) calls ${member}({ value, oldValue })`, {
          code: 'unsupported-feature',
          reason:
            'An LWC setter also runs when the parent first sets the property (Aura change handlers do not fire at init); check the handler copes.',
        });
      } else if (event && !name) {
        // application event
        this.actionModes.set(action, event.startsWith('c:') ? 'lms' : 'dom');
        if (event.startsWith('c:')) {
          const channel = this.channel(event.slice(2));
          this.subscriptions.push({ channel, handler: member });
          this.part(
            'event',
            `${label} (application event handled)`,
            `subscribe(messageContext, ${channel}, (message) => this.${member}(message)) in connectedCallback`,
            {
              code: 'application-event',
              reason:
                'Application events become a Lightning Message Service channel here; DOM events or a shared module are the other choices.',
            },
          );
        } else {
          this.part('handler', label, 'none', {
            code: 'unsupported-feature',
            reason: `${event} has no LWC event to subscribe to (force:refreshView → refresh the data with refreshApex or RefreshEvent; aura:locationChange → CurrentPageReference).`,
          });
        }
      } else if (event && name) {
        this.actionModes.set(action, 'component');
        this.part(
          'event',
          `${label} (component event from a child)`,
          `on${name.toLowerCase()}={${member}} on the child that fires it; event.getParam(x) → event.detail.x`,
          {
            code: 'event-name',
            reason: `LWC event names are lower case: the child dispatches '${name.toLowerCase()}', and this component listens with on${name.toLowerCase()} on it in the template (a handler here cannot catch a child's event by name alone).`,
          },
        );
      } else {
        this.part('handler', label, 'none', { code: 'untranslated-code', reason: 'Unknown handler kind.' });
      }
    }
  }

  channel(eventName: string): string {
    const existing = this.channelImports.get(eventName);
    if (existing) return existing;
    const name = this.defaultImport(
      `@salesforce/messageChannel/${eventName}__c`,
      `${eventName.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}_CHANNEL`,
    );
    this.channelImports.set(eventName, name);
    const fields = this.options.eventAttributes?.get(eventName);
    const fieldXml = (fields ?? [])
      .map(
        (field) =>
          `    <lightningMessageFields>\n        <fieldName>${escapeXml(field)}</fieldName>\n    </lightningMessageFields>\n`,
      )
      .join('');
    this.messageChannels.set(
      `${eventName}.messageChannel-meta.xml`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<LightningMessageChannel xmlns="http://soap.sforce.com/2006/04/metadata">\n    <masterLabel>${escapeXml(eventName)}</masterLabel>\n    <isExposed>true</isExposed>\n    <description>Migrated from the Aura application event c:${escapeXml(eventName)}.</description>\n${fieldXml}</LightningMessageChannel>\n`,
    );
    this.named('lightning/messageService', 'MessageContext');
    this.named('lwc', 'wire');
    this.part(
      'event',
      `c:${eventName} (application event)`,
      `message channel ${eventName}__c (messageChannels/${eventName}.messageChannel-meta.xml)${fields ? `, fields ${fields.join(', ') || 'none'}` : ''}`,
      fields
        ? undefined
        : {
            code: 'application-event',
            reason: `The event c:${eventName} was not found (in the project, or as ${eventName}.evt among the files): add its attributes as lightningMessageFields.`,
          },
    );
    return name;
  }

  /** Controller actions bound in markup (onclick="{!c.x}") are DOM-event handlers; aura:id values counted. */
  readMarkupBindings(root: MarkupElement): void {
    for (const element of elements(root)) {
      for (const [name, value] of Object.entries(element.attrs)) {
        if (name === 'aura:id') this.auraIds.set(value, (this.auraIds.get(value) ?? 0) + 1);
        const action = /^\{[!#]c\.(\w+)\}$/.exec(value)?.[1];
        if (action && !this.actionModes.has(action)) this.actionModes.set(action, 'dom');
        const bound = /^\{!v\.(\w+)\}$/.exec(value.trim())?.[1];
        const tag = element.tag.startsWith('lightning:')
          ? `lightning-${kebab(element.tag.slice(10))}`
          : element.tag;
        const writes =
          (element.tag === 'force:recordData' && name === 'targetFields') ||
          (TWO_WAY_VALUE.has(tag) &&
            (name === 'value' || name === 'checked') &&
            !('onchange' in element.attrs));
        const attribute = bound && writes ? this.attributes.get(bound) : undefined;
        if (attribute) attribute.setInternally = true;
      }
    }
  }

  decideAttributes(): void {
    for (const attribute of this.attributes.values()) {
      if (attribute.fromInterface) {
        attribute.api = true;
        if (attribute.setInternally) attribute.backing = `_${attribute.name}`;
        continue;
      }
      const publicAccess = attribute.access !== 'private';
      const declaredPublic = attribute.explicitAccess && publicAccess;
      attribute.api =
        publicAccess &&
        (declaredPublic || attribute.required || attribute.inDesign || !attribute.setInternally);
      const label = `aura:attribute ${attribute.name} (${attribute.type}${attribute.default !== undefined ? `, default ${attribute.default}` : ''}, ${attribute.access}${attribute.required ? ', required' : ''})`;
      const js = defaultValue(attribute.type, attribute.default);
      const isBooleanTrue = lwcType(attribute.type) === 'Boolean' && js === 'true';
      if (attribute.api && (attribute.setInternally || attribute.changeHandler || isBooleanTrue))
        attribute.backing = `_${attribute.name}`;
      if (!attribute.api && attribute.changeHandler) attribute.backing = `_${attribute.name}`;
      const reserved = /^on|^data|^(slot|part|is|class|style|id)$/.test(attribute.name);
      const lwc = `${attribute.api ? '@api ' : ''}${attribute.name}${attribute.backing ? ` (getter/setter over ${attribute.backing})` : ''}${js !== undefined ? ` = ${js}` : ''}: ${lwcType(attribute.type)}`;
      let decision: Part['decision'];
      if (reserved)
        decision = {
          code: 'name-clash',
          reason: `LWC reserves the property name ${attribute.name}; rename it (and its uses).`,
        };
      else if (attribute.api && attribute.setInternally)
        decision = {
          code: 'public-attribute-set',
          reason: `${attribute.name} is public and the component also sets it: LWC forbids reassigning @api properties, so internal sets write ${attribute.backing}.`,
        };
      else if (!attribute.api && publicAccess)
        decision = {
          code: 'public-attribute-set',
          reason: `${attribute.name} is public in Aura (the default) but the component sets it itself: made an internal field; make it @api if a parent sets it.`,
        };
      else if (isBooleanTrue && attribute.api)
        decision = {
          code: 'boolean-default',
          reason: `LWC public booleans must default to false; ${attribute.name} keeps its default true through a getter.`,
        };
      else if (attribute.default !== undefined && js === undefined)
        decision = {
          code: 'untranslated-code',
          reason: `The default ${attribute.default} is not a literal of type ${attribute.type}; set it in connectedCallback.`,
        };
      if (reserved)
        this.blocked.push(
          `the attribute name ${attribute.name} is reserved in LWC (rename it in the Aura component and its parents first)`,
        );
      this.part('attribute', label, lwc, decision);
    }
  }

  // ---- the template ----

  template(): string {
    const body = this.children(this.aura.markup.children, new Map(), 1);
    return `<template>\n${body}</template>\n`;
  }

  children(nodes: readonly MarkupNode[], scope: Map<string, string>, depth: number): string {
    let out = '';
    for (const node of nodes) out += this.node(node, scope, depth);
    return out;
  }

  indent(depth: number): string {
    return '    '.repeat(depth);
  }

  node(node: MarkupNode, scope: Map<string, string>, depth: number): string {
    const pad = this.indent(depth);
    if (node.type === 'comment') return `${pad}<!--${commentText(node.text)}-->\n`;
    if (node.type === 'text') {
      if (!node.text.trim()) return '';
      return `${pad}${this.textContent(node.text.trim(), scope)}\n`;
    }
    const element = node;
    const tag = element.tag;
    if (
      [
        'aura:attribute',
        'aura:handler',
        'aura:registerEvent',
        'aura:method',
        'aura:dependency',
        'aura:import',
      ].includes(tag)
    )
      return '';
    if (tag === 'aura:if' || tag === 'aura:renderIf') return this.auraIf(element, scope, depth);
    if (tag === 'aura:iteration') return this.iteration(element, scope, depth);
    if (tag === 'aura:set') {
      const attribute = element.attrs.attribute ?? '';
      if (attribute === 'body') return this.children(element.children, scope, depth);
      return `${pad}<div slot="${attrText(attribute)}">\n${this.children(element.children, scope, depth + 1)}${pad}</div>\n`;
    }
    if (tag === 'aura:text' || tag === 'aura:expression')
      return element.attrs.value !== undefined
        ? `${pad}${this.textContent(element.attrs.value, scope)}\n`
        : '';
    if (tag === 'ltng:require') return this.require(element, depth);
    if (tag === 'force:recordData') return this.recordData(element, depth);
    let lwcTag: string;
    let renames: Record<string, string> = {};
    if (tag.startsWith('lightning:')) lwcTag = `lightning-${kebab(tag.slice('lightning:'.length))}`;
    else if (tag.startsWith('c:')) {
      const child = lowerFirst(tag.slice(2));
      lwcTag = `c-${kebab(child)}`;
      this.part('component', `<${tag}>`, `<${lwcTag}> (the LWC c/${child})`, {
        code: 'child-component',
        reason: `An LWC can only hold LWC children: migrate ${tag.slice(2)} to an LWC named ${child} first (or wrap this LWC in Aura instead).`,
      });
    } else if (UI_TAGS[tag]) {
      lwcTag = UI_TAGS[tag].tag;
      renames = UI_TAGS[tag].rename ?? {};
      this.part('component', `<${tag}>`, `<${lwcTag}>`, {
        code: 'unsupported-feature',
        reason: `${UI_TAGS[tag].note}: the attributes and events differ; check them against the base component.`,
      });
    } else if (tag.includes(':')) {
      this.part('markup', `<${tag}>`, 'none', {
        code: 'unsupported-feature',
        reason: `<${tag}> has no LWC equivalent the migration knows; its content is kept, the tag is left as a TODO comment.`,
      });
      return `${pad}<!-- ${this.todo()}: <${commentText(tag)}> has no LWC equivalent here -->\n${this.children(element.children, scope, depth)}`;
    } else lwcTag = tag;
    if (tag.startsWith('lightning:') && !this.parts.some((part) => part.aura === `<${tag}>`))
      this.part('component', `<${tag}>`, `<${lwcTag}>`);
    const custom = lwcTag.includes('-');
    const attrs: string[] = [];
    const comments: string[] = [];
    const hasOnChange = Object.keys(element.attrs).some(
      (rawName) => (renames[rawName] ?? rawName) === 'onchange',
    );
    for (const [rawName, value] of Object.entries(element.attrs)) {
      let name = renames[rawName] ?? rawName;
      if (name === 'aura:id') {
        attrs.push(`data-id="${attrText(value)}"`);
        continue;
      }
      if (name.startsWith('aura:') || name === 'aura:flavor') {
        comments.push(`${name}="${value}" has no LWC equivalent`);
        continue;
      }
      const handler = /^\{[!#]c\.(\w+)\}$/.exec(value)?.[1];
      if (handler) {
        const member = this.controllerMember.get(handler);
        if (!member) {
          comments.push(`${name}="${value}": the controller has no ${handler}`);
          this.part('markup', `${name}="${value}"`, 'none', {
            code: 'untranslated-code',
            reason: `The controller has no function ${handler}.`,
          });
          continue;
        }
        attrs.push(`${name.toLowerCase()}={${member}}`);
        continue;
      }
      if (custom && !name.startsWith('data-')) name = kebab(name);
      const converted = this.attributeValue(value, scope, lwcTag, name);
      if (converted.comment) comments.push(converted.comment);
      if (converted.attr !== undefined) attrs.push(converted.attr);
      if (
        TWO_WAY_VALUE.has(lwcTag) &&
        (name === 'value' || name === 'checked') &&
        /^\{!v\.[\w.]+\}$/.test(value.trim())
      ) {
        const path = value.trim().slice(4, -1);
        const attribute = this.attributes.get(path.split('.')[0]!);
        if (!hasOnChange && attribute && !path.includes('.')) {
          const member = this.uniqueMember(`handle${upperFirst(path)}Change`);
          const target = attribute.api ? (attribute.backing ?? `_${attribute.name}`) : attribute.name;
          if (attribute.api && !attribute.backing) attribute.backing = target;
          this.twoWayHandlers.push(
            `    ${member}(event) {\n        this.${target} = event.detail.${name === 'checked' ? 'checked' : 'value'};\n    }`,
          );
          attrs.push(`onchange={${member}}`);
          this.part(
            'markup',
            `<${tag} ${rawName}="${value}"> (two-way binding)`,
            `${name}={${path}} onchange={${member}}`,
          );
        } else {
          this.part(
            'markup',
            `<${tag} ${rawName}="${value}"> (two-way binding)`,
            `${name} is one-way in LWC`,
            {
              code: 'two-way-binding',
              reason:
                'LWC bindings are one-way: the onchange handler must copy event.detail.value back into the property.',
            },
          );
        }
      }
    }
    const open = `${pad}${comments.map((comment) => `<!-- ${this.todo()}: ${commentText(comment)} -->\n${pad}`).join('')}<${lwcTag}${attrs.length ? ` ${attrs.join(' ')}` : ''}>`;
    if (VOID.has(lwcTag)) return `${open}\n`;
    const inner = this.children(element.children, scope, depth + 1);
    if (!inner) return `${open}</${lwcTag}>\n`;
    return `${open}\n${inner}${pad}</${lwcTag}>\n`;
  }

  auraIf(element: MarkupElement, scope: Map<string, string>, depth: number): string {
    const pad = this.indent(depth);
    const condition = this.binding(element.attrs.isTrue ?? '', scope, 'show');
    const thenNodes = element.children.filter(
      (child) => !(child.type === 'element' && child.tag === 'aura:set' && child.attrs.attribute === 'else'),
    );
    const elseNode = element.children.find(
      (child): child is MarkupElement =>
        child.type === 'element' && child.tag === 'aura:set' && child.attrs.attribute === 'else',
    );
    if (condition.value === undefined) {
      this.part('markup', `<aura:if isTrue="${element.attrs.isTrue ?? ''}">`, 'none', {
        code: 'template-expression',
        reason: condition.reason ?? 'The condition cannot be converted.',
      });
      return `${pad}<!-- ${this.todo()}: aura:if isTrue="${commentText(element.attrs.isTrue ?? '')}": ${commentText(condition.reason ?? '')} -->\n`;
    }
    this.part(
      'markup',
      `<aura:if isTrue="${element.attrs.isTrue ?? ''}">${elseNode ? ' with else' : ''}`,
      `<template lwc:if=${condition.value}>${elseNode ? '<template lwc:else>' : ''}`,
    );
    let out = `${pad}<template lwc:if=${condition.value}>\n${this.children(thenNodes, scope, depth + 1)}${pad}</template>\n`;
    if (elseNode)
      out += `${pad}<template lwc:else>\n${this.children(elseNode.children, scope, depth + 1)}${pad}</template>\n`;
    return out;
  }

  iteration(element: MarkupElement, scope: Map<string, string>, depth: number): string {
    const pad = this.indent(depth);
    const variable = element.attrs.var ?? 'item';
    const index = element.attrs.indexVar;
    const items = this.binding(element.attrs.items ?? '', scope, 'items');
    const label = `<aura:iteration items="${element.attrs.items ?? ''}" var="${variable}">`;
    if (items.value === undefined) {
      this.part('markup', label, 'none', {
        code: 'template-expression',
        reason: items.reason ?? 'The items cannot be converted.',
      });
      return `${pad}<!-- ${this.todo()}: ${commentText(label)}: ${commentText(items.reason ?? '')} -->\n`;
    }
    const path = /^\{!v\.(\w+)/.exec(element.attrs.items ?? '')?.[1];
    const attribute = path ? this.attributes.get(path) : undefined;
    const inner = new Map(scope);
    inner.set(variable, variable);
    if (index) inner.set(index, index);
    const records = attribute ? isRecordList(attribute.type) : false;
    let key = `{${variable}.Id}`;
    let decision: Part['decision'];
    const primitive = attribute
      ? /^(?:list<|set<)?\s*(string|integer|decimal|double|long|id)\s*(?:>|\[\])$/i.test(
          attribute.type.trim(),
        )
      : false;
    if (primitive) {
      key = `{${variable}}`;
      decision = {
        code: 'iteration-key',
        reason: `LWC needs a unique key per item, not the index: key={${variable}} assumes the ${attribute!.type} values are unique.`,
      };
    } else if (!records) {
      decision = {
        code: 'iteration-key',
        reason: `LWC needs a unique key per item, not the index: key={${variable}.Id} assumes the items have an Id (${attribute ? `type ${attribute.type}` : 'type unknown'}); use another unique field if they do not.`,
      };
    }
    const itemsPath = /^\{!v\.([\w.]+)\}$/.exec((element.attrs.items ?? '').trim())?.[1];
    const loop = {
      variable,
      items: itemsPath ?? '',
      mappable: itemsPath !== undefined && !primitive,
      computed: [] as [string, string][],
    };
    this.loops.push(loop);
    const children = element.children.filter((child) => !(child.type === 'text' && !child.text.trim()));
    const single =
      children.length === 1 && children[0]!.type === 'element' && !children[0]!.tag.startsWith('aura:')
        ? children[0]
        : undefined;
    this.part(
      'markup',
      label,
      `<template for:each=${items.value} for:item="${variable}"${index ? ` for:index="${index}"` : ''}> key=${key}`,
      decision,
    );
    let body: string;
    if (single) {
      body = this.node(single, inner, depth + 1).replace(
        /^(\s*(?:<!--[^]*?-->\n\s*)*<[\w-]+)/,
        `$1 key=${key}`,
      );
    } else {
      body = `${this.indent(depth + 1)}<div key=${key}>\n${this.children(element.children, inner, depth + 2)}${this.indent(depth + 1)}</div>\n`;
    }
    this.loops.pop();
    let each = items.value;
    if (loop.computed.length) {
      const getter = this.uniqueMember(
        `${lowerFirst(itemsPath!.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase()))}View`,
      );
      const fields = loop.computed.map(([name, js]) => `${name}: ${js}`).join(',\n                ');
      this.getters.push(
        `    get ${getter}() {\n        return (this.${itemsPath} || []).map((${variable}) => ({\n                ...${variable},\n                ${fields}\n            }));\n    }`,
      );
      each = `{${getter}}`;
    }
    return `${pad}<template for:each=${each} for:item="${variable}"${index ? ` for:index="${index}"` : ''}>\n${body}${pad}</template>\n`;
  }

  require(element: MarkupElement, depth: number): string {
    const loads: string[] = [];
    for (const [kind, loader] of [
      ['scripts', 'loadScript'],
      ['styles', 'loadStyle'],
    ] as const) {
      const value = element.attrs[kind];
      if (!value) continue;
      const names = [...value.matchAll(/\$Resource\.(\w+)/g)].map((match) => match[1]!);
      for (const resource of names) {
        const name = this.defaultImport(
          `@salesforce/resourceUrl/${resource}`,
          `${lowerFirst(resource)}Resource`,
        );
        this.named('lightning/platformResourceLoader', loader);
        loads.push(`${loader}(this, ${name})`);
        this.part(
          'resource',
          `ltng:require ${kind} $Resource.${resource}`,
          `${loader}(this, ${name}) from lightning/platformResourceLoader`,
        );
      }
    }
    const after = /^\{!c\.(\w+)\}$/.exec(element.attrs.afterScriptsLoaded ?? '')?.[1];
    const member = after ? this.controllerMember.get(after) : undefined;
    if (after) this.actionModes.set(after, 'none');
    if (loads.length) {
      const flag = this.uniqueMember('resourcesLoaded');
      this.rendered.push(
        `if (!this.${flag}) {\n            this.${flag} = true;\n            Promise.all([${loads.join(', ')}])${member ? `\n                .then(() => this.${member}())` : ''}\n                .catch((error) => {\n                    this.dispatchEvent(new CustomEvent('error', { detail: error }));\n                });\n        }`,
      );
      this.getters.push(`    ${flag} = false;`);
    }
    return `${this.indent(depth)}<!-- ltng:require: loaded in renderedCallback -->\n`;
  }

  recordData(element: MarkupElement, depth: number): string {
    const target = /^\{!v\.(\w+)\}$/.exec(element.attrs.targetFields ?? '')?.[1];
    const recordIdBinding = /^\{!v\.(\w+)\}$/.exec(element.attrs.recordId ?? '')?.[1] ?? 'recordId';
    const fields = (element.attrs.fields ?? '')
      .split(',')
      .map((field) => field.trim())
      .filter(Boolean);
    this.named('lightning/uiRecordApi', 'getRecord');
    this.named('lwc', 'wire');
    const member = this.uniqueMember('wiredRecord');
    const assign = target ? this.attributes.get(target) : undefined;
    const targetField = assign
      ? assign.api
        ? (assign.backing ?? (assign.backing = `_${assign.name}`))
        : assign.name
      : undefined;
    this.wires.push(
      `    @wire(getRecord, { recordId: '$${recordIdBinding}', layoutTypes: ['Full'], modes: ['View'] })\n    ${member}({ data, error }) {\n        if (data) {\n${targetField ? `            this.${targetField} = Object.fromEntries([['Id', data.id], ...Object.entries(data.fields).map(([name, field]) => [name, field.value])]);\n` : ''}        } else if (error) {\n            this.dispatchEvent(new CustomEvent('error', { detail: error }));\n        }\n    }`,
    );
    this.part(
      'component',
      '<force:recordData>',
      `@wire(getRecord) ${member}${targetField ? ` → this.${targetField} (as targetFields)` : ''}`,
      {
        code: 'record-data',
        reason: `getRecord wants Object.Field names${fields.length ? ` (fields="${fields.join(',')}")` : ''}: the Full layout is used until you list them; saving (saveRecord) becomes updateRecord from lightning/uiRecordApi.`,
      },
    );
    return `${this.indent(depth)}<!-- force:recordData: @wire(getRecord) in the JavaScript -->\n`;
  }

  /** Text with {!...} expressions: literal parts escaped, expressions as {path} or getters. */
  textContent(text: string, scope: Map<string, string>): string {
    const segments = splitExpressions(text);
    return segments
      .map((segment) => {
        if (segment.literal !== undefined) return htmlText(segment.literal);
        if (segment.expression === 'v.body') {
          this.part('markup', '{!v.body}', '<slot></slot>');
          return '<slot></slot>';
        }
        const bound = this.binding(`{!${segment.expression}}`, scope, 'text');
        if (bound.value === undefined) {
          this.part('markup', `{!${segment.expression}}`, 'none', {
            code: 'template-expression',
            reason: bound.reason ?? '',
          });
          return `<!-- ${this.todo()}: {!${commentText(segment.expression ?? '')}} ${commentText(bound.reason ?? '')} -->`;
        }
        return bound.value;
      })
      .join('');
  }

  attributeValue(
    value: string,
    scope: Map<string, string>,
    tag: string,
    name: string,
  ): { attr?: string; comment?: string } {
    const segments = splitExpressions(value);
    if (segments.every((segment) => segment.literal !== undefined)) {
      if (tag.startsWith('lightning-') && isBooleanAttribute(tag, name)) {
        if (value.trim() === 'false') return {};
        if (value.trim() === 'true') return { attr: name };
      }
      return { attr: `${name}="${attrText(value)}"` };
    }
    if (segments.length === 1) {
      const literal = literalOf(segments[0]!.expression!);
      if (literal !== undefined) {
        if (literal === true) return { attr: name };
        if (literal === false || literal === null) return {};
        return { attr: `${name}="${attrText(String(literal))}"` };
      }
    }
    const bound = this.binding(value, scope, name);
    if (bound.value === undefined) {
      this.part('markup', `${name}="${value}"`, 'none', {
        code: 'template-expression',
        reason: bound.reason ?? '',
      });
      return { comment: `${name}="${value}": ${bound.reason ?? ''}` };
    }
    return { attr: `${name}=${bound.value}` };
  }

  /**
   * An attribute value or text holding expressions, as an LWC binding `{path}`: a property path directly, anything
   * else through a getter. Undefined (with the reason) when it needs an iteration variable inside a getter.
   */
  binding(value: string, scope: Map<string, string>, context: string): { value?: string; reason?: string } {
    const segments = splitExpressions(value);
    if (segments.length === 1 && segments[0]!.expression !== undefined) {
      const path = this.templatePath(segments[0]!.expression, scope);
      if (path) return { value: `{${path}}` };
    }
    const innermost = this.loops[this.loops.length - 1];
    const loopVariables = new Set(innermost?.mappable ? [innermost.variable] : []);
    let js = '';
    let perItem = false;
    const pieces: string[] = [];
    for (const segment of segments) {
      if (segment.literal !== undefined) {
        pieces.push(quoteJs(segment.literal));
        continue;
      }
      let expression: JsNode;
      try {
        expression = jsParser().parseExpression(auraOperators(segment.expression!), {});
      } catch {
        return {
          reason: `The expression {!${segment.expression}} is not one the migration can read (Aura operators such as eq, ne, lt?).`,
        };
      }
      const uses = freeNames(expression);
      const scoped = uses.filter((name) => scope.has(name));
      const loop = this.loops[this.loops.length - 1];
      if (scoped.length && !(loop?.mappable && scoped.every((name) => name === loop.variable)))
        return {
          reason: `It uses the iteration variable ${scoped.find((name) => name !== loop?.variable) ?? scoped[0]} in an expression; LWC templates only take property paths: add a computed field to each item, or move the item into a child component.`,
        };
      if (scoped.length) perItem = true;
      try {
        pieces.push(
          segments.length > 1
            ? `(${this.auraExpression(expression, auraOperators(segment.expression!), loopVariables)})`
            : this.auraExpression(expression, auraOperators(segment.expression!), loopVariables),
        );
      } catch (error) {
        return { reason: (error as Error).message };
      }
    }
    js = pieces.join(' + ');
    const first = segments.find((segment) => segment.expression)?.expression ?? '';
    if (perItem && innermost) {
      // a value per item: the list is mapped in JavaScript to items that carry it
      const field = `${lowerFirst(context.replace(/[^A-Za-z0-9]/g, '')) || 'value'}${innermost.computed.length || ''}`;
      const name = `${innermost.variable}${upperFirst(field)}`;
      innermost.computed.push([name, js]);
      this.part(
        'markup',
        value,
        `${innermost.variable}.${name}, computed for each item by the getter over the list`,
        {
          code: 'template-expression',
          reason: `LWC templates hold only property paths: each item of ${innermost.items} gets ${name} in JavaScript; check the logic (== became ===).`,
        },
      );
      return { value: `{${innermost.variable}.${name}}` };
    }
    const negated = /^!\s*v\.(\w+)$/.exec(first.trim())?.[1];
    const base =
      negated && segments.length === 1
        ? `not${upperFirst(negated)}`
        : `${context === 'show' ? 'show' : lowerFirst(context.replace(/[^A-Za-z0-9]/g, ''))}${upperFirst(/v\.(\w+)/.exec(first)?.[1] ?? 'Value')}`;
    const member = this.uniqueMember(base);
    this.getters.push(`    get ${member}() {\n        return ${js};\n    }`);
    this.part('markup', value, `get ${member}() (the expression as a getter)`, {
      code: 'template-expression',
      reason: `LWC templates hold only property paths: the expression became the getter ${member}; check its name and logic (== became ===).`,
    });
    return { value: `{${member}}` };
  }

  /** {!v.a.b} → a.b, {!item.x} → item.x (iteration scope), {!$Label.c.x} → labels.x; else undefined. */
  templatePath(expression: string, scope: Map<string, string>): string | undefined {
    let node: JsNode;
    try {
      node = jsParser().parseExpression(auraOperators(expression), {});
    } catch {
      return undefined;
    }
    const parts: string[] = [];
    let current: JsNode | undefined = node;
    while (current?.type === 'MemberExpression' && current.computed !== true) {
      parts.unshift(identifierName(sub(current, 'property')) ?? '');
      current = sub(current, 'object');
    }
    const root = identifierName(current);
    if (!root || parts.some((part) => !part)) return undefined;
    if (root === 'v' && parts.length) {
      const attribute = this.attributes.get(parts[0]!);
      if (parts[0] === 'body') return undefined;
      if (!attribute) return parts.join('.');
      return parts.join('.');
    }
    if (root === '$Label' && parts.length === 2) {
      const name = this.label(parts.join('.'));
      this.labelField(name);
      return `labels.${name}`;
    }
    if (root.startsWith('$')) {
      const name = this.globalImport([root, ...parts].join('.'));
      return name === undefined ? undefined : this.importField(name);
    }
    if (scope.has(root)) return [scope.get(root)!, ...parts].join('.');
    return undefined;
  }

  /** $Label, $Resource, $Browser.formFactor, $SObjectType.CurrentUser.Id as the import that replaces them. */
  globalImport(key: string): string | undefined {
    if (key.startsWith('$Label.')) {
      const label = key.slice('$Label.'.length);
      return label.split('.').length === 2 ? this.label(label) : undefined;
    }
    if (key.startsWith('$Resource.')) {
      const resource = key.slice('$Resource.'.length);
      if (!/^\w+$/.test(resource)) return undefined;
      const name = this.defaultImport(
        `@salesforce/resourceUrl/${resource}`,
        `${lowerFirst(resource)}Resource`,
      );
      if (!this.parts.some((part) => part.aura === `$Resource.${resource}`))
        this.part(
          'resource',
          `$Resource.${resource}`,
          `import ${name} from '@salesforce/resourceUrl/${resource}'`,
        );
      return name;
    }
    const fixed: Record<string, [string, string]> = {
      '$Browser.formFactor': ['@salesforce/client/formFactor', 'formFactor'],
      '$SObjectType.CurrentUser.Id': ['@salesforce/user/Id', 'userId'],
      '$Locale.language': ['@salesforce/i18n/lang', 'language'],
      '$Locale.timezone': ['@salesforce/i18n/timeZone', 'timeZone'],
      '$Locale.currency': ['@salesforce/i18n/currency', 'currency'],
    };
    const known = fixed[key];
    if (!known) return undefined;
    const name = this.defaultImport(known[0], known[1]);
    if (!this.parts.some((part) => part.aura === key))
      this.part('resource', key, `import ${name} from '${known[0]}'`);
    return name;
  }

  /** A class field holding an import, for the template to read. */
  importField(name: string): string {
    if (!this.importFields.has(name)) {
      this.importFields.add(name);
      this.members.add(name);
      this.getters.push(`    ${name} = ${name};`);
    }
    return name;
  }

  readonly importFields = new Set<string>();

  labelsUsedInTemplate = new Set<string>();
  labelField(name: string): void {
    this.labelsUsedInTemplate.add(name);
    this.members.add('labels');
  }

  /** An Aura expression as JavaScript over `this` (for getters). */
  auraExpression(node: JsNode, original: string, allowed: ReadonlySet<string> = new Set()): string {
    const source = original;
    const emit = (current: JsNode): string => {
      if (current.type === 'MemberExpression' || current.type === 'Identifier') {
        const parts: string[] = [];
        let walker: JsNode | undefined = current;
        while (walker?.type === 'MemberExpression' && walker.computed !== true) {
          parts.unshift(identifierName(sub(walker, 'property')) ?? '');
          walker = sub(walker, 'object');
        }
        const root = identifierName(walker);
        if (root === 'v' && parts.length) return `this.${parts.join('.')}`;
        if (root && allowed.has(root) && parts.every(Boolean)) return [root, ...parts].join('.');
        if (root === 'c') throw new Error(`{!c.${parts.join('.')}} is a handler, not a value.`);
        if (root && root.startsWith('$')) {
          const name = this.globalImport([root, ...parts].join('.'));
          if (name === undefined)
            throw new Error(
              `${[root, ...parts].join('.')} has no import the migration knows (@salesforce/...).`,
            );
          return name;
        }
        if (current.type === 'Identifier') {
          if (['undefined', 'null', 'true', 'false'].includes(root ?? '')) return root!;
          throw new Error(`${root} is not an attribute (v.x).`);
        }
      }
      if (current.type === 'CallExpression') {
        const fn = identifierName(sub(current, 'callee'));
        const args = subs(current, 'arguments').map(emit);
        const two = (operator: string) => `(${args[0]} ${operator} ${args[1]})`;
        switch (fn) {
          case 'and':
            return `(${args.join(' && ')})`;
          case 'or':
            return `(${args.join(' || ')})`;
          case 'not':
            return `!${args[0]}`;
          case 'equals':
            return two('===');
          case 'notequals':
            return two('!==');
          case 'greaterthan':
            return two('>');
          case 'greaterthanorequal':
            return two('>=');
          case 'lessthan':
            return two('<');
          case 'lessthanorequal':
            return two('<=');
          case 'add':
          case 'concat':
            return two('+');
          case 'sub':
            return two('-');
          case 'mult':
            return two('*');
          case 'div':
            return two('/');
          case 'empty':
            return `${this.moduleHelper('isEmpty')}(${args[0]})`;
          default:
            throw new Error(`The Aura function ${fn ?? 'call'}() has no direct JavaScript equivalent here.`);
        }
      }
      if (current.type === 'BinaryExpression') {
        const operator = current.operator as string;
        const mapped = operator === '==' ? '===' : operator === '!=' ? '!==' : operator;
        return `${emit(sub(current, 'left')!)} ${mapped} ${emit(sub(current, 'right')!)}`;
      }
      if (current.type === 'StringLiteral') return quoteJs(current.value as string);
      if (['NumericLiteral', 'BooleanLiteral', 'NullLiteral'].includes(current.type))
        return source.slice(current.start, current.end);
      let text = '';
      let at = current.start;
      for (const child of jsChildren(current)) {
        text += source.slice(at, child.start) + emit(child);
        at = child.end;
      }
      if (!['LogicalExpression', 'UnaryExpression', 'ConditionalExpression'].includes(current.type))
        throw new Error(
          `The expression part ${source.slice(current.start, current.end)} cannot be converted.`,
        );
      return text + source.slice(at, current.end);
    };
    return emit(node);
  }

  moduleHelper(name: 'isEmpty' | 'isUndefinedOrNull' | 'settle' | 'isObject'): string {
    const bodies = {
      isEmpty:
        "/** Aura's $A.util.isEmpty: undefined, null, an empty string or an empty array. */\nfunction isEmpty(value) {\n    return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);\n}",
      isUndefinedOrNull:
        "/** Aura's $A.util.isUndefinedOrNull. */\nfunction isUndefinedOrNull(value) {\n    return value === undefined || value === null;\n}",
      isObject:
        "/** Aura's $A.util.isObject: a plain object, not an array. */\nfunction isObject(value) {\n    return typeof value === 'object' && value !== null && !Array.isArray(value);\n}",
      settle:
        "/**\n * An imperative Apex call's promise settled as the Aura action response the migrated callback reads:\n * { state: 'SUCCESS' | 'ERROR', returnValue, errors } (errors[0].message as in Aura).\n */\nfunction settle(promise) {\n    return promise.then(\n        (returnValue) => ({ state: 'SUCCESS', returnValue, errors: [] }),\n        (error) => ({ state: 'ERROR', returnValue: undefined, errors: [error && error.body ? error.body : error] })\n    );\n}",
    };
    this.moduleHelpers.set(name, bodies[name]);
    return name;
  }

  // ---- the JavaScript ----

  methods(): string[] {
    const out: string[] = [];
    for (const fn of this.aura.controller?.functions ?? []) {
      const member = this.controllerMember.get(fn.name)!;
      const mode = this.actionModes.get(fn.name) ?? 'dom';
      out.push(this.method(fn, member, 'controller', mode, this.aura.controller!.source));
    }
    for (const fn of this.aura.helper?.functions ?? []) {
      const member = this.helperMember.get(fn.name)!;
      out.push(this.method(fn, member, 'helper', 'none', this.aura.helper!.source));
    }
    for (const fn of this.aura.renderer?.functions ?? []) {
      const hook = { afterRender: 'rendered', rerender: 'rendered', unrender: 'disconnected' }[fn.name];
      const member = this.uniqueMember(`aura${upperFirst(fn.name)}`);
      if (!hook) {
        this.part('code', `${this.aura.renderer!.file} ${fn.name}`, 'none', {
          code: 'unsupported-feature',
          reason: `A custom ${fn.name} has no LWC equivalent (LWC renders its template); kept as a method that nothing calls.`,
        });
      } else {
        (hook === 'rendered' ? this.rendered : this.disconnected).push(`this.${member}();`);
      }
      out.push(this.method(fn, member, 'renderer', 'none', this.aura.renderer!.source));
    }
    return out;
  }

  method(
    fn: AuraFunction,
    member: string,
    role: 'controller' | 'helper' | 'renderer',
    mode: EventMode,
    source: string,
  ): string {
    const component =
      role === 'helper' ? (this.helperTakesComponent.get(fn.name) ? fn.params[0] : undefined) : fn.params[0];
    const event = role === 'controller' ? fn.params[1] : undefined;
    const helper = role === 'controller' ? fn.params[2] : role === 'renderer' ? fn.params[1] : undefined;
    const translator = new FunctionTranslator(this, source, fn, role, mode, {
      ...(component !== undefined ? { component } : {}),
      ...(event !== undefined ? { event } : {}),
      ...(helper !== undefined ? { helper } : {}),
    });
    let body = translator.block(fn.body);
    if (translator.hoisted.length) {
      const first = subs(fn.body, 'body')[0];
      const lineStart = first ? source.lastIndexOf('\n', first.start - 1) + 1 : fn.body.start;
      const indent = first ? (/^[ \t]*/.exec(source.slice(lineStart, first.start))?.[0] ?? '') : '';
      // var declared in a block and used outside it: declared once at the top (what var meant)
      body = body.replace(/^\{/, `{\n${indent}let ${translator.hoisted.join(', ')};`);
    }
    let params: string[];
    if (role === 'helper') params = fn.params.slice(component !== undefined ? 1 : 0);
    else if (mode === 'method') params = this.methodParams.get(fn.name) ?? [];
    else if (event !== undefined && translator.usesEvent) params = [event];
    else params = [];
    const where = `${role === 'controller' ? this.aura.controller!.file : role === 'helper' ? this.aura.helper!.file : this.aura.renderer!.file} ${fn.name}`;
    const decision: Part['decision'] | undefined = translator.untranslated.length
      ? {
          code: 'untranslated-code',
          reason: `Not mechanical, left as TODO comments: ${translator.untranslated.slice(0, 4).join('; ')}${translator.untranslated.length > 4 ? '; …' : ''}`,
        }
      : undefined;
    this.part(
      'code',
      where,
      `${mode === 'method' ? '@api ' : ''}${member}(${params.join(', ')})${translator.notes.length ? ` — ${translator.notes.join(', ')}` : ''}`,
      decision,
    );
    const doc = `    /** From ${where}. */\n`;
    return `${doc}    ${mode === 'method' ? '@api\n    ' : ''}${member}(${params.join(', ')}) ${reindent(body, 1)}`;
  }

  javascript(methods: string[]): string {
    const lines: string[] = [];
    const name = this.options.lwcName;
    const className = upperFirst(name);
    const members: string[] = [];
    if (this.subscriptions.length || this.channelImports.size) {
      this.named('lightning/messageService', 'MessageContext');
      members.push('    @wire(MessageContext)\n    messageContext;');
    }
    for (const attribute of this.attributes.values()) {
      const js = defaultValue(attribute.type, attribute.default);
      const comment = `    /** Aura attribute ${attribute.name}: ${attribute.type}${attribute.required ? ', required' : ''}. */\n`;
      if (attribute.backing) {
        if (attribute.api) this.named('lwc', 'api');
        const change = attribute.changeHandler;
        members.push(
          `${comment}    ${attribute.api ? '@api\n    ' : ''}get ${attribute.name}() {\n        return this.${attribute.backing};\n    }\n    set ${attribute.name}(value) {\n${change ? `        const oldValue = this.${attribute.backing};\n` : ''}        this.${attribute.backing} = value;\n${change ? `        this.${change}({ value, oldValue });\n` : ''}    }\n    ${attribute.backing}${js !== undefined ? ` = ${js}` : ''};`,
        );
      } else if (attribute.api) {
        this.named('lwc', 'api');
        members.push(
          `${comment}    @api ${attribute.name}${js !== undefined && js !== 'false' ? ` = ${js}` : ''};`,
        );
      } else members.push(`${comment}    ${attribute.name}${js !== undefined ? ` = ${js}` : ''};`);
    }
    if (this.labelsUsedInTemplate.size)
      members.push(`    labels = { ${[...this.labelsUsedInTemplate].join(', ')} };`);
    members.push(...this.getters.filter((getter) => !getter.trimStart().startsWith('get ')));
    members.push(...this.wires);
    if (this.subscriptions.length) members.push('    subscriptions = [];');
    const connected = [
      ...this.subscriptions.map(
        (subscription) =>
          `this.subscriptions.push(subscribe(this.messageContext, ${subscription.channel}, (message) => this.${subscription.handler}(message)));`,
      ),
      ...this.connected,
    ];
    if (this.subscriptions.length) {
      this.named('lightning/messageService', 'subscribe');
      this.named('lightning/messageService', 'unsubscribe');
      this.disconnected.unshift(
        'this.subscriptions.forEach((subscription) => unsubscribe(subscription));\n        this.subscriptions = [];',
      );
    }
    const hook = (hookName: string, statements: string[]) =>
      statements.length
        ? [`    ${hookName}() {\n${statements.map((statement) => `        ${statement}`).join('\n')}\n    }`]
        : [];
    members.push(
      ...hook('connectedCallback', connected),
      ...hook('disconnectedCallback', this.disconnected),
      ...hook('renderedCallback', this.rendered),
    );
    members.push(...this.getters.filter((getter) => getter.trimStart().startsWith('get ')));
    members.push(...methods, ...this.twoWayHandlers);
    const lwcImports = [...this.imports.lwc].sort((a, b) =>
      a === 'LightningElement' ? -1 : b === 'LightningElement' ? 1 : a.localeCompare(b),
    );
    lines.push(`import { ${lwcImports.join(', ')} } from 'lwc';`);
    for (const [module, names] of this.imports.named)
      lines.push(`import { ${[...names].join(', ')} } from '${module}';`);
    for (const [module, local] of this.imports.defaults) lines.push(`import ${local} from '${module}';`);
    lines.push('');
    for (const helper of this.moduleHelpers.values()) lines.push(helper, '');
    const base = this.navigation ? `NavigationMixin(LightningElement)` : 'LightningElement';
    lines.push(`/** Migrated from the Aura component c:${this.aura.name}. */`);
    lines.push(`export default class ${className} extends ${base} {`);
    lines.push(members.join('\n\n'));
    lines.push('}', '');
    return lines.join('\n');
  }

  meta(): string {
    const root = this.aura.markup;
    const exposed = this.targets.length > 0 || root.attrs.access === 'global';
    const label = this.aura.design?.root.attrs.label;
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata">',
      `    <apiVersion>${escapeXml(this.options.apiVersion)}</apiVersion>`,
      `    <isExposed>${exposed}</isExposed>`,
    ];
    if (label) lines.push(`    <masterLabel>${escapeXml(label)}</masterLabel>`);
    if (root.attrs.description)
      lines.push(`    <description>${escapeXml(root.attrs.description.slice(0, 255))}</description>`);
    if (this.targets.length) {
      lines.push('    <targets>');
      for (const target of this.targets) lines.push(`        <target>${target}</target>`);
      lines.push('    </targets>');
    }
    const properties: string[] = [];
    for (const element of this.aura.design ? elements(this.aura.design.root) : []) {
      if (element.tag !== 'design:attribute' || !element.attrs.name) continue;
      const attribute = this.attributes.get(element.attrs.name);
      const type = attribute ? lwcType(attribute.type) : 'String';
      const propertyType =
        type === 'Boolean'
          ? 'Boolean'
          : type === 'Number'
            ? 'Integer'
            : type === 'String'
              ? 'String'
              : undefined;
      if (!propertyType) {
        this.part('design', `design:attribute ${element.attrs.name}`, 'none', {
          code: 'unsupported-feature',
          reason: `Its type ${attribute?.type ?? '?'} cannot be a targetConfig property (String, Integer, Boolean).`,
        });
        continue;
      }
      const extra = ['label', 'description', 'default', 'datasource', 'min', 'max', 'placeholder']
        .filter((key) => element.attrs[key] !== undefined)
        .map((key) => ` ${key}="${escapeXml(element.attrs[key]!)}"`)
        .join('');
      const required = attribute?.required ? ' required="true"' : '';
      properties.push(
        `            <property name="${escapeXml(element.attrs.name)}" type="${propertyType}"${extra}${required}/>`,
      );
      this.part(
        'design',
        `design:attribute ${element.attrs.name}`,
        `targetConfig property ${element.attrs.name} (${propertyType})`,
      );
    }
    const configTargets = this.targets.filter((target) => PROPERTY_TARGETS.has(target));
    if (properties.length && configTargets.length) {
      lines.push('    <targetConfigs>');
      lines.push(`        <targetConfig targets="${configTargets.join(',')}">`);
      lines.push(...properties);
      lines.push('        </targetConfig>');
      lines.push('    </targetConfigs>');
    } else if (properties.length)
      this.part('design', this.aura.design!.file, 'none', {
        code: 'unsupported-feature',
        reason:
          'Design attributes need a page target (an interface such as flexipage:availableForAllPageTypes) to become targetConfig properties.',
      });
    lines.push('</LightningComponentBundle>', '');
    return lines.join('\n');
  }

  css(): string | undefined {
    const css = this.aura.css;
    if (!css) return undefined;
    const result = convertCss(css.source);
    this.part(
      'file',
      css.file,
      `${this.options.lwcName}.css (.THIS → :host, ${result.rules} rules)`,
      result.notes.length ? { code: 'unsupported-feature', reason: result.notes.join(' ') } : undefined,
    );
    if (result.notes.length) this.todos += result.notes.length;
    return result.css;
  }
}

interface Roles {
  component?: string;
  event?: string;
  helper?: string;
}

interface TrackedAction {
  method: string;
  params?: JsNode;
  callback?: JsNode;
  enqueued: boolean;
  extras: string[];
}

interface TrackedEvent {
  kind: string;
  params: JsNode[];
  single: [string, JsNode][];
}

/** Translates one controller, helper or renderer function body by splicing rewritten nodes into its source. */
class FunctionTranslator {
  usesEvent = false;
  readonly untranslated: string[] = [];
  readonly notes: string[] = [];
  readonly actions = new Map<string, TrackedAction>();
  readonly events = new Map<string, TrackedEvent>();
  readonly responses = new Set<string>();
  readonly removed = new Set<JsNode>();

  /** `var` declarations that can be `let`: every use of their names is in their block, after them. */
  readonly letSafe = new Set<JsNode>();

  constructor(
    readonly conv: Converter,
    readonly source: string,
    readonly fn: AuraFunction,
    readonly role: 'controller' | 'helper' | 'renderer',
    readonly mode: EventMode,
    readonly roles: Roles,
  ) {
    this.track();
    this.findLetSafe();
  }

  findLetSafe(): void {
    const uses = new Map<string, number[]>();
    walk(this.fn.body, (node, parent) => {
      if (node.type !== 'Identifier') return;
      if (parent?.type === 'MemberExpression' && sub(parent, 'property') === node && parent.computed !== true)
        return;
      if (
        parent?.type === 'ObjectProperty' &&
        sub(parent, 'key') === node &&
        parent.computed !== true &&
        parent.shorthand !== true
      )
        return;
      const name = node.name as string;
      uses.set(name, [...(uses.get(name) ?? []), node.start]);
    });
    const visit = (node: JsNode, container: JsNode) => {
      if (node.type === 'VariableDeclaration' && node.kind === 'var') {
        const names = subs(node, 'declarations').map((declarator) => identifierName(sub(declarator, 'id')));
        if (
          names.every(
            (name) =>
              name !== undefined &&
              (uses.get(name) ?? []).every(
                (at) => at >= node.start && at < container.end && at >= container.start,
              ),
          )
        )
          this.letSafe.add(node);
      }
      const scope = [
        'BlockStatement',
        'ForStatement',
        'ForInStatement',
        'ForOfStatement',
        'SwitchStatement',
      ].includes(node.type)
        ? node
        : container;
      for (const child of jsChildren(node)) visit(child, scope);
    };
    visit(this.fn.body, this.fn.body);
  }

  text(node: JsNode): string {
    return this.source.slice(node.start, node.end);
  }

  /** Finds `var a = cmp.get('c.x')` … `$A.enqueueAction(a)` and `var e = $A.get('e.x')` … `e.fire()` in this function. */
  track(): void {
    walk(this.fn.body, (node) => {
      if (node.type !== 'VariableDeclarator') return;
      const name = identifierName(sub(node, 'id'));
      const init = sub(node, 'init');
      if (!name || !init) return;
      const call = this.callOf(init);
      if (!call) return;
      if (call.object === this.roles.component && call.method === 'get' && call.firstString?.startsWith('c.'))
        this.actions.set(name, { method: call.firstString.slice(2), enqueued: false, extras: [] });
      else if (call.object === this.roles.component && call.method === 'getEvent' && call.firstString)
        this.events.set(name, { kind: `component:${call.firstString}`, params: [], single: [] });
      else if (call.object === '$A' && call.method === 'get' && call.firstString?.startsWith('e.'))
        this.events.set(name, { kind: call.firstString.slice(2), params: [], single: [] });
    });
    walk(this.fn.body, (node) => {
      if (node.type !== 'CallExpression') return;
      const call = this.callOf(node);
      if (!call) return;
      const action = call.object ? this.actions.get(call.object) : undefined;
      const args = subs(node, 'arguments');
      if (action) {
        if (call.method === 'setParams' && args[0]) action.params = args[0];
        else if (call.method === 'setCallback' && args[1]) action.callback = args[1];
        else if (['setStorable', 'setBackground', 'setAbortable'].includes(call.method))
          action.extras.push(call.method);
      }
      if (call.object === '$A' && call.method === 'enqueueAction') {
        const name = identifierName(args[0]);
        const tracked = name ? this.actions.get(name) : undefined;
        if (tracked) tracked.enqueued = true;
      }
      const event = call.object ? this.events.get(call.object) : undefined;
      if (event) {
        if (call.method === 'setParams' && args[0]) event.params.push(args[0]);
        if (call.method === 'setParam' && args[0] && args[1] && stringValue(args[0]) !== undefined)
          event.single.push([stringValue(args[0])!, args[1]]);
      }
    });
    for (const [name, action] of this.actions) if (!action.enqueued) this.actions.delete(name);
  }

  /** `obj.method('first', ...)`: the object's name, the method and the first argument when a string. */
  callOf(node: JsNode): { object?: string; method: string; firstString?: string } | undefined {
    if (node.type !== 'CallExpression') return undefined;
    const callee = sub(node, 'callee');
    if (callee?.type !== 'MemberExpression' || callee.computed === true) return undefined;
    const method = identifierName(sub(callee, 'property'));
    if (!method) return undefined;
    const objectNode = sub(callee, 'object');
    const object = objectNode?.type === 'ThisExpression' ? 'this' : identifierName(objectNode);
    const firstString = stringValue(subs(node, 'arguments')[0]);
    return {
      ...(object !== undefined ? { object } : {}),
      method,
      ...(firstString !== undefined ? { firstString } : {}),
    };
  }

  /** A block statement, each statement translated or, when not mechanical, left as a TODO comment. */
  block(node: JsNode): string {
    let out = '';
    let at = node.start;
    for (const statement of subs(node, 'body')) {
      const gap = this.source.slice(at, statement.start);
      at = statement.end;
      // folded into the Apex call or the event it configures: its line goes
      if (this.isRemovable(statement)) out += gap.replace(/\s+$/, '');
      else out += gap + this.statement(statement);
    }
    return out + this.source.slice(at, node.end);
  }

  statement(statement: JsNode): string {
    const lineStart = this.source.lastIndexOf('\n', statement.start - 1) + 1;
    const lead = this.source.slice(lineStart, statement.start);
    const indent = /^[ \t]*$/.test(lead) ? lead : '';
    try {
      const emitted = this.emit(statement, undefined);
      let timer = false;
      walk(statement, (node) => {
        if (node.type !== 'CallExpression') return;
        const callee = sub(node, 'callee');
        const name =
          identifierName(callee) ??
          (callee?.type === 'MemberExpression' && identifierName(sub(callee, 'object')) === 'window'
            ? identifierName(sub(callee, 'property'))
            : undefined);
        if (name && ['setTimeout', 'setInterval', 'requestAnimationFrame'].includes(name)) timer = true;
      });
      if (!timer) return emitted;
      this.notes.push('a timer kept from the Aura code (eslint no-async-operation disabled around it)');
      return `/* eslint-disable @lwc/lwc/no-async-operation -- kept from the Aura code: check it is still needed */\n${indent}${emitted}\n${indent}/* eslint-enable @lwc/lwc/no-async-operation */`;
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      this.untranslated.push(error.message);
      const original = this.text(statement)
        .split('\n')
        .map((line, index) =>
          index === 0
            ? `${indent}// ${line}`
            : `${indent}// ${line.replace(new RegExp(`^[ \\t]{0,${indent.length}}`), '')}`,
        )
        .join('\n')
        .slice(indent.length);
      let declared = '';
      if (statement.type === 'VariableDeclaration') {
        const names = subs(statement, 'declarations')
          .map((declarator) => identifierName(sub(declarator, 'id')))
          .filter((name): name is string => name !== undefined);
        if (names.length) declared = `\nlet ${names.join(', ')};`;
      }
      // code after the statement on its line must not end up inside the comment
      const rest = /^[ \t]*(\n|$)/.test(this.source.slice(statement.end)) ? '' : `\n${indent}`;
      return `// ${this.conv.todo()}: ${error.message.replace(/\n/g, ' ')}\n${indent}${original}${declared ? `\n${indent}${declared.slice(1)}` : ''}${rest}`;
    }
  }

  /** Declarations and calls that the tracked Apex calls and events absorb. */
  isRemovable(statement: JsNode): boolean {
    if (statement.type === 'VariableDeclaration') {
      const declarators = subs(statement, 'declarations');
      return (
        declarators.length > 0 &&
        declarators.every((declarator) => {
          const name = identifierName(sub(declarator, 'id'));
          return name !== undefined && (this.actions.has(name) || this.events.has(name));
        })
      );
    }
    if (statement.type !== 'ExpressionStatement') return false;
    const call = this.callOf(sub(statement, 'expression')!);
    if (!call?.object) return false;
    if (this.actions.has(call.object))
      return ['setParams', 'setCallback', 'setStorable', 'setBackground', 'setAbortable'].includes(
        call.method,
      );
    if (this.events.has(call.object)) return ['setParams', 'setParam'].includes(call.method);
    // a renderer's this.superAfterRender(): LWC renders the template itself
    if (
      this.role === 'renderer' &&
      call.object === 'this' &&
      /^super(Render|AfterRender|Rerender|Unrender)$/.test(call.method)
    )
      return true;
    return false;
  }

  /** The translated source of a node: patterns rewritten, everything else copied with its children translated. */
  emit(node: JsNode, parent: JsNode | undefined): string {
    const rewritten = this.pattern(node, parent);
    if (rewritten !== undefined) return rewritten;
    if (node.type === 'BlockStatement') return this.block(node);
    if (node.type === 'VariableDeclaration' && node.kind === 'var' && this.letSafe.has(node))
      return `let${this.copy(node).slice(3)}`;
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      const hoisted = this.hoist(node, parent);
      if (hoisted !== undefined) return hoisted;
    }
    return this.copy(node);
  }

  readonly hoisted: string[] = [];

  /** `var a = 1, b` → `a = 1` with a and b declared at the top of the method; undefined for patterns. */
  hoist(node: JsNode, parent: JsNode | undefined): string | undefined {
    const declarators = subs(node, 'declarations');
    const names = declarators.map((declarator) => identifierName(sub(declarator, 'id')));
    if (names.some((name) => name === undefined)) return undefined;
    for (const name of names) if (!this.hoisted.includes(name!)) this.hoisted.push(name!);
    const inFor =
      (parent?.type === 'ForStatement' && sub(parent, 'init') === node) ||
      ((parent?.type === 'ForInStatement' || parent?.type === 'ForOfStatement') &&
        sub(parent, 'left') === node);
    const assignments = declarators
      .filter((declarator) => sub(declarator, 'init') || inFor)
      .map((declarator) => {
        const init = sub(declarator, 'init');
        return init
          ? `${identifierName(sub(declarator, 'id'))} = ${this.emit(init, declarator)}`
          : identifierName(sub(declarator, 'id'))!;
      });
    if (inFor) return assignments.join(', ');
    return assignments.length ? `${assignments.join(', ')};` : '';
  }

  /** The node's source with its children translated. */
  copy(node: JsNode): string {
    let out = '';
    let at = node.start;
    for (const child of jsChildren(node)) {
      out += this.source.slice(at, child.start) + this.emit(child, node);
      at = child.end;
    }
    return out + this.source.slice(at, node.end);
  }

  args(node: JsNode, skipFirst = false): string[] {
    return subs(node, 'arguments')
      .slice(skipFirst ? 1 : 0)
      .map((arg) => this.emit(arg, node));
  }

  /** The params object for an event or Apex call: setParams objects merged with setParam pairs. */
  paramsObject(objects: JsNode[], single: [string, JsNode][]): string {
    const parts = objects.map((object) =>
      object.type === 'ObjectExpression'
        ? this.emit(object, undefined).replace(/^\{\s*|\s*\}$/g, '')
        : `...${this.emit(object, undefined)}`,
    );
    for (const [key, value] of single)
      parts.push(`${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteJs(key)}: ${this.emit(value, undefined)}`);
    const inner = parts.filter((part) => part.trim()).join(', ');
    return inner ? `{ ${inner} }` : '{}';
  }

  /** The properties of an object literal (key → node); undefined when it is not a plain literal. */
  literalProperties(objects: JsNode[], single: [string, JsNode][]): Map<string, JsNode> | undefined {
    const found = new Map<string, JsNode>();
    for (const object of objects) {
      if (object.type !== 'ObjectExpression') return undefined;
      for (const property of subs(object, 'properties')) {
        if (property.type !== 'ObjectProperty' || property.computed === true) return undefined;
        const key = identifierName(sub(property, 'key')) ?? stringValue(sub(property, 'key'));
        if (!key) return undefined;
        found.set(key, sub(property, 'value')!);
      }
    }
    for (const [key, value] of single) found.set(key, value);
    return found;
  }

  fire(event: TrackedEvent, where: string): string {
    const conv = this.conv;
    const kind = event.kind;
    if (kind.startsWith('component:')) {
      const name = kind.slice('component:'.length);
      const lwcName = name.toLowerCase();
      conv.part(
        'event',
        `${where}: component event ${name} fired${conv.registeredEvents.has(name) ? ` (${conv.registeredEvents.get(name)})` : ''}`,
        `this.dispatchEvent(new CustomEvent('${lwcName}', { detail }))`,
        lwcName !== name
          ? {
              code: 'event-name',
              reason: `LWC event names are lower case: the parent listens with on${lwcName}, and reads event.detail instead of event.getParam().`,
            }
          : undefined,
      );
      return `this.dispatchEvent(new CustomEvent(${quoteJs(lwcName)}, { detail: ${this.paramsObject(event.params, event.single)} }))`;
    }
    if (kind === 'force:showToast') {
      const properties = this.literalProperties(event.params, event.single);
      if (!properties) throw new Untranslatable('force:showToast with computed params');
      const toast = conv.named('lightning/platformShowToastEvent', 'ShowToastEvent');
      const entries = [...properties].map(
        ([key, value]) => `${key === 'type' ? 'variant' : key}: ${this.emit(value, undefined)}`,
      );
      conv.part(
        'event',
        `${where}: e.force:showToast`,
        'this.dispatchEvent(new ShowToastEvent({ title, message, variant }))',
      );
      if (properties.has('duration') || properties.has('key'))
        this.notes.push('toast duration/key are not supported by ShowToastEvent');
      return `this.dispatchEvent(new ${toast}({ ${entries.join(', ')} }))`;
    }
    if (
      ['force:navigateToSObject', 'force:navigateToURL', 'force:editRecord', 'force:createRecord'].includes(
        kind,
      )
    ) {
      const properties = this.literalProperties(event.params, event.single);
      if (!properties) throw new Untranslatable(`${kind} with computed params`);
      const value = (key: string) => {
        const node = properties.get(key);
        return node ? this.emit(node, undefined) : undefined;
      };
      let reference: string;
      if (kind === 'force:navigateToURL')
        reference = `{ type: 'standard__webPage', attributes: { url: ${value('url') ?? "''"} } }`;
      else if (kind === 'force:createRecord') {
        if (properties.has('defaultFieldValues'))
          throw new Untranslatable(
            'force:createRecord with defaultFieldValues (use encodeDefaultFieldValues from lightning/pageReferenceUtils)',
          );
        reference = `{ type: 'standard__objectPage', attributes: { objectApiName: ${value('entityApiName') ?? "''"}, actionName: 'new' } }`;
      } else
        reference = `{ type: 'standard__recordPage', attributes: { recordId: ${value('recordId') ?? 'this.recordId'}, actionName: '${kind === 'force:editRecord' ? 'edit' : 'view'}' } }`;
      conv.named('lightning/navigation', 'NavigationMixin');
      conv.navigation = true;
      conv.part(
        'event',
        `${where}: e.${kind}`,
        `this[NavigationMixin.Navigate](${reference.replace(/: [^,}]+(?=[,}])/g, ': …')})`,
      );
      return `this[NavigationMixin.Navigate](${reference})`;
    }
    if (kind === 'force:closeQuickAction') {
      const close = conv.named('lightning/actions', 'CloseActionScreenEvent');
      conv.part(
        'event',
        `${where}: e.force:closeQuickAction`,
        'this.dispatchEvent(new CloseActionScreenEvent())',
      );
      return `this.dispatchEvent(new ${close}())`;
    }
    if (kind.startsWith('c:')) {
      const channel = conv.channel(kind.slice(2));
      conv.named('lightning/messageService', 'publish');
      conv.part(
        'event',
        `${where}: application event ${kind} fired`,
        `publish(this.messageContext, ${channel}, payload)`,
        {
          code: 'application-event',
          reason:
            'Application events become a Lightning Message Service channel here; DOM events (parent-child) or a shared module are the other choices.',
        },
      );
      return `publish(this.messageContext, ${channel}, ${this.paramsObject(event.params, event.single)})`;
    }
    throw new Untranslatable(
      `the event e.${kind} has no mechanical LWC equivalent${kind === 'force:refreshView' ? ' (refreshApex, RefreshEvent or notifyRecordUpdateAvailable)' : ''}`,
    );
  }

  /** A function expression as an arrow function (so `this` stays the component), its body translated. */
  arrow(node: JsNode): string {
    let usesOwnThis = false;
    walk(sub(node, 'body')!, (inner) => {
      if (inner.type === 'ThisExpression' || (inner.type === 'Identifier' && inner.name === 'arguments'))
        usesOwnThis = true;
    });
    if (usesOwnThis || node.generator === true)
      throw new Untranslatable('a nested function that uses its own this/arguments');
    const params = subs(node, 'params').map((param) => this.emit(param, node));
    const body = sub(node, 'body')!;
    return `${node.async === true ? 'async ' : ''}(${params.join(', ')}) => ${body.type === 'BlockStatement' ? this.block(body) : this.emit(body, node)}`;
  }

  apexCall(action: TrackedAction): string {
    const conv = this.conv;
    if (!conv.apexClass)
      throw new Untranslatable(`c.${action.method}: the component names no Apex controller`);
    let local = conv.apexImports.get(action.method);
    if (!local) {
      // a method of the class with the same name would read well but confuse: the import gets its own name
      const preferred = conv.members.has(action.method) ? `apex${upperFirst(action.method)}` : action.method;
      local = conv.defaultImport(`@salesforce/apex/${conv.apexClass}.${action.method}`, preferred);
      conv.apexImports.set(action.method, local);
    }
    const params = action.params ? this.emit(action.params, undefined) : '';
    let then = '';
    const callback = action.callback;
    if (callback) {
      if (callback.type !== 'FunctionExpression' && callback.type !== 'ArrowFunctionExpression')
        throw new Untranslatable(`the callback of c.${action.method} is not a function literal`);
      const responseName = identifierName(subs(callback, 'params')[0]);
      if (responseName) this.responses.add(responseName);
      then = `.then(${this.arrow(callback)})`;
      conv.moduleHelper('settle');
    }
    conv.part(
      'apex',
      `${this.role} ${this.fn.name}: c.${action.method} + $A.enqueueAction${callback ? ' with a callback' : ''}`,
      `import ${local} from '@salesforce/apex/${conv.apexClass}.${action.method}'; ${callback ? `settle(${local}(params)).then((response) => …) (response.state, .returnValue, .errors)` : `${local}(params)`}`,
      action.extras.includes('setStorable')
        ? {
            code: 'unsupported-feature',
            reason: `c.${action.method} was storable: mark the Apex method @AuraEnabled(cacheable=true) and consider @wire.`,
          }
        : undefined,
    );
    return callback ? `settle(${local}(${params}))${then}` : `${local}(${params})`;
  }

  pattern(node: JsNode, parent: JsNode | undefined): string | undefined {
    const { component, event, helper } = this.roles;
    if (node.type === 'Identifier') {
      const name = node.name as string;
      if (parent?.type === 'MemberExpression' && sub(parent, 'property') === node && parent.computed !== true)
        return undefined;
      if (
        parent?.type === 'ObjectProperty' &&
        sub(parent, 'key') === node &&
        parent.computed !== true &&
        parent.shorthand !== true
      )
        return undefined;
      if (name === component) throw new Untranslatable(`${name} (the Aura component) used as a value`);
      if (name === helper) throw new Untranslatable(`${name} (the helper) used as a value`);
      if (name === '$A') throw new Untranslatable('$A used as a value');
      if (name === event) this.usesEvent = true;
      return undefined;
    }
    if (node.type === 'FunctionExpression') return this.arrow(node);
    if (node.type === 'ThisExpression' && this.role === 'controller')
      throw new Untranslatable("the controller's this");
    if (node.type === 'MemberExpression' && node.computed !== true) {
      const object = sub(node, 'object');
      const property = identifierName(sub(node, 'property'));
      // $A.util.x used without a call, response.x, ...
      if (identifierName(object) === '$A' && property !== 'util') throw new Untranslatable(`$A.${property}`);
      return undefined;
    }
    if (node.type !== 'CallExpression') return undefined;
    const callee = sub(node, 'callee')!;
    const args = subs(node, 'arguments');
    // $A.util.x(...)
    if (callee.type === 'MemberExpression' && sub(callee, 'object')?.type === 'MemberExpression') {
      const inner = sub(callee, 'object')!;
      if (
        identifierName(sub(inner, 'object')) === '$A' &&
        identifierName(sub(inner, 'property')) === 'util'
      ) {
        const util = identifierName(sub(callee, 'property'));
        const a = this.args(node);
        switch (util) {
          case 'isEmpty':
            return `${this.conv.moduleHelper('isEmpty')}(${a[0]})`;
          case 'isUndefinedOrNull':
            return `${this.conv.moduleHelper('isUndefinedOrNull')}(${a[0]})`;
          case 'isUndefined':
            return `(${a[0]} === undefined)`;
          case 'isArray':
            return `Array.isArray(${a[0]})`;
          case 'isObject':
            return `${this.conv.moduleHelper('isObject')}(${a[0]})`;
          case 'addClass':
            return `${a[0]}.classList.add(${a[1]})`;
          case 'removeClass':
            return `${a[0]}.classList.remove(${a[1]})`;
          case 'toggleClass':
            return `${a[0]}.classList.toggle(${a[1]})`;
          case 'hasClass':
            return `${a[0]}.classList.contains(${a[1]})`;
          default:
            throw new Untranslatable(`$A.util.${util}()`);
        }
      }
    }
    const call = this.callOf(node);
    // chained event: $A.get('e.x').setParams({...}).fire() / cmp.getEvent('x').fire()
    if (call?.method === 'fire') {
      const chain = this.eventChain(sub(callee, 'object')!);
      if (chain) return this.fire(chain, `${this.role} ${this.fn.name}`);
      if (call.object && this.events.has(call.object))
        return this.fire(this.events.get(call.object)!, `${this.role} ${this.fn.name}`);
    }
    if (!call) {
      // helper.x() through a computed callee, or a plain function call
      return undefined;
    }
    const object = call.object;
    if (object === '$A') {
      if (call.method === 'enqueueAction') {
        const name = identifierName(args[0]);
        const action = name ? this.actions.get(name) : undefined;
        if (!action) throw new Untranslatable('$A.enqueueAction of an action made elsewhere');
        return this.apexCall(action);
      }
      if (call.method === 'getCallback' && args[0])
        return args[0].type === 'FunctionExpression' ? this.arrow(args[0]) : this.emit(args[0], node);
      if (call.method === 'get' && call.firstString) return this.globalValue(call.firstString);
      if (call.method === 'log') return `console.log(${this.args(node).join(', ')})`;
      throw new Untranslatable(`$A.${call.method}()`);
    }
    if (object !== undefined && object === component) {
      const path = call.firstString;
      switch (call.method) {
        case 'get':
          if (path?.startsWith('v.') && path !== 'v.body') return `this.${this.readPath(path.slice(2))}`;
          throw new Untranslatable(`${component}.get(${quoteJs(path ?? '…')})`);
        case 'set': {
          if (!path?.startsWith('v.') || path === 'v.body')
            throw new Untranslatable(`${component}.set(${quoteJs(path ?? '…')})`);
          const value = args[1] ? this.emit(args[1], node) : 'undefined';
          const segments = path.slice(2).split('.');
          const target = this.writeTarget(segments[0]!);
          let assignment: string;
          if (segments.length === 1) assignment = `this.${target} = ${value}`;
          else if (segments.length === 2)
            assignment = `this.${target} = { ...this.${target}, ${segments[1]}: ${value} }`;
          else throw new Untranslatable(`${component}.set('${path}') on a nested path`);
          return parent?.type === 'ExpressionStatement' ? assignment : `(${assignment})`;
        }
        case 'find': {
          if (!path) throw new Untranslatable(`${component}.find() with a computed id`);
          if ((this.conv.auraIds.get(path) ?? 0) > 1)
            throw new Untranslatable(
              `${component}.find('${path}') finds several elements (use this.template.querySelectorAll)`,
            );
          return `this.template.querySelector('[data-id="${path.replace(/["'\\]/g, '')}"]')`;
        }
        case 'isValid':
          return 'this.isConnected';
        case 'getEvent': {
          throw new Untranslatable(`${component}.getEvent(${quoteJs(path ?? '')}) used without fire()`);
        }
        default:
          throw new Untranslatable(`${component}.${call.method}()`);
      }
    }
    if (object !== undefined && (object === helper || (this.role === 'helper' && object === 'this'))) {
      const member = this.conv.helperMember.get(call.method);
      if (!member) {
        if (object === 'this') return undefined;
        throw new Untranslatable(`${helper}.${call.method}() (not a helper function)`);
      }
      const takesComponent = this.conv.helperTakesComponent.get(call.method) === true;
      const first = args[0];
      const skip = takesComponent && first !== undefined && identifierName(first) === component;
      if (takesComponent && !skip)
        throw new Untranslatable(`${object}.${call.method}() called without the component first`);
      return `this.${member}(${this.args(node, skip).join(', ')})`;
    }
    if (object !== undefined && object === event && this.role === 'controller') {
      const translated = this.eventCall(call.method, call.firstString, event, node);
      this.usesEvent = true;
      return translated;
    }
    if (object !== undefined && this.responses.has(object)) {
      if (call.method === 'getState') return `${object}.state`;
      if (call.method === 'getReturnValue') return `${object}.returnValue`;
      if (call.method === 'getError') return `${object}.errors`;
      throw new Untranslatable(`${object}.${call.method}() on the Apex response`);
    }
    // another component or element: x.get('v.y') → x.y, x.set('v.y', z) → x.y = z
    if (call.method === 'get' && call.firstString?.startsWith('v.'))
      return `${this.emit(sub(callee, 'object')!, callee)}.${call.firstString.slice(2)}`;
    if (call.method === 'set' && call.firstString?.startsWith('v.') && args[1]) {
      const assignment = `${this.emit(sub(callee, 'object')!, callee)}.${call.firstString.slice(2)} = ${this.emit(args[1], node)}`;
      return parent?.type === 'ExpressionStatement' ? assignment : `(${assignment})`;
    }
    if (call.method === 'getLocalId') return `${this.emit(sub(callee, 'object')!, callee)}.dataset.id`;
    if (AURA_ONLY_METHODS.has(call.method) && object !== 'this')
      throw new Untranslatable(`.${call.method}() is Aura's API, not the element's`);
    if (call.method === 'showHelpMessageIfInvalid')
      return `${this.emit(sub(callee, 'object')!, callee)}.reportValidity()`;
    if (
      ['setParams', 'setParam', 'setCallback'].includes(call.method) &&
      object &&
      (this.actions.has(object) || this.events.has(object))
    )
      throw new Untranslatable(`${object}.${call.method}() inside an expression`);
    return undefined;
  }

  /** The tracked event a `.fire()` chain starts from: `$A.get('e.x').setParams({...})` or `cmp.getEvent('x')`. */
  eventChain(node: JsNode): TrackedEvent | undefined {
    const params: JsNode[] = [];
    let current: JsNode | undefined = node;
    for (;;) {
      const call = current ? this.callOf(current) : undefined;
      if (!call) return undefined;
      if (call.method === 'setParams') {
        const arg = subs(current!, 'arguments')[0];
        if (arg) params.unshift(arg);
        current = sub(sub(current!, 'callee'), 'object');
        continue;
      }
      if (call.object === '$A' && call.method === 'get' && call.firstString?.startsWith('e.'))
        return { kind: call.firstString.slice(2), params, single: [] };
      if (call.object === this.roles.component && call.method === 'getEvent' && call.firstString)
        return { kind: `component:${call.firstString}`, params, single: [] };
      if (call.object && this.events.has(call.object) && call.method === 'setParams') continue;
      return undefined;
    }
  }

  eventCall(method: string, first: string | undefined, event: string, node: JsNode): string {
    const mode = this.mode;
    if (mode === 'none')
      throw new Untranslatable(`${event}.${method}(): LWC calls this handler without an event`);
    switch (method) {
      case 'getParam':
        if (first === undefined) throw new Untranslatable(`${event}.getParam() with a computed name`);
        if (mode === 'method' && first === 'arguments')
          return `{ ${(this.conv.methodParams.get(this.fn.name) ?? []).join(', ')} }`;
        if (mode === 'lms' || mode === 'change') return `${event}.${first}`;
        return `${event}.detail.${first}`;
      case 'getParams':
        return mode === 'lms' || mode === 'change' ? event : `${event}.detail`;
      case 'getSource':
        if (mode !== 'dom') throw new Untranslatable(`${event}.getSource() outside a DOM event handler`);
        return `${event}.target`;
      case 'getName':
        return `${event}.type`;
      case 'stopPropagation':
      case 'preventDefault':
        if (mode === 'lms' || mode === 'change')
          throw new Untranslatable(`${event}.${method}() on a message`);
        return `${event}.${method}()`;
      default:
        throw new Untranslatable(`${event}.${method}()${node ? '' : ''}`);
    }
  }

  readPath(path: string): string {
    const attribute = this.conv.attributes.get(path.split('.')[0]!);
    if (!attribute && !this.notes.some((note) => note.startsWith(`v.${path.split('.')[0]} `)))
      this.notes.push(`v.${path.split('.')[0]} is read but not declared`);
    if (attribute?.backing && !attribute.api)
      return `${attribute.backing}${path.slice(attribute.name.length)}`;
    return path;
  }

  writeTarget(name: string): string {
    const attribute = this.conv.attributes.get(name);
    if (!attribute) {
      this.notes.push(`v.${name} is not a declared attribute (a field is made for it)`);
      if (!this.conv.members.has(name)) {
        this.conv.members.add(name);
        this.conv.getters.push(
          `    /** Set by the migrated code; not a declared Aura attribute. */\n    ${name};`,
        );
      }
      return name;
    }
    // a private field's setter (its change handler) runs as in Aura; a public one's backing field is written
    return attribute.api ? (attribute.backing ?? attribute.name) : attribute.name;
  }

  globalValue(key: string): string {
    if (key.startsWith('e.')) throw new Untranslatable(`$A.get('${key}') used without fire()`);
    const name = this.conv.globalImport(key);
    if (name === undefined) throw new Untranslatable(`$A.get('${key}')`);
    return name;
  }
}

/** Re-indents a block's lines: the method body at 8 spaces, the braces at 4. */
function reindent(block: string, level: number): string {
  const lines = block.split('\n');
  if (lines.length === 1) return block;
  const inner = lines.slice(1);
  const widths = inner
    .filter((line) => line.trim())
    .map((line) => /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length);
  const last = inner[inner.length - 1] ?? '';
  const base = Math.min(...widths, /^[ \t]*/.exec(last)![0].length);
  const pad = '    '.repeat(level);
  return [
    lines[0],
    ...inner.map((line) => {
      if (!line.trim()) return '';
      const expanded = line.replace(/^[ \t]*/, (lead) => lead.replace(/\t/g, '    '));
      return pad + expanded.slice(Math.min(base, /^ */.exec(expanded)![0].length));
    }),
  ].join('\n');
}

/** Splits text on Aura expressions {!...} and {#...}, quotes inside them respected. */
export function splitExpressions(text: string): { literal?: string; expression?: string }[] {
  const out: { literal?: string; expression?: string }[] = [];
  let at = 0;
  let literal = '';
  while (at < text.length) {
    if (text[at] === '{' && (text[at + 1] === '!' || text[at + 1] === '#')) {
      let end = at + 2;
      let quote: string | undefined;
      for (; end < text.length; end++) {
        const ch = text[end];
        if (quote) {
          if (ch === '\\') end++;
          else if (ch === quote) quote = undefined;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '}') break;
      }
      if (end >= text.length) {
        literal += text.slice(at);
        break;
      }
      if (literal) out.push({ literal });
      literal = '';
      out.push({ expression: text.slice(at + 2, end).trim() });
      at = end + 1;
      continue;
    }
    literal += text[at];
    at++;
  }
  if (literal) out.push({ literal });
  return out;
}

function literalOf(expression: string): string | number | boolean | null | undefined {
  try {
    const node = jsParser().parseExpression(auraOperators(expression), {});
    if (node.type === 'StringLiteral' || node.type === 'NumericLiteral' || node.type === 'BooleanLiteral')
      return node.value as string | number | boolean;
    if (node.type === 'NullLiteral') return null;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Root identifiers an expression reads (not property names). */
function freeNames(node: JsNode): string[] {
  const names: string[] = [];
  walk(node, (current, parent) => {
    if (current.type !== 'Identifier') return;
    if (
      parent?.type === 'MemberExpression' &&
      sub(parent, 'property') === current &&
      parent.computed !== true
    )
      return;
    if (parent?.type === 'CallExpression' && sub(parent, 'callee') === current) return;
    names.push(current.name as string);
  });
  return names;
}

let booleanAttributes: Map<string, Set<string>> | undefined;

function isBooleanAttribute(tag: string, name: string): boolean {
  return booleanAttributes?.get(tag)?.has(name) ?? false;
}

/** Aura CSS → LWC CSS: .THIS → :host, `.THIS .x` → `.x`, `.THIS.x` → `:host(.x)`. */
function convertCss(source: string): { css: string; rules: number; notes: string[] } {
  if (!cssTools) throw new Error('The CSS tools are not loaded (loadMigrationTools).');
  return cssTools(source);
}

let cssTools: ((source: string) => { css: string; rules: number; notes: string[] }) | undefined;

interface SelectorNode {
  type: string;
  value?: string;
  toString(): string;
}

/**
 * Loads what the migration needs from the LWC toolchain: the base components' Boolean attributes (the LWC
 * language server's catalogue) and postcss with postcss-selector-parser (as @lwc/style-compiler installs them).
 */
export async function loadMigrationTools(): Promise<void> {
  if (cssTools && booleanAttributes) return;
  const { createRequire } = await import('node:module');
  const { readFile } = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const here = createRequire(import.meta.url);
  const serverDir = dirname(here.resolve('@salesforce/lwc-language-server/package.json'));
  const catalogue = JSON.parse(
    await readFile(join(serverDir, 'lib/resources/transformed-lwc-standard.json'), 'utf8'),
  ) as {
    tags: { name: string; description?: string }[];
  };
  const booleans = new Map<string, Set<string>>();
  for (const tag of catalogue.tags) {
    const names = new Set<string>();
    for (const line of (tag.description ?? '').split('\n')) {
      const match = /^\* \*\*([\w-]+)\*\*: \*BOOLEAN\*/.exec(line);
      if (match) names.add(match[1]!);
    }
    booleans.set(tag.name, names);
  }
  booleanAttributes = booleans;
  const fromCompiler = createRequire(here.resolve('@lwc/compiler'));
  const fromStyle = createRequire(fromCompiler.resolve('@lwc/style-compiler'));
  const postcss = fromStyle('postcss') as {
    parse(source: string): {
      walkRules(visit: (rule: { selector: string }) => void): void;
      walkDecls(visit: (decl: { value: string; prop: string }) => void): void;
      toString(): string;
    };
  };
  const selectorParser = fromStyle('postcss-selector-parser') as (
    transform: (selectors: {
      each(visit: (selector: { nodes: SelectorNode[]; toString(): string }) => void): void;
      toString(): string;
    }) => void,
  ) => { processSync(selector: string, options?: Record<string, unknown>): string };
  cssTools = (source) => {
    const notes: string[] = [];
    let rules = 0;
    let root;
    try {
      root = postcss.parse(source);
    } catch (error) {
      return {
        css: source,
        rules: 0,
        notes: [`The CSS could not be parsed (${(error as Error).message}); copied as it is.`],
      };
    }
    root.walkRules((rule) => {
      rules++;
      const outputs: string[] = [];
      selectorParser((selectors) => {
        selectors.each((selector) => {
          const compounds: SelectorNode[][] = [[]];
          const combinators: string[] = [];
          for (const node of selector.nodes) {
            if (node.type === 'combinator') {
              combinators.push(node.toString());
              compounds.push([]);
            } else compounds[compounds.length - 1]!.push(node);
          }
          const isThis = (node: SelectorNode) => node.type === 'class' && node.value === 'THIS';
          const first = compounds[0]!;
          if (!first.some(isThis)) {
            if (compounds.some((compound) => compound.some(isThis)))
              notes.push(
                `${selector.toString().trim()}: .THIS is not first; an LWC styles only its own template.`,
              );
            outputs.push(
              selector
                .toString()
                .trim()
                .replace(/\.THIS\b/g, ':host'),
            );
            return;
          }
          const rest = first
            .filter((node) => !isThis(node))
            .map((node) => node.toString().trim())
            .join('');
          const host = rest ? `:host(${rest})` : ':host';
          const tail = compounds
            .slice(1)
            .map(
              (compound, index) => `${combinators[index]}${compound.map((node) => node.toString()).join('')}`,
            )
            .join('');
          if (!rest && combinators[0] !== undefined && combinators[0].trim() === '')
            outputs.push(tail.trim());
          else outputs.push(`${host}${tail}`.trim());
        });
      }).processSync(rule.selector);
      rule.selector = outputs.join(', ');
    });
    root.walkDecls((decl) => {
      if (/\b(token|t)\(/.test(decl.value))
        notes.push(
          `${decl.prop}: ${decl.value} uses an Aura token; use a styling hook (var(--slds-...)) or a CSS custom property.`,
        );
    });
    return { css: root.toString(), rules, notes };
  };
}

const WORD_OPERATORS: Record<string, string> = { eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=' };

/** Aura's word operators (eq, ne, lt, gt, le, ge: markup cannot hold < and >) as JavaScript's, outside strings. */
export function auraOperators(expression: string): string {
  let out = '';
  let quote: string | undefined;
  for (let at = 0; at < expression.length; at++) {
    const ch = expression[at]!;
    if (quote) {
      out += ch;
      if (ch === '\\') out += expression[++at] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(expression.slice(at))?.[0];
    if (word) {
      const previous = out.trimEnd().slice(-1);
      out +=
        WORD_OPERATORS[word] !== undefined && previous !== '.' && previous !== ''
          ? WORD_OPERATORS[word]
          : word;
      at += word.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A JSON value as a JavaScript literal in the LWC style (single quotes). */
function jsLiteral(value: unknown): string {
  if (typeof value === 'string') return quoteJs(value);
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quoteJs(key)}: ${jsLiteral(item)}`,
    );
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}
