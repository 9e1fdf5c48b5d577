/**
 * The Lightning base component catalogue the LWC language server ships
 * (@salesforce/lwc-language-server lib/resources/transformed-lwc-standard.json): 81 tags, each with a
 * description in markdown and its attributes. Loaded on first use and kept.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface LbcAttribute {
  name: string;
  /** STRING, BOOLEAN, INTEGER, OBJECT, LIST, DECIMAL, NUMBER, as the catalogue writes it. */
  type: string;
  description: string;
  required: boolean;
}

export interface LbcComponent {
  /** lightning-button */
  tag: string;
  /** First paragraph of the catalogue's description ('' when it has none). */
  description: string;
  attributes: LbcAttribute[];
  /** For the entries that are JS modules, not tags: lightning/uiRecordApi and its exports. */
  module?: { specifier: string; exports: string[] };
  events: string[];
  methods: string[];
  slots: string[];
  docUrl: string;
}

interface RawTag {
  name: string;
  description: string | null;
  attributes?: { name: string; description: string | null }[];
}

/**
 * The catalogue entries that are JavaScript modules (no markup): their import specifier and main exports.
 * The catalogue lists them without attributes or description; these are the modules' documented exports.
 */
const MODULES: Record<string, { specifier: string; exports: string[]; description: string }> = {
  'lightning-ui-record-api': {
    specifier: 'lightning/uiRecordApi',
    exports: [
      'getRecord',
      'getRecords',
      'getFieldValue',
      'getFieldDisplayValue',
      'getRecordCreateDefaults',
      'createRecord',
      'updateRecord',
      'deleteRecord',
      'generateRecordInputForCreate',
      'generateRecordInputForUpdate',
      'createRecordInputFilteredByEditedFields',
      'notifyRecordUpdateAvailable',
    ],
    description: 'Lightning Data Service wire adapters and functions for records (UI API).',
  },
  'lightning-ui-object-info-api': {
    specifier: 'lightning/uiObjectInfoApi',
    exports: ['getObjectInfo', 'getObjectInfos', 'getPicklistValues', 'getPicklistValuesByRecordType'],
    description: 'Wire adapters for object metadata and picklist values (UI API).',
  },
  'lightning-ui-list-api': {
    specifier: 'lightning/uiListApi',
    exports: ['getListUi'],
    description:
      'List view data (getListUi, deprecated). Prefer lightning/uiListsApi: getListInfoByName, getListInfosByName, getListRecordsByName.',
  },
  'lightning-navigation': {
    specifier: 'lightning/navigation',
    exports: ['NavigationMixin', 'CurrentPageReference'],
    description:
      'Navigate to pages and generate URLs from a pageReference (this[NavigationMixin.Navigate](pageRef)).',
  },
  'lightning-platform-show-toast-event': {
    specifier: 'lightning/platformShowToastEvent',
    exports: ['ShowToastEvent'],
    description: 'Shows a toast: this.dispatchEvent(new ShowToastEvent({ title, message, variant })).',
  },
  'lightning-message-service': {
    specifier: 'lightning/messageService',
    exports: [
      'publish',
      'subscribe',
      'unsubscribe',
      'MessageContext',
      'APPLICATION_SCOPE',
      'createMessageContext',
      'releaseMessageContext',
    ],
    description: 'Lightning Message Service: publish and subscribe on a message channel across the DOM.',
  },
  'lightning-emp-api': {
    specifier: 'lightning/empApi',
    exports: ['subscribe', 'unsubscribe', 'onError', 'setDebugFlag', 'isEmpEnabled'],
    description: 'Subscribe to platform events and change data capture channels (streaming API).',
  },
  'lightning-flow-support': {
    specifier: 'lightning/flowSupport',
    exports: [
      'FlowAttributeChangeEvent',
      'FlowNavigationNextEvent',
      'FlowNavigationBackEvent',
      'FlowNavigationPauseEvent',
      'FlowNavigationFinishEvent',
    ],
    description: 'Events a screen flow component dispatches to change flow variables and navigate.',
  },
  'lightning-platform-resource-loader': {
    specifier: 'lightning/platformResourceLoader',
    exports: ['loadScript', 'loadStyle'],
    description: 'Loads a JavaScript or CSS static resource: loadScript(this, url) returns a promise.',
  },
  'lightning-page-reference-utils': {
    specifier: 'lightning/pageReferenceUtils',
    exports: ['encodeDefaultFieldValues', 'decodeDefaultFieldValues'],
    description:
      'Encodes and decodes default field values for a standard__objectPage new-record pageReference.',
  },
};

/** Events, methods and slots of the common components (the catalogue lists attributes only). */
const EXTRAS: Record<string, { events?: string[]; methods?: string[]; slots?: string[] }> = {
  'lightning-button': { events: ['click'], methods: ['focus'] },
  'lightning-button-icon': { events: ['click'], methods: ['focus'] },
  'lightning-button-stateful': { events: ['click'] },
  'lightning-button-icon-stateful': { events: ['click'] },
  'lightning-button-menu': { events: ['select (detail.value)', 'open', 'close'], slots: ['default'] },
  'lightning-input': {
    events: ['change (detail.value / detail.checked)', 'commit', 'focus', 'blur'],
    methods: [
      'checkValidity',
      'reportValidity',
      'setCustomValidity',
      'showHelpMessageIfInvalid',
      'focus',
      'blur',
    ],
  },
  'lightning-textarea': {
    events: ['change (detail.value)', 'focus', 'blur'],
    methods: ['checkValidity', 'reportValidity', 'setCustomValidity', 'focus', 'blur'],
  },
  'lightning-combobox': {
    events: ['change (detail.value)', 'focus', 'blur'],
    methods: ['checkValidity', 'reportValidity', 'setCustomValidity', 'focus', 'blur'],
  },
  'lightning-checkbox-group': {
    events: ['change (detail.value)'],
    methods: ['checkValidity', 'reportValidity'],
  },
  'lightning-radio-group': {
    events: ['change (detail.value)'],
    methods: ['checkValidity', 'reportValidity'],
  },
  'lightning-dual-listbox': {
    events: ['change (detail.value)'],
    methods: ['checkValidity', 'reportValidity'],
  },
  'lightning-slider': { events: ['change (detail.value)'] },
  'lightning-input-rich-text': { events: ['change'] },
  'lightning-input-address': { events: ['change (detail.street, city, ...)'] },
  'lightning-input-name': { events: ['change'] },
  'lightning-input-location': { events: ['change'] },
  'lightning-input-field': { events: ['change (detail.value)'], methods: ['reset'] },
  'lightning-record-picker': { events: ['change (detail.recordId)'], methods: ['clearSelection'] },
  'lightning-file-upload': { events: ['uploadfinished (detail.files)'] },
  'lightning-datatable': {
    events: [
      'rowselection (detail.selectedRows)',
      'rowaction (detail.action, detail.row)',
      'sort (detail.fieldName, detail.sortDirection)',
      'save (detail.draftValues)',
      'cancel',
      'cellchange',
      'loadmore',
      'headeraction',
      'resize',
    ],
    methods: ['getSelectedRows'],
  },
  'lightning-tree-grid': {
    events: ['toggle (detail.name, detail.isExpanded)', 'rowselection', 'rowaction'],
    methods: ['expandAll', 'collapseAll', 'getSelectedRows'],
  },
  'lightning-tree': { events: ['select (detail.name)'] },
  'lightning-record-edit-form': {
    events: ['load', 'submit (detail.fields)', 'success (detail.id)', 'error'],
    methods: ['submit'],
    slots: ['default'],
  },
  'lightning-record-form': { events: ['load', 'submit', 'success', 'error', 'cancel'] },
  'lightning-record-view-form': { events: ['load', 'error'], slots: ['default'] },
  'lightning-card': { slots: ['title', 'actions', 'footer', 'default'] },
  'lightning-accordion': { events: ['sectiontoggle (detail.openSections)'], slots: ['default'] },
  'lightning-accordion-section': { slots: ['default', 'actions'] },
  'lightning-tabset': { slots: ['default'] },
  'lightning-tab': { events: ['active'], slots: ['default'] },
  'lightning-layout': { slots: ['default'] },
  'lightning-layout-item': { slots: ['default'] },
  'lightning-tile': { slots: ['default', 'media'] },
  'lightning-pill': { events: ['remove'], slots: ['default'] },
  'lightning-pill-container': { events: ['itemremove (detail.item, detail.index)'] },
  'lightning-vertical-navigation': { events: ['select (detail.name)'], slots: ['default'] },
  'lightning-map': { events: ['markerselect (detail.selectedMarkerValue)'] },
  'lightning-progress-indicator': { slots: ['default'] },
  'lightning-breadcrumbs': { slots: ['default'] },
  'lightning-button-group': { slots: ['default'] },
  'lightning-carousel': { slots: ['default'] },
};

/** Attributes a usage example shows when the component has them, with the value it gives them. */
const EXAMPLE_VALUES: [string, string][] = [
  ['label', '"Label"'],
  ['title', '"Title"'],
  ['name', '"name"'],
  ['object-api-name', '"Account"'],
  ['record-id', '{recordId}'],
  ['field-name', '"Name"'],
  ['key-field', '"id"'],
  ['data', '{data}'],
  ['columns', '{columns}'],
  ['items', '{items}'],
  ['options', '{options}'],
  ['value', '{value}'],
  ['icon-name', '"utility:info"'],
  ['src', '{imageUrl}'],
  ['content', '"Help text"'],
  ['variant', '"brand"'],
];

/** Attributes whose value in an example is a JS property; for valid events we add an onchange/onclick. */
const CHANGE_EVENT = /^change\b/;

let cache: Promise<LbcComponent[]> | undefined;

function attributeTypes(markdown: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of markdown.matchAll(/^\* \*\*([^*]+)\*\*: \*([A-Z_]+)\*/gm))
    types.set(match[1]!, match[2]!);
  return types;
}

function firstParagraph(markdown: string | null): string {
  if (!markdown) return '';
  const head = markdown.split(/\n\[View in Component Library\]|\n#{1,6} |\n\n/)[0]!.trim();
  return head === 'null' ? '' : head.replace(/\s+/g, ' ');
}

function isRequired(description: string): boolean {
  return /^required\b|\bthis (value|attribute|field|property) is required\b|\bis required\.?$/i.test(
    description,
  );
}

async function load(): Promise<LbcComponent[]> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@salesforce/lwc-language-server/package.json'));
  const raw = JSON.parse(
    await readFile(join(root, 'lib/resources/transformed-lwc-standard.json'), 'utf8'),
  ) as { tags: RawTag[] };
  return raw.tags
    .map((entry): LbcComponent => {
      const types = attributeTypes(entry.description ?? '');
      const moduleInfo = MODULES[entry.name];
      const extras = EXTRAS[entry.name] ?? {};
      const all = (entry.attributes ?? []).map((attribute) => {
        const description = (attribute.description ?? '').replace(/\s+/g, ' ').trim();
        return {
          name: attribute.name,
          type: types.get(attribute.name) ?? '',
          description,
          required: isRequired(description),
        };
      });
      // The catalogue lists event handlers as on* attributes: those are the events.
      const handlers = all.filter((attribute) => /^on[a-z]+$/.test(attribute.name));
      const events = handlers.map((attribute) => {
        const name = attribute.name.slice(2);
        return extras.events?.find((event) => event === name || event.startsWith(`${name} `)) ?? name;
      });
      for (const event of extras.events ?? [])
        if (!events.some((known) => known.split(' ')[0] === event.split(' ')[0])) events.push(event);
      return {
        tag: entry.name,
        description: firstParagraph(entry.description) || moduleInfo?.description || '',
        attributes: all.filter((attribute) => !handlers.includes(attribute)),
        events,
        ...(moduleInfo ? { module: { specifier: moduleInfo.specifier, exports: moduleInfo.exports } } : {}),
        methods: extras.methods ?? [],
        slots: extras.slots ?? [],
        docUrl: `https://developer.salesforce.com/docs/component-library/bundle/${entry.name}`,
      };
    })
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

/** Every component of the catalogue, sorted by tag. */
export function lbcCatalog(): Promise<LbcComponent[]> {
  cache ??= load().catch((error: unknown) => {
    cache = undefined;
    throw error;
  });
  return cache;
}

/**
 * The tag a name means: "button", "lightning-button", "lightning:button", "lightning/button",
 * "lightningButton", "buttonIcon" → lightning-button / lightning-button-icon.
 */
export function normalizeComponentName(name: string): string {
  let value = name.trim().replace(/^<\/?|\/?>$/g, '');
  value = value.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  value = value
    .replace(/[\s_:/.]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (value.startsWith('lightningsnapin-')) return value;
  value = value.replace(/^lightning-/, '');
  return `lightning-${value}`;
}

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        previous[j]! + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Up to `max` catalogue tags close to an unknown one. */
export function suggestComponents(tag: string, catalog: readonly LbcComponent[], max = 3): string[] {
  const short = tag.replace(/^lightning-/, '');
  const allowed = Math.max(2, Math.floor(short.length / 3));
  return catalog
    .map((component) => {
      const other = component.tag.replace(/^lightning-/, '');
      const contains = short.length >= 3 && (other.includes(short) || short.includes(other));
      return { tag: component.tag, contains, distance: distance(short, other) };
    })
    .filter((entry) => entry.contains || entry.distance <= allowed)
    .sort((a, b) => a.distance - b.distance || a.tag.localeCompare(b.tag))
    .slice(0, max)
    .map((entry) => entry.tag);
}

/** Words of a need that point to components whose names do not say them. */
const SYNONYMS: Record<string, string[]> = {
  table: ['datatable', 'tree-grid'],
  grid: ['datatable', 'tree-grid', 'layout'],
  list: ['datatable', 'dual-listbox', 'tree'],
  picklist: ['combobox', 'dual-listbox'],
  dropdown: ['combobox', 'button-menu'],
  select: ['combobox', 'radio-group', 'checkbox-group'],
  lookup: ['record-picker'],
  search: ['record-picker', 'input'],
  upload: ['file-upload'],
  file: ['file-upload'],
  form: ['record-edit-form', 'record-form', 'input-field'],
  edit: ['record-edit-form', 'input-field', 'datatable'],
  inline: ['datatable'],
  date: ['input', 'formatted-date-time'],
  toast: ['platform-show-toast-event'],
  notification: ['platform-show-toast-event'],
  navigate: ['navigation'],
  link: ['navigation', 'formatted-url'],
  record: ['record-form', 'record-view-form', 'record-edit-form', 'ui-record-api'],
  tooltip: ['helptext'],
  help: ['helptext'],
  loading: ['spinner'],
  spinner: ['spinner'],
  tabs: ['tabset', 'tab'],
  collapsible: ['accordion', 'accordion-section'],
  expand: ['accordion', 'tree'],
  menu: ['button-menu', 'menu-item'],
  rich: ['input-rich-text', 'formatted-rich-text'],
  map: ['map'],
  address: ['input-address', 'formatted-address'],
  chart: ['progress-ring', 'progress-bar'],
  progress: ['progress-bar', 'progress-indicator', 'progress-ring'],
  steps: ['progress-indicator'],
  wizard: ['progress-indicator'],
  image: ['avatar', 'carousel'],
  hierarchy: ['tree', 'tree-grid'],
  sortable: ['datatable'],
  sort: ['datatable'],
  checkbox: ['input', 'checkbox-group'],
  toggle: ['input', 'button-stateful'],
  icon: ['icon', 'button-icon'],
  photo: ['avatar'],
  picture: ['avatar'],
  user: ['avatar'],
  person: ['avatar'],
  currency: ['formatted-number', 'input'],
  money: ['formatted-number', 'input'],
  amount: ['formatted-number', 'input'],
  phone: ['formatted-phone', 'click-to-dial'],
  email: ['formatted-email', 'input'],
  url: ['formatted-url'],
  badge: ['badge'],
  tag: ['badge', 'pill'],
  chip: ['pill'],
  breadcrumb: ['breadcrumbs', 'breadcrumb'],
  page: ['navigation'],
  carousel: ['carousel'],
  slideshow: ['carousel'],
  slider: ['slider'],
  range: ['slider'],
  message: ['message-service'],
  event: ['emp-api', 'message-service'],
  flow: ['flow-support'],
};

const STOP = new Set([
  'a',
  'an',
  'the',
  'with',
  'and',
  'or',
  'of',
  'for',
  'to',
  'in',
  'on',
  'that',
  'i',
  'need',
  'want',
  'show',
  'shows',
  'some',
  'my',
  'lightning',
  'component',
]);

/** The components that best fit a free-text need, ranked (best first). */
export function rankByNeed(
  need: string,
  catalog: readonly LbcComponent[],
  max = 5,
): { component: LbcComponent; score: number }[] {
  const words = need
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .map((word) => word.replace(/s$/, ''))
    .filter((word) => word.length > 1 && !STOP.has(word));
  const scored = catalog.map((component) => {
    const name = component.tag.replace(/^lightning-/, '');
    const text = component.description.toLowerCase();
    let score = 0;
    for (const word of words) {
      for (const hinted of SYNONYMS[word] ?? SYNONYMS[`${word}s`] ?? []) if (name === hinted) score += 8;
      if (name.split('-').includes(word)) score += 5;
      else if (name.includes(word)) score += 3;
      if (text.includes(word)) score += 2;
      for (const attribute of component.attributes) {
        if (attribute.name.includes(word)) score += 1.5;
        else if (attribute.description.toLowerCase().includes(word)) score += 0.25;
      }
    }
    return { component, score };
  });
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  // Weak matches next to a strong one are noise.
  return scored
    .filter((entry) => entry.score > 0 && entry.score >= best * 0.3)
    .sort((a, b) => b.score - a.score || a.component.tag.localeCompare(b.component.tag))
    .slice(0, max);
}

/** Needs the catalogue has no tag for: the module that does it. */
export const MODULE_HINTS: [RegExp, string][] = [
  [
    /\b(modal|dialog|popup|overlay)s?\b/i,
    "A modal dialog is LightningModal (import LightningModal from 'lightning/modal'; extend it and open with MyModal.open()).",
  ],
  [
    /\b(alert)s?\b/i,
    'An alert dialog is LightningAlert (lightning/alert): LightningAlert.open({ message, theme, label }).',
  ],
  [
    /\b(confirm|confirmation)s?\b/i,
    'A confirmation dialog is LightningConfirm (lightning/confirm): await LightningConfirm.open({ message }).',
  ],
  [
    /\b(refresh)\b/i,
    'To refresh data after a change: RefreshEvent (lightning/refresh), refreshApex, or notifyRecordUpdateAvailable.',
  ],
];

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** A short, valid LWC template using the component, or an import for the module entries. */
export function usageExample(component: LbcComponent): string {
  if (component.module) {
    const names = component.module.exports.slice(0, 3).join(', ');
    return `import { ${names} } from '${component.module.specifier}';`;
  }
  if (component.tag.startsWith('lightningsnapin-')) return `<${component.tag}></${component.tag}>`;
  const names = new Set(component.attributes.map((attribute) => attribute.name));
  const shown: string[] = [];
  for (const attribute of component.attributes)
    if (attribute.required) shown.push(`${attribute.name}=${exampleValue(attribute.name)}`);
  for (const [name, value] of EXAMPLE_VALUES) {
    if (shown.length >= 5) break;
    if (names.has(name) && !shown.some((entry) => entry.startsWith(`${name}=`)))
      shown.push(`${name}=${value}`);
  }
  const change = component.events.find((event) => CHANGE_EVENT.test(event));
  if (change) shown.push('onchange={handleChange}');
  else if (component.events.includes('click')) shown.push('onclick={handleClick}');
  const children = childrenFor(component.tag);
  const open = `<${component.tag}${shown.length ? ` ${shown.join(' ')}` : ''}>`;
  return children ? `${open}\n    ${children}\n</${component.tag}>` : `${open}</${component.tag}>`;
}

function exampleValue(attribute: string): string {
  return EXAMPLE_VALUES.find(([name]) => name === attribute)?.[1] ?? `{${camel(attribute)}}`;
}

function camel(value: string): string {
  return value.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function childrenFor(tag: string): string | undefined {
  switch (tag) {
    case 'lightning-accordion':
      return '<lightning-accordion-section name="a" label="Section A">Content</lightning-accordion-section>';
    case 'lightning-tabset':
      return '<lightning-tab label="First">Content</lightning-tab>';
    case 'lightning-layout':
      return '<lightning-layout-item size="6" padding="around-small">Content</lightning-layout-item>';
    case 'lightning-button-menu':
      return '<lightning-menu-item value="edit" label="Edit"></lightning-menu-item>';
    case 'lightning-button-group':
      return '<lightning-button label="One"></lightning-button>';
    case 'lightning-record-edit-form':
      return '<lightning-input-field field-name="Name"></lightning-input-field>\n    <lightning-button type="submit" label="Save"></lightning-button>';
    case 'lightning-record-view-form':
      return '<lightning-output-field field-name="Name"></lightning-output-field>';
    case 'lightning-card':
      return '<p class="slds-p-horizontal_small">Content</p>';
    case 'lightning-breadcrumbs':
      return '<lightning-breadcrumb label="Home" href="#"></lightning-breadcrumb>';
    case 'lightning-vertical-navigation':
      return '<lightning-vertical-navigation-section label="Section">\n        <lightning-vertical-navigation-item label="Item" name="item"></lightning-vertical-navigation-item>\n    </lightning-vertical-navigation-section>';
    case 'lightning-progress-indicator':
      return '<lightning-progress-step label="Step 1" value="1"></lightning-progress-step>';
    case 'lightning-carousel':
      return '<lightning-carousel-image src={imageUrl} header="Header" alternative-text="Description"></lightning-carousel-image>';
    default:
      return tag === 'lightning-tab' ||
        tag === 'lightning-layout-item' ||
        tag === 'lightning-accordion-section' ||
        tag === 'lightning-tile'
        ? escapeText('Content')
        : undefined;
  }
}
