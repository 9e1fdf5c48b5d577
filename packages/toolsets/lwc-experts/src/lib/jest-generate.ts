import type { ApiProperty, ComponentModel, WireUse } from './component-model.js';

/** Record id used in generated tests. */
const RECORD_ID = '001000000000001AAA';

/** Adapters the sfdx-lwc-jest stubs make emit-able test wire adapters (module → names). */
const TEST_ADAPTERS: Record<string, readonly string[]> = {
  'lightning/uiRecordApi': ['getRecord', 'getRecords', 'getRecordCreateDefaults', 'getRecordUi'],
  'lightning/uiObjectInfoApi': [
    'getObjectInfo',
    'getObjectInfos',
    'getPicklistValues',
    'getPicklistValuesByRecordType',
  ],
  'lightning/uiListApi': ['getListUi'],
  'lightning/uiListsApi': ['getListInfoByName', 'getListInfosByName'],
  'lightning/uiRelatedListApi': [
    'getRelatedListRecords',
    'getRelatedListInfo',
    'getRelatedListsInfo',
    'getRelatedListCount',
    'getRelatedListRecordsBatch',
  ],
  'lightning/graphql': ['graphql'],
  'lightning/uiGraphQLApi': ['graphql'],
  'lightning/navigation': ['CurrentPageReference'],
};

/** A JS literal: strings single-quoted (the LWC projects' Prettier style), anything else as JSON. */
function js(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028|\u2029/g, '')}'`;
}

/** A sample value of the property's type: its default's type, a record id for recordId, else a string. */
export function sampleValue(property: ApiProperty): string | number | boolean {
  if (property.name === 'recordId') return RECORD_ID;
  if (property.name === 'objectApiName') return 'Account';
  if (typeof property.defaultValue === 'boolean') return !property.defaultValue;
  if (typeof property.defaultValue === 'number') return property.defaultValue + 7;
  return `Sample ${property.name}`;
}

/** A record as getRecord emits it, with each field ("Account.Owner.Name") set to a sample value. */
function sampleRecord(fields: readonly string[]): {
  record: Record<string, unknown>;
  values: Map<string, string>;
} {
  const record: { apiName?: string; id: string; fields: Record<string, unknown> } = {
    id: RECORD_ID,
    fields: {},
  };
  const values = new Map<string, string>();
  for (const qualified of fields) {
    const [objectName, ...path] = qualified.split('.');
    if (!objectName || !path.length) continue;
    record.apiName ??= objectName;
    const value = `Sample ${path.join(' ')}`;
    values.set(qualified, value);
    let target = record.fields;
    path.forEach((part, index) => {
      if (index === path.length - 1) target[part] = { value, displayValue: value };
      else {
        const existing = target[part] as { value: { fields: Record<string, unknown> } } | undefined;
        const next = existing ?? { value: { fields: {} }, displayValue: null };
        target[part] = next;
        target = next.value.fields;
      }
    });
  }
  return { record, values };
}

function isTestAdapter(wire: WireUse): boolean {
  if (wire.source.startsWith('@salesforce/apex/')) return true;
  return TEST_ADAPTERS[wire.source]?.includes(wire.imported) ?? false;
}

/** How a test triggers a handler: the listener on an always-rendered element, if there is one. */
function triggerFor(model: ComponentModel, handler: string) {
  return model.template?.listeners.find((listener) => listener.handler === handler && listener.always);
}

function triggerCode(listener: NonNullable<ReturnType<typeof triggerFor>>): string[] {
  const { locator } = listener;
  const query =
    'css' in locator
      ? `element.shadowRoot.querySelector(${js(locator.css)})`
      : `[...element.shadowRoot.querySelectorAll(${js(listener.tag)})].find((node) => node.${locator.property} === ${js(locator.value)})`;
  const lines = [`const target = ${query};`];
  if (listener.event === 'change' || listener.event === 'input') {
    lines.push(`target.value = 'Sample value';`);
    lines.push(
      `target.dispatchEvent(new CustomEvent(${js(listener.event)}, { detail: { value: 'Sample value' } }));`,
    );
  } else if (listener.event === 'click' && !listener.tag.includes('-')) lines.push('target.click();');
  else lines.push(`target.dispatchEvent(new CustomEvent(${js(listener.event)}));`);
  return lines;
}

function indent(lines: readonly string[], depth: number): string[] {
  const pad = '    '.repeat(depth);
  return lines.map((line) => (line ? pad + line : line));
}

/**
 * A Jest test for the component, for @salesforce/sfdx-lwc-jest: it mounts the component, sets its public
 * properties, emits data through its wire adapters (sfdx-lwc-jest's test adapters; Apex through
 * createApexTestWireAdapter), mocks imperative Apex, and triggers the handlers that dispatch events or call Apex
 * when a test can reach them. It asserts only what the component's code shows.
 */
export function generateJestTest(model: ComponentModel): string {
  const header: string[] = [
    `import { createElement } from 'lwc';`,
    `import ${model.className} from 'c/${model.name}';`,
  ];
  const adapterImports = new Map<string, Set<string>>();
  const emitable = model.wires.filter(isTestAdapter);
  for (const wire of emitable) {
    if (wire.source.startsWith('@salesforce/apex/')) continue;
    const names = adapterImports.get(wire.source) ?? new Set<string>();
    names.add(wire.imported === wire.adapter ? wire.adapter : `${wire.imported} as ${wire.adapter}`);
    adapterImports.set(wire.source, names);
  }
  if (model.messageService.subscribeInConnected || model.messageService.publish) {
    const names = adapterImports.get('lightning/messageService') ?? new Set<string>();
    if (model.messageService.subscribeInConnected) names.add('subscribe');
    adapterImports.set('lightning/messageService', names);
  }
  for (const [source, names] of [...adapterImports].sort(([a], [b]) => a.localeCompare(b)))
    if (names.size) header.push(`import { ${[...names].sort().join(', ')} } from ${js(source)};`);
  for (const apex of model.apex) header.push(`import ${apex.local} from ${js(apex.source)};`);

  const mocks: string[] = [];
  for (const apex of model.apex) {
    if (apex.wired)
      mocks.push(
        `jest.mock(`,
        `    ${js(apex.source)},`,
        `    () => {`,
        `        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');`,
        `        return { default: createApexTestWireAdapter(jest.fn()) };`,
        `    },`,
        `    { virtual: true }`,
        `);`,
      );
    else mocks.push(`jest.mock(${js(apex.source)}, () => ({ default: jest.fn() }), { virtual: true });`);
  }

  const imperative = model.apex.filter((apex) => !apex.wired);
  const tests: string[][] = [];
  const props = model.apiProperties;
  const recordIdProp = props.find((property) => property.name === 'recordId');
  const mountDefaults = recordIdProp ? `{ recordId: ${js(RECORD_ID)} }` : '{}';

  const renders = [
    `it('renders', async () => {`,
    `    const element = mount();`,
    `    await flushPromises();`,
  ];
  renders.push(`    expect(element.shadowRoot).not.toBeNull();`);
  for (const title of model.template?.cardTitles ?? [])
    renders.push(`    expect(element.shadowRoot.querySelector('lightning-card').title).toBe(${js(title)});`);
  tests.push([...renders, `});`]);

  const settable = props.filter((property) => property.name !== 'recordId' || !model.wires.length);
  if (settable.length) {
    const values = new Map(settable.map((property) => [property.name, sampleValue(property)]));
    const lines = [
      `it('takes its public properties', async () => {`,
      `    const element = mount({`,
      ...[...values].map(([name, value]) => `        ${name}: ${js(value)},`),
      `    });`,
      `    await flushPromises();`,
    ];
    for (const property of settable) {
      if (property.kind === 'field')
        lines.push(`    expect(element.${property.name}).toBe(${js(values.get(property.name))});`);
      const value = values.get(property.name);
      const shown = model.template?.texts.find((text) => text.expression === property.name && text.always);
      if (shown && typeof value === 'string')
        lines.push(`    expect(element.shadowRoot.textContent).toContain(${js(value)});`);
    }
    tests.push([...lines, `});`]);
  }

  if (model.apiMethods.length)
    tests.push([
      `it('exposes its public methods', () => {`,
      `    const element = mount();`,
      ...model.apiMethods.map((name) => `    expect(typeof element.${name}).toBe('function');`),
      `});`,
    ]);

  for (const wire of emitable) {
    const apex = wire.source.startsWith('@salesforce/apex/');
    const fields = wire.fields
      .map((local) => model.schemaFields.get(local))
      .filter((field) => field !== undefined);
    const { record, values } = sampleRecord(fields);
    const data = apex
      ? [{ Id: RECORD_ID, Name: 'Sample record' }]
      : wire.imported === 'getRecord'
        ? record
        : {};
    const lines = [
      `it('renders the data ${wire.adapter} emits for ${wire.member}', async () => {`,
      `    const element = mount(${mountDefaults});`,
      `    ${wire.adapter}.emit(${js(data)});`,
      `    await flushPromises();`,
      `    expect(element.shadowRoot).not.toBeNull();`,
    ];
    const bound = Object.entries(wire.reactive).filter(
      ([, property]) => property === 'recordId' && recordIdProp,
    );
    if (bound.length)
      lines.push(
        `    expect(${wire.adapter}.getLastConfig()).toEqual(expect.objectContaining({ ${bound.map(([key]) => `${/^[A-Za-z_]\w*$/.test(key) ? key : js(key)}: ${js(RECORD_ID)}`).join(', ')} }));`,
      );
    if (wire.imported === 'getRecord' && wire.kind === 'field')
      for (const getter of model.fieldGetters.filter((entry) => entry.wire === wire.member)) {
        const text = model.template?.texts.find(
          (entry) =>
            entry.expression === getter.getter &&
            entry.conditions.every((condition) =>
              [`${wire.member}.data`, getter.getter].includes(condition),
            ) &&
            (entry.always || entry.conditions.length > 0),
        );
        const value = values.get(getter.field);
        if (text && value) lines.push(`    expect(element.shadowRoot.textContent).toContain(${js(value)});`);
      }
    tests.push([...lines, `});`]);
    tests.push([
      `it('handles an error from ${wire.adapter} for ${wire.member}', async () => {`,
      `    const element = mount(${mountDefaults});`,
      `    ${wire.adapter}.error();`,
      `    await flushPromises();`,
      `    expect(element.shadowRoot).not.toBeNull();`,
      `});`,
    ]);
  }

  for (const apex of imperative)
    for (const call of apex.calls) {
      const connected = call.method === 'connectedCallback' && call.simple;
      const listener = connected ? undefined : call.simple ? triggerFor(model, call.method) : undefined;
      if (!connected && !listener) continue;
      const trigger = listener ? triggerCode(listener) : [];
      tests.push([
        `it('calls ${apex.local} from ${call.method}', async () => {`,
        `    ${apex.local}.mockResolvedValue([]);`,
        `    const element = mount(${mountDefaults});`,
        `    await flushPromises();`,
        ...(trigger.length ? [`    ${apex.local}.mockClear();`] : []),
        ...indent(trigger, 1),
        ...(trigger.length ? [`    await flushPromises();`] : []),
        `    expect(${apex.local}).toHaveBeenCalled();`,
        `});`,
      ]);
      if (call.handlesErrors) {
        const toast = model.toastMethods.includes(call.method);
        tests.push([
          `it('handles an error from ${apex.local} in ${call.method}', async () => {`,
          `    ${apex.local}.mockRejectedValue({ body: { message: 'Sample error' } });`,
          `    const element = mount(${mountDefaults});`,
          ...(toast
            ? [
                `    const toastHandler = jest.fn();`,
                `    element.addEventListener('lightning__showtoast', toastHandler);`,
              ]
            : []),
          `    await flushPromises();`,
          ...(trigger.length
            ? [`    ${apex.local}.mockClear();`, ...(toast ? [`    toastHandler.mockClear();`] : [])]
            : []),
          ...indent(trigger, 1),
          ...(trigger.length ? [`    await flushPromises();`] : []),
          `    expect(${apex.local}).toHaveBeenCalled();`,
          ...(toast ? [`    expect(toastHandler).toHaveBeenCalled();`] : []),
          `});`,
        ]);
      }
    }

  const eventsTested = new Set<string>();
  for (const event of model.events) {
    const listener = event.simple ? triggerFor(model, event.method) : undefined;
    if (!listener || eventsTested.has(`${event.name}:${event.method}`)) continue;
    eventsTested.add(`${event.name}:${event.method}`);
    tests.push([
      `it(${js(`dispatches ${event.name} on ${listener.event} of ${listener.tag}`)}, async () => {`,
      ...imperative.map((apex) => `    ${apex.local}.mockResolvedValue([]);`),
      `    const element = mount(${mountDefaults});`,
      `    const handler = jest.fn();`,
      `    element.addEventListener(${js(event.name)}, handler);`,
      `    await flushPromises();`,
      ...indent(triggerCode(listener), 1),
      `    await flushPromises();`,
      `    expect(handler).toHaveBeenCalled();`,
      `});`,
    ]);
  }

  if (model.messageService.subscribeInConnected)
    tests.push([
      `it('subscribes to its message channel when connected', async () => {`,
      `    mount(${mountDefaults});`,
      `    await flushPromises();`,
      `    expect(subscribe).toHaveBeenCalled();`,
      `});`,
    ]);

  const notes: string[] = [];
  const unmocked = model.wires.filter((wire) => !isTestAdapter(wire));
  if (unmocked.length)
    notes.push(
      `// Not emitted here (not a test adapter of sfdx-lwc-jest): ${unmocked.map((wire) => `${wire.adapter} from ${wire.source}`).join(', ')}.`,
    );
  if (model.usesNavigation)
    notes.push(
      `// NavigationMixin: sfdx-lwc-jest's lightning/navigation stub records no navigation; mock it to assert one.`,
    );

  return [
    `// Generated by sfmcp from ${model.script} and its template; extend it with your own cases.`,
    ...header,
    '',
    ...(mocks.length ? [...mocks, ''] : []),
    ...(notes.length ? [...notes, ''] : []),
    `// Lets pending promises settle and LWC re-render (ten microtask turns; no timers).`,
    `const flushPromises = () =>`,
    `    Array.from({ length: 10 }).reduce((promise) => promise.then(() => undefined), Promise.resolve());`,
    '',
    `describe(${js(model.tag)}, () => {`,
    `    function mount(properties = {}) {`,
    `        const element = createElement(${js(model.tag)}, { is: ${model.className} });`,
    `        Object.assign(element, properties);`,
    `        document.body.appendChild(element);`,
    `        return element;`,
    `    }`,
    '',
    `    afterEach(() => {`,
    `        while (document.body.firstChild) {`,
    `            document.body.removeChild(document.body.firstChild);`,
    `        }`,
    `        jest.clearAllMocks();`,
    `    });`,
    ...tests.flatMap((test) => ['', ...indent(test, 1)]),
    `});`,
    '',
  ].join('\n');
}
