import { ToolError } from '@sfmcp/plugin-api';
import type { Bundle } from './bundle.js';

/** What a component's JS and template say about it, as a Jest test needs it. */
export interface ComponentModel {
  name: string;
  /** "c-hello-world". */
  tag: string;
  /** The default export's class name (or a PascalCase name when anonymous). */
  className: string;
  /** The script's file name in the bundle. */
  script: string;
  apiProperties: ApiProperty[];
  apiMethods: string[];
  wires: WireUse[];
  /** Default imports of @salesforce/apex/Class.method. */
  apex: ApexImport[];
  /** Default imports of @salesforce/schema/Object.Field: local name → "Account.Name". */
  schemaFields: Map<string, string>;
  /** Getters returning getFieldValue/getFieldDisplayValue(this.<wire>.data, FIELD). */
  fieldGetters: { getter: string; wire: string; field: string }[];
  /** Events dispatched with `new CustomEvent('name')`, and the methods dispatching them. */
  events: { name: string; method: string; simple: boolean }[];
  /** Methods dispatching ShowToastEvent. */
  toastMethods: string[];
  usesNavigation: boolean;
  messageService: { publish: boolean; subscribe: boolean; subscribeInConnected: boolean };
  /** Methods defined on the class. */
  methods: Set<string>;
  template?: TemplateModel;
}

export interface ApiProperty {
  name: string;
  kind: 'field' | 'accessor';
  /** A literal default value. */
  defaultValue?: string | number | boolean | null;
}

export interface WireUse {
  /** The decorated field or method. */
  member: string;
  kind: 'field' | 'method';
  /** The adapter's local name. */
  adapter: string;
  /** The module it is imported from. */
  source: string;
  /** The adapter's exported name ('default' for Apex). */
  imported: string;
  /** Config keys bound to a component property ('$recordId'): key → property. */
  reactive: Record<string, string>;
  /** Schema field locals named in the config's `fields`. */
  fields: string[];
}

export interface ApexImport {
  local: string;
  source: string;
  wired: boolean;
  /** Methods calling it imperatively, and whether that call handles errors. */
  calls: { method: string; handlesErrors: boolean; simple: boolean }[];
}

export interface TemplateModel {
  /** Event listeners on elements, with how to find the element and whether it always renders. */
  listeners: {
    tag: string;
    event: string;
    handler: string;
    /** A CSS selector, or a literal property (label="Refresh") of a base component, that finds it. */
    locator: { css: string } | { property: string; value: string };
    always: boolean;
  }[];
  /** `{expr}` text bindings, and the condition (if any) they render under. */
  texts: { expression: string; always: boolean; conditions: string[] }[];
  /** Literal `title`s of lightning-card elements that always render. */
  cardTitles: string[];
}

interface Node {
  type: string;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

function child(node: Node, key: string): Node | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

function children(node: Node, key: string): Node[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** Every node under `node`, depth first. */
function* walk(node: Node): Generator<Node> {
  yield node;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) yield* walk(item);
    } else if (isNode(value)) yield* walk(value);
  }
}

function keyName(node: Node): string | undefined {
  const key = child(node, 'key');
  if (!key || node.computed) return undefined;
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'StringLiteral') return key.value as string;
  return undefined;
}

function decoratorOf(member: Node, name: string): Node | undefined {
  return children(member, 'decorators').find((decorator) => {
    const expression = child(decorator, 'expression');
    if (!expression) return false;
    if (expression.type === 'Identifier') return expression.name === name;
    return expression.type === 'CallExpression' && child(expression, 'callee')?.name === name;
  });
}

function literal(node: Node | undefined): string | number | boolean | null | undefined {
  if (!node) return undefined;
  if (node.type === 'StringLiteral') return node.value as string;
  if (node.type === 'NumericLiteral') return node.value as number;
  if (node.type === 'BooleanLiteral') return node.value as boolean;
  if (node.type === 'NullLiteral') return null;
  if (node.type === 'TemplateLiteral' && children(node, 'expressions').length === 0)
    return children(node, 'quasis')
      .map((quasi) => (quasi.value as { cooked: string }).cooked)
      .join('');
  return undefined;
}

function kebab(name: string): string {
  return name.replace(/([A-Z])/g, '-$1').toLowerCase();
}

/** `this.dispatchEvent(new CustomEvent('x'))` or `new CustomEvent('x')` anywhere: the event names. */
function customEventNames(node: Node): string[] {
  const names: string[] = [];
  for (const inner of walk(node))
    if (inner.type === 'NewExpression' && child(inner, 'callee')?.name === 'CustomEvent') {
      const name = literal(children(inner, 'arguments')[0]);
      if (typeof name === 'string') names.push(name);
    }
  return names;
}

/**
 * A handler whose every top-level statement up to what we look for runs unconditionally: no early return, no
 * branch, no throw. Then triggering it reaches the call.
 */
function reachesDirectly(body: Node | undefined, test: (statement: Node) => boolean): boolean {
  if (!body) return false;
  for (const statement of children(body, 'body')) {
    if (test(statement)) return true;
    if (!['ExpressionStatement', 'VariableDeclaration'].includes(statement.type)) return false;
  }
  return false;
}

function callsIdentifier(node: Node, name: string): boolean {
  for (const inner of walk(node))
    if (inner.type === 'CallExpression' && child(inner, 'callee')?.name === name) return true;
  return false;
}

function handlesErrors(method: Node, name: string): boolean {
  for (const inner of walk(method)) {
    if (inner.type === 'TryStatement') {
      const block = child(inner, 'block');
      if (block && callsIdentifier(block, name) && child(inner, 'handler')) return true;
    }
    if (
      inner.type === 'CallExpression' &&
      child(inner, 'callee')?.type === 'MemberExpression' &&
      child(child(inner, 'callee')!, 'property')?.name === 'catch' &&
      callsIdentifier(inner, name)
    )
      return true;
  }
  return false;
}

function reactiveKeys(config: Node | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  if (!config || config.type !== 'ObjectExpression') return keys;
  for (const property of children(config, 'properties')) {
    const name = keyName(property);
    const value = literal(child(property, 'value'));
    if (name && typeof value === 'string' && /^\$[A-Za-z_]\w*$/.test(value)) keys[name] = value.slice(1);
  }
  return keys;
}

function fieldLocals(config: Node | undefined): string[] {
  if (!config || config.type !== 'ObjectExpression') return [];
  const locals: string[] = [];
  for (const property of children(config, 'properties')) {
    const name = keyName(property);
    if (name !== 'fields' && name !== 'optionalFields') continue;
    const value = child(property, 'value');
    for (const element of value?.type === 'ArrayExpression' ? children(value, 'elements') : [])
      if (element.type === 'Identifier') locals.push(element.name as string);
  }
  return locals;
}

/** `this.a.b` → "a.b"; anything else undefined. */
function thisPath(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'ThisExpression') return '';
  if (node.type === 'MemberExpression' && !node.computed) {
    const base = thisPath(child(node, 'object'));
    const property = child(node, 'property')?.name as string | undefined;
    if (base === undefined || !property) return undefined;
    return base ? `${base}.${property}` : property;
  }
  if (node.type === 'OptionalMemberExpression' && !node.computed) {
    const base = thisPath(child(node, 'object'));
    const property = child(node, 'property')?.name as string | undefined;
    if (base === undefined || !property) return undefined;
    return base ? `${base}.${property}` : property;
  }
  return undefined;
}

async function parseScript(source: string, file: string): Promise<Node> {
  const { parse } = await import('@babel/parser');
  try {
    return parse(source, {
      sourceType: 'module',
      plugins: file.endsWith('.ts') ? ['typescript', 'decorators-legacy'] : ['decorators-legacy'],
      errorRecovery: false,
    }) as unknown as Node;
  } catch (error) {
    throw new ToolError(
      `${file} does not parse: ${(error as Error).message}`,
      'Fix the syntax first (validate_lwc_component shows where).',
      { kind: 'invalid' },
    );
  }
}

/** Reads the component's script and template into a model; throws ToolError when the script is missing or broken. */
export async function componentModel(bundle: Bundle): Promise<ComponentModel> {
  const script = [`${bundle.name}.js`, `${bundle.name}.ts`].find((file) => bundle.files.has(file));
  if (!script)
    throw new ToolError(`The bundle ${bundle.name} has no ${bundle.name}.js.`, undefined, {
      kind: 'invalid',
    });
  const ast = await parseScript(bundle.files.get(script)!, script);
  const program = child(ast, 'program')!;

  const imports = new Map<string, { source: string; imported: string }>();
  for (const declaration of children(program, 'body')) {
    if (declaration.type !== 'ImportDeclaration') continue;
    const source = child(declaration, 'source')?.value as string;
    for (const specifier of children(declaration, 'specifiers')) {
      const local = child(specifier, 'local')?.name as string;
      const imported =
        specifier.type === 'ImportSpecifier'
          ? ((child(specifier, 'imported')?.name ?? child(specifier, 'imported')?.value) as string)
          : specifier.type === 'ImportDefaultSpecifier'
            ? 'default'
            : '*';
      imports.set(local, { source, imported });
    }
  }

  const exported = children(program, 'body').find((node) => node.type === 'ExportDefaultDeclaration');
  let klass = exported ? child(exported, 'declaration') : undefined;
  if (klass?.type === 'Identifier') {
    const name = klass.name as string;
    klass = children(program, 'body').find(
      (node) => node.type === 'ClassDeclaration' && child(node, 'id')?.name === name,
    );
  }
  if (!klass || (klass.type !== 'ClassDeclaration' && klass.type !== 'ClassExpression'))
    throw new ToolError(
      `${script} has no default-exported class; a Lightning Web Component exports one.`,
      undefined,
      { kind: 'invalid' },
    );
  const className =
    (child(klass, 'id')?.name as string | undefined) ?? bundle.name[0]!.toUpperCase() + bundle.name.slice(1);

  const model: ComponentModel = {
    name: bundle.name,
    tag: `c-${kebab(bundle.name)}`,
    className,
    script,
    apiProperties: [],
    apiMethods: [],
    wires: [],
    apex: [],
    schemaFields: new Map(),
    fieldGetters: [],
    events: [],
    toastMethods: [],
    usesNavigation: false,
    messageService: { publish: false, subscribe: false, subscribeInConnected: false },
    methods: new Set(),
  };
  for (const [local, { source, imported }] of imports) {
    if (source.startsWith('@salesforce/apex/') && imported === 'default')
      model.apex.push({ local, source, wired: false, calls: [] });
    if (source.startsWith('@salesforce/schema/') && imported === 'default')
      model.schemaFields.set(local, source.slice('@salesforce/schema/'.length));
    if (source === 'lightning/navigation' && imported === 'NavigationMixin') model.usesNavigation = true;
    if (source === 'lightning/messageService' && imported === 'publish') model.messageService.publish = true;
    if (source === 'lightning/messageService' && imported === 'subscribe')
      model.messageService.subscribe = true;
  }

  const body = children(child(klass, 'body')!, 'body');
  const seenApi = new Set<string>();
  for (const member of body) {
    const name = keyName(member);
    if (!name || member.static) continue;
    const isMethod = member.type === 'ClassMethod';
    const accessor = isMethod && (member.kind === 'get' || member.kind === 'set');
    if (isMethod && member.kind === 'method') model.methods.add(name);
    if (decoratorOf(member, 'api')) {
      if (isMethod && member.kind === 'method') model.apiMethods.push(name);
      else if (!seenApi.has(name)) {
        seenApi.add(name);
        const value = literal(child(member, 'value'));
        model.apiProperties.push({
          name,
          kind: accessor ? 'accessor' : 'field',
          ...(value !== undefined ? { defaultValue: value } : {}),
        });
      }
    }
    const wire = decoratorOf(member, 'wire');
    if (wire) {
      const call = child(wire, 'expression')!;
      const [adapterNode, config] = children(call, 'arguments');
      const adapter = adapterNode?.type === 'Identifier' ? (adapterNode.name as string) : undefined;
      const from = adapter ? imports.get(adapter) : undefined;
      if (adapter && from) {
        model.wires.push({
          member: name,
          kind: isMethod ? 'method' : 'field',
          adapter,
          source: from.source,
          imported: from.imported,
          fields: fieldLocals(config),
          reactive: reactiveKeys(config),
        });
        const apex = model.apex.find((entry) => entry.local === adapter);
        if (apex) apex.wired = true;
      }
    }
    if (isMethod && member.kind === 'get') {
      const statements = children(child(member, 'body')!, 'body');
      const returned = statements.length === 1 && statements[0]!.type === 'ReturnStatement';
      const argument = returned ? child(statements[0]!, 'argument') : undefined;
      const callee = argument?.type === 'CallExpression' ? child(argument, 'callee') : undefined;
      if (
        callee?.type === 'Identifier' &&
        ['getFieldValue', 'getFieldDisplayValue'].includes(callee.name as string)
      ) {
        const [record, field] = children(argument!, 'arguments');
        const path = thisPath(record);
        const fieldName =
          field?.type === 'Identifier' ? model.schemaFields.get(field.name as string) : undefined;
        if (path?.endsWith('.data') && fieldName)
          model.fieldGetters.push({ getter: name, wire: path.slice(0, -'.data'.length), field: fieldName });
      }
    }
    if (isMethod && member.kind === 'method') {
      const methodBody = child(member, 'body');
      for (const event of customEventNames(member)) {
        const simple = reachesDirectly(methodBody, (statement) =>
          customEventNames(statement).includes(event),
        );
        model.events.push({ name: event, method: name, simple });
      }
      for (const inner of walk(member))
        if (inner.type === 'NewExpression' && child(inner, 'callee')?.name === 'ShowToastEvent') {
          const from = imports.get('ShowToastEvent');
          if (from?.source === 'lightning/platformShowToastEvent' && !model.toastMethods.includes(name))
            model.toastMethods.push(name);
        }
      for (const apex of model.apex)
        if (callsIdentifier(member, apex.local))
          apex.calls.push({
            method: name,
            handlesErrors: handlesErrors(member, apex.local),
            simple: reachesDirectly(methodBody, (statement) => callsIdentifier(statement, apex.local)),
          });
      if (name === 'connectedCallback' && model.messageService.subscribe)
        model.messageService.subscribeInConnected = reachesDirectly(methodBody, (statement) =>
          callsIdentifier(statement, 'subscribe'),
        );
    }
  }

  const html = bundle.files.get(`${bundle.name}.html`);
  if (html !== undefined) model.template = await templateModel(html);
  return model;
}

interface TemplateNode {
  type: string;
  name?: string;
  children?: TemplateNode[];
  attributes?: { name: string; value: { type: string; value?: unknown } }[];
  properties?: { attributeName: string; value: { type: string; value?: unknown } }[];
  listeners?: { name: string; handler: { type: string; name?: string } }[];
  directives?: { name: string; value: { type: string } }[];
  condition?: unknown;
  value?: unknown;
}

function expressionText(node: unknown): string | undefined {
  const value = node as { type?: string; name?: string; object?: unknown; property?: { name?: string } };
  if (value?.type === 'Identifier') return value.name;
  if (value?.type === 'MemberExpression') {
    const base = expressionText(value.object);
    return base && value.property?.name ? `${base}.${value.property.name}` : undefined;
  }
  return undefined;
}

/** The template's listeners and text bindings, from the LWC template compiler's parser. */
export async function templateModel(source: string): Promise<TemplateModel | undefined> {
  const { parse } = await import('@lwc/template-compiler');
  const parsed = parse(source, {}) as unknown as { root?: TemplateNode };
  if (!parsed.root) return undefined;
  const model: TemplateModel = { listeners: [], texts: [], cardTitles: [] };
  const seenTags = new Map<string, number>();
  const pending: (Omit<TemplateModel['listeners'][number], 'locator'> & {
    locator?: TemplateModel['listeners'][number]['locator'];
  })[] = [];
  const visit = (node: TemplateNode, conditions: string[], always: boolean) => {
    let nextConditions = conditions;
    let nextAlways = always;
    if (node.type === 'IfBlock' || node.type === 'If') {
      const condition = expressionText(node.condition ?? (node as { value?: unknown }).value);
      nextConditions = condition ? [...conditions, condition] : conditions;
      nextAlways = false;
    } else if (
      ['ElseifBlock', 'ElseBlock', 'ForEach', 'ForOf', 'Scoped Slot Fragment', 'ScopedSlotFragment'].includes(
        node.type,
      )
    )
      nextAlways = false;
    if (node.type === 'Element' || node.type === 'Component' || node.type === 'ExternalComponent') {
      const tag = node.name ?? '';
      const dynamic = (node.directives ?? []).some((directive) =>
        ['Key', 'Dynamic', 'Is', 'IsDynamic'].includes(directive.name),
      );
      if (dynamic) nextAlways = false;
      seenTags.set(tag, (seenTags.get(tag) ?? 0) + 1);
      const literals = new Map<string, string>();
      for (const entry of [...(node.attributes ?? []), ...(node.properties ?? [])] as {
        name?: string;
        attributeName?: string;
        value: { type: string; value?: unknown };
      }[]) {
        const attribute = entry.attributeName ?? entry.name;
        if (attribute && entry.value.type === 'Literal' && typeof entry.value.value === 'string')
          literals.set(attribute, entry.value.value);
      }
      const plain = (value: string) => !/["\\\n]/.test(value);
      const dataId = literals.get('data-id');
      let locator: { css: string } | { property: string; value: string } | undefined;
      if (dataId !== undefined && plain(dataId)) locator = { css: `${tag}[data-id="${dataId}"]` };
      else if (tag.includes('-')) {
        const key = ['label', 'name', 'title', 'alternative-text'].find((name) => literals.has(name));
        if (key)
          locator = {
            property: key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
            value: literals.get(key)!,
          };
      } else {
        const key = ['name', 'title', 'aria-label'].find(
          (name) => literals.has(name) && plain(literals.get(name)!),
        );
        if (key) locator = { css: `${tag}[${key}="${literals.get(key)}"]` };
      }
      for (const listener of node.listeners ?? [])
        if (listener.handler.type === 'Identifier' && listener.handler.name)
          pending.push({
            tag,
            event: listener.name,
            handler: listener.handler.name,
            always: nextAlways,
            ...(locator ? { locator } : {}),
          });
      if (tag === 'lightning-card' && nextAlways) {
        const title = (node.properties ?? []).find((property) => property.attributeName === 'title');
        if (title?.value.type === 'Literal' && typeof title.value.value === 'string')
          model.cardTitles.push(title.value.value);
      }
    }
    if (node.type === 'Text') {
      const expression = expressionText(node.value);
      if (expression && (node.value as { type?: string }).type !== 'Literal')
        model.texts.push({ expression, always: nextAlways, conditions: nextConditions });
    }
    for (const inner of node.children ?? []) visit(inner, nextConditions, nextAlways);
  };
  visit(parsed.root, [], true);
  // A tag alone finds the element only when the template has one of it: slots reorder the rendered DOM.
  for (const listener of pending) {
    const locator =
      listener.locator ?? (seenTags.get(listener.tag) === 1 ? { css: listener.tag } : undefined);
    if (locator) model.listeners.push({ ...listener, locator });
  }
  return model;
}
