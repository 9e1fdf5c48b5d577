import type { Finding } from './validate.js';

/** The parts of @lwc/template-compiler's AST these checks read. */
interface Located {
  location: { startLine: number; startColumn: number };
}
interface AttributeNode extends Located {
  name: string;
  attributeName?: string;
  value: { type: string; value?: unknown };
}
interface TemplateNode extends Located {
  type: string;
  name?: string;
  raw?: string;
  attributes?: AttributeNode[];
  properties?: AttributeNode[];
  listeners?: (Located & { name: string })[];
  children?: TemplateNode[];
  else?: TemplateNode;
}

/** ARIA 1.2 states and properties (aria-*). */
const ARIA_ATTRIBUTES = new Set(
  (
    'activedescendant atomic autocomplete braillelabel brailleroledescription busy checked colcount colindex ' +
    'colindextext colspan controls current describedby description details disabled dropeffect errormessage ' +
    'expanded flowto grabbed haspopup hidden invalid keyshortcuts label labelledby level live modal multiline ' +
    'multiselectable orientation owns placeholder posinset pressed readonly relevant required roledescription ' +
    'rowcount rowindex rowindextext rowspan selected setsize sort valuemax valuemin valuenow valuetext'
  )
    .split(' ')
    .map((name) => `aria-${name}`),
);

/** WAI-ARIA 1.2 roles (concrete and the commonly used DPUB/graphics ones are not included). */
const ROLES = new Set(
  (
    'alert alertdialog application article banner blockquote button caption cell checkbox code columnheader ' +
    'combobox comment complementary contentinfo definition deletion dialog directory document emphasis feed ' +
    'figure form generic grid gridcell group heading img insertion link list listbox listitem log main mark ' +
    'marquee math menu menubar menuitem menuitemcheckbox menuitemradio meter navigation none note option ' +
    'paragraph presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search ' +
    'searchbox separator slider spinbutton status strong subscript suggestion superscript switch tab table ' +
    'tablist tabpanel term textbox time timer toolbar tooltip tree treegrid treeitem'
  ).split(' '),
);

/** Elements with no interactive meaning, on which a click handler needs a role and keyboard access. */
const STATIC = new Set([
  'div',
  'span',
  'li',
  'ul',
  'ol',
  'p',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'td',
  'tr',
  'th',
  'table',
  'tbody',
  'img',
  'i',
  'b',
  'strong',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'figure',
  'label',
  'dl',
  'dt',
  'dd',
]);
/** Base components whose `label` names a form field. */
const LABELLED_FIELDS = new Set([
  'lightning-input',
  'lightning-combobox',
  'lightning-textarea',
  'lightning-slider',
  'lightning-radio-group',
  'lightning-checkbox-group',
  'lightning-dual-listbox',
  'lightning-select',
  'lightning-input-address',
  'lightning-input-location',
  'lightning-input-name',
]);

type Attrs = Map<string, AttributeNode>;

function attributesOf(node: TemplateNode): Attrs {
  const map: Attrs = new Map();
  for (const attribute of node.attributes ?? []) map.set(attribute.name.toLowerCase(), attribute);
  for (const property of node.properties ?? [])
    map.set((property.attributeName ?? property.name).toLowerCase(), property);
  return map;
}

/** A static attribute value, or undefined for an expression (unknown until run time). */
function literal(attribute: AttributeNode | undefined): string | boolean | undefined {
  if (!attribute) return undefined;
  return attribute.value.type === 'Literal' ? (attribute.value.value as string | boolean) : undefined;
}

/** Present and, when static, not empty. */
function hasValue(attributes: Attrs, name: string): boolean {
  const attribute = attributes.get(name);
  if (!attribute) return false;
  const value = literal(attribute);
  return value === undefined || (typeof value === 'string' ? value.trim() !== '' : value === true);
}

function hasAccessibleName(attributes: Attrs): boolean {
  return (
    hasValue(attributes, 'aria-label') ||
    hasValue(attributes, 'aria-labelledby') ||
    hasValue(attributes, 'title')
  );
}

/** Whether a node has text for a screen reader: literal text, a bound value, or a child with a name. */
function hasText(node: TemplateNode): boolean {
  for (const child of childrenOf(node)) {
    if (child.type === 'Text' && (child.raw ?? '').trim() !== '') return true;
    if (child.type === 'Comment') continue;
    if (child.name === 'img' && hasValue(attributesOf(child), 'alt')) return true;
    if (child.type !== 'Text' && child.name && hasAccessibleName(attributesOf(child))) return true;
    if (
      child.name?.startsWith('lightning-') &&
      (hasValue(attributesOf(child), 'label') || hasValue(attributesOf(child), 'alternative-text'))
    )
      return true;
    if (child.type === 'Slot' || child.type === 'Component' || child.type === 'Lwc') return true;
    if (hasText(child)) return true;
  }
  return false;
}

function childrenOf(node: TemplateNode): TemplateNode[] {
  const children = [...(node.children ?? [])];
  if (node.else) children.push(node.else);
  return children;
}

/**
 * Accessibility checks of a template, from the LWC template compiler's AST: images without alt, fields and
 * buttons without names, click handlers on static elements, skipped heading levels, unknown ARIA, and more.
 * Returns nothing for a template that does not parse (the compiler reports that).
 */
export async function checkAccessibility(file: string, source: string): Promise<Finding[]> {
  const { parse } = await import('@lwc/template-compiler');
  let root: TemplateNode | undefined;
  try {
    root = parse(source, { enableDynamicComponents: true, experimentalDynamicDirective: true })
      .root as unknown as TemplateNode | undefined;
  } catch {
    return [];
  }
  if (!root) return [];
  const findings: Finding[] = [];
  const add = (at: Located, rule: string, severity: Finding['severity'], message: string, fix: string) =>
    findings.push({
      file,
      line: at.location.startLine,
      column: at.location.startColumn,
      rule: `a11y/${rule}`,
      severity,
      message,
      fix,
    });

  // Ids that a <label for> names: those fields have a label.
  const labelledIds = new Set<string>();
  const collectLabels = (node: TemplateNode) => {
    if (node.name === 'label') {
      const target = literal(attributesOf(node).get('for'));
      if (typeof target === 'string') labelledIds.add(target);
    }
    for (const child of childrenOf(node)) collectLabels(child);
  };
  collectLabels(root);

  let lastHeading: { level: number } | undefined;
  const visit = (node: TemplateNode, insideLabel: boolean) => {
    const name = node.name;
    const isElement =
      ['Element', 'Component', 'ExternalComponent', 'Slot', 'Lwc'].includes(node.type) && !!name;
    const attributes = isElement ? attributesOf(node) : new Map<string, AttributeNode>();
    if (isElement && name) checkElement(node, name, attributes, insideLabel);
    for (const child of childrenOf(node)) visit(child, insideLabel || name === 'label');
  };

  const checkElement = (node: TemplateNode, name: string, attributes: Attrs, insideLabel: boolean) => {
    for (const [attributeName, attribute] of attributes) {
      if (attributeName.startsWith('aria-') && !ARIA_ATTRIBUTES.has(attributeName))
        add(
          attribute,
          'aria-attribute',
          'error',
          `${attributeName} is not an ARIA attribute`,
          'Use a valid aria-* name (aria-label, aria-describedby, …) or remove it.',
        );
    }
    const role = literal(attributes.get('role'));
    if (
      typeof role === 'string' &&
      role.trim() &&
      !role
        .trim()
        .split(/\s+/)
        .every((item) => ROLES.has(item))
    )
      add(
        attributes.get('role')!,
        'aria-role',
        'error',
        `role="${role}" is not an ARIA role`,
        'Use a WAI-ARIA role (button, link, dialog, …) or remove it.',
      );

    if (
      name === 'img' &&
      !attributes.has('alt') &&
      !hasValue(attributes, 'aria-label') &&
      !hasValue(attributes, 'aria-labelledby') &&
      role !== 'presentation' &&
      role !== 'none'
    )
      add(
        node,
        'img-alt',
        'error',
        '<img> has no alt text',
        'Add alt="what the image shows", or alt="" when it is decorative.',
      );

    if (name === 'iframe' && !hasValue(attributes, 'title') && !hasValue(attributes, 'aria-label'))
      add(node, 'iframe-title', 'error', '<iframe> has no title', 'Add title="what the frame shows".');

    if (name === 'input' || name === 'select' || name === 'textarea') {
      const type = literal(attributes.get('type'));
      const unlabelledTypes = ['hidden', 'submit', 'button', 'reset', 'image'];
      const id = literal(attributes.get('id'));
      const labelled =
        insideLabel ||
        hasAccessibleName(attributes) ||
        (typeof id === 'string' && labelledIds.has(id)) ||
        (name === 'input' && typeof type === 'string' && unlabelledTypes.includes(type));
      if (!labelled)
        add(
          node,
          'field-label',
          'error',
          `<${name}> has no label`,
          'Wrap it in <label>, point a <label for> at its id, or add aria-label; better, use lightning-input with label.',
        );
    }
    if (LABELLED_FIELDS.has(name) && !hasValue(attributes, 'label') && !hasValue(attributes, 'aria-label'))
      add(
        node,
        'field-label',
        'error',
        `<${name}> has no label`,
        `Add label="…" (with variant="label-hidden" if it must not show); screen readers announce it.`,
      );

    if (name === 'button' && !hasText(node) && !hasAccessibleName(attributes))
      add(
        node,
        'button-name',
        'error',
        '<button> has no text or label',
        'Put text in the button, or add aria-label (for an icon-only button).',
      );
    if (
      name === 'lightning-button' &&
      !hasValue(attributes, 'label') &&
      !hasValue(attributes, 'title') &&
      !hasValue(attributes, 'aria-label')
    )
      add(
        node,
        'button-name',
        'error',
        '<lightning-button> has no label',
        'Add label="…" (the button text).',
      );
    if (
      (name === 'lightning-button-icon' || name === 'lightning-button-icon-stateful') &&
      !hasValue(attributes, 'alternative-text')
    )
      add(
        node,
        'button-name',
        'error',
        `<${name}> has no alternative-text`,
        'Add alternative-text="what the button does"; it is the only name a screen reader gets.',
      );
    if (
      name === 'lightning-button-menu' &&
      !hasValue(attributes, 'label') &&
      !hasValue(attributes, 'alternative-text')
    )
      add(
        node,
        'button-name',
        'error',
        '<lightning-button-menu> has no label or alternative-text',
        'Add alternative-text="Show actions" (or a label).',
      );
    if (name === 'lightning-icon' && !attributes.has('alternative-text') && !hasValue(attributes, 'title'))
      add(
        node,
        'icon-alt',
        'warning',
        '<lightning-icon> has no alternative-text',
        'Add alternative-text="…" when the icon means something; alternative-text="" marks it decorative.',
      );

    const listeners = new Set((node.listeners ?? []).map((listener) => listener.name.toLowerCase()));
    const keyboard = ['keydown', 'keyup', 'keypress'].some((event) => listeners.has(event));
    if (listeners.has('click') && STATIC.has(name) && node.type === 'Element') {
      const tabindex = attributes.has('tabindex');
      const missing = [
        ...(typeof role === 'string' && role.trim() && role !== 'presentation' && role !== 'none'
          ? []
          : ['a role']),
        ...(tabindex ? [] : ['tabindex="0"']),
        ...(keyboard ? [] : ['a keyboard handler (onkeydown)']),
      ];
      if (missing.length)
        add(
          node.listeners!.find((listener) => listener.name.toLowerCase() === 'click')!,
          'click-on-static-element',
          'error',
          `onclick on <${name}> without ${missing.join(', ')}: keyboard and screen-reader users cannot use it`,
          'Use a <button> (or lightning-button), or add role="button", tabindex="0" and an onkeydown handler for Enter and Space.',
        );
    }
    if (name === 'a') {
      const href = attributes.get('href');
      const hrefValue = literal(href);
      if (listeners.has('click') && !href && !(typeof role === 'string' && role.trim()))
        add(
          node,
          'anchor-as-button',
          'error',
          '<a> without href used as a button',
          'Use a <button> (or lightning-button); a link needs an href to be focusable.',
        );
      else if (
        typeof hrefValue === 'string' &&
        /^\s*(javascript:|#\s*$)/i.test(hrefValue) &&
        listeners.has('click')
      )
        add(
          href!,
          'anchor-as-button',
          'warning',
          `<a href="${hrefValue}"> with onclick acts as a button`,
          'Use a <button> (or lightning-button) for actions; keep <a> for navigation.',
        );
      if (!hasText(node) && !hasAccessibleName(attributes))
        add(node, 'link-name', 'error', '<a> has no text', 'Put text in the link, or add aria-label.');
    }

    const heading = /^h([1-6])$/.exec(name);
    if (heading) {
      const level = Number(heading[1]);
      if (lastHeading && level > lastHeading.level + 1)
        add(
          node,
          'heading-order',
          'warning',
          `<h${level}> follows <h${lastHeading.level}>: a heading level is skipped`,
          `Use <h${lastHeading.level + 1}> (style it with SLDS classes if it must look smaller).`,
        );
      lastHeading = { level };
      if (!hasText(node) && !hasAccessibleName(attributes))
        add(node, 'heading-empty', 'warning', `<h${level}> is empty`, 'Give the heading text, or remove it.');
    }

    const autofocus = attributes.get('autofocus');
    if (autofocus)
      add(
        autofocus,
        'no-autofocus',
        'warning',
        'autofocus moves focus without the user asking',
        'Remove autofocus; move focus in code only after a user action.',
      );
    if (name === 'marquee' || name === 'blink')
      add(
        node,
        'no-distracting-elements',
        'error',
        `<${name}> is distracting and deprecated`,
        'Remove it; use static content.',
      );
  };

  visit(root, false);
  return findings;
}
