import { createRequire } from 'node:module';

/** One diagnostic of the LWC compiler, as @lwc/errors catalogues it. */
export interface CatalogEntry {
  /** 1034 */
  code: number;
  /** "LWC1034" */
  id: string;
  /** The catalogue's key: AMBIGUOUS_ATTRIBUTE_VALUE. */
  name: string;
  /** The message template; {0}, {1}… are filled in by the compiler. */
  message: string;
  level: 'fatal' | 'error' | 'warning' | 'log';
  /** The @lwc/errors export it belongs to: ParserDiagnostics, DecoratorErrors… */
  group: string;
  url?: string;
}

const LEVELS = ['fatal', 'error', 'warning', 'log'] as const;

/** Which part of the compiler raises each group's diagnostics, in plain words. */
export const GROUP_PARTS: Record<string, string> = {
  ParserDiagnostics: 'the template compiler, reading the .html template',
  TemplateErrors: "the template compiler's setup (its options), rarely the component itself",
  DecoratorErrors: 'the JavaScript compiler, checking @api, @track and @wire',
  LWCClassErrors: 'the JavaScript compiler, checking the component class and its imports',
  TransformerErrors: "the compiler's file transformers (JavaScript through Babel, HTML, CSS through PostCSS)",
  ModuleResolutionErrors: 'module resolution: the imports between the bundle’s files and other modules',
  CompilerValidationErrors: 'the compiler’s option checks: how the compiler was called, not the component',
  SsrCompilerErrors: 'the server-side rendering compiler',
};

let catalog: CatalogEntry[] | undefined;
let version = '';

/** Every diagnostic @lwc/errors exports, by code. */
export async function loadCatalog(): Promise<CatalogEntry[]> {
  if (catalog) return catalog;
  const errors = (await import('@lwc/errors')) as unknown as Record<string, unknown>;
  const entries: CatalogEntry[] = [];
  for (const [group, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [name, info] of Object.entries(value as Record<string, unknown>)) {
      const item = info as { code?: unknown; message?: unknown; level?: unknown; url?: unknown };
      if (typeof item?.code !== 'number' || typeof item.message !== 'string') continue;
      entries.push({
        code: item.code,
        id: `LWC${item.code}`,
        name,
        message: item.message,
        level: LEVELS[typeof item.level === 'number' ? item.level : 1] ?? 'error',
        group,
        ...(typeof item.url === 'string' && item.url ? { url: item.url } : {}),
      });
    }
  }
  entries.sort((a, b) => a.code - b.code);
  catalog = entries;
  return entries;
}

/** The installed @lwc/errors version (the catalogue's). */
export function catalogVersion(): string {
  if (!version) {
    try {
      version = (createRequire(import.meta.url)('@lwc/errors/package.json') as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

/** "LWC1034", "lwc1034", "LWC 1034", "LWC-1034" or "1034" → 1034; undefined when it is not a code. */
export function parseCode(text: string): number | undefined {
  const trimmed = text.trim();
  const named = /\bLWC[\s_-]?(\d{3,5})\b/i.exec(trimmed);
  if (named) return Number(named[1]);
  const bare = /^#?(\d{3,5})$/.exec(trimmed);
  return bare ? Number(bare[1]) : undefined;
}

/** The code's entry, or undefined. */
export async function findByCode(code: number): Promise<CatalogEntry | undefined> {
  return (await loadCatalog()).find((entry) => entry.code === code);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A template as a regex: each {n} matches any text, the rest literally (spaces loosely). */
export function templateRegex(template: string): RegExp {
  const parts = template.split(/\{\d+\}/).map((part) => escapeRegExp(part).replace(/\s+/g, '\\s+'));
  return new RegExp(parts.join('([\\s\\S]+?)'), 'i');
}

export interface MessageMatch {
  entry: CatalogEntry;
  /** The placeholder values, in order. */
  values: string[];
  /** Characters of the template's own text the message contains: how specific the match is. */
  weight: number;
}

/**
 * The catalogue entries whose template matches a compiler message, best first. Templates that are only a
 * placeholder ("{0}") match anything and are left out.
 */
export async function matchMessage(message: string): Promise<MessageMatch[]> {
  const text = message.replace(/^\s*(?:\w*Error:\s*)?(?:LWC\d+:\s*)?/i, '').trim();
  const matches: MessageMatch[] = [];
  for (const entry of await loadCatalog()) {
    const literal = entry.message
      .replace(/\{\d+\}/g, '')
      .replace(/[\s.]+/g, ' ')
      .trim();
    if (literal.length < 8) continue;
    const match = templateRegex(entry.message).exec(text);
    if (match) matches.push({ entry, values: match.slice(1), weight: literal.length });
  }
  // A message that is a longer template's prefix also matches a shorter one: the longest template wins.
  return matches.sort((a, b) => b.weight - a.weight);
}

/** Our cause and fix for the codes components hit most. */
export const ADVICE: Record<number, { cause: string; fix: string }> = {
  1002: {
    cause: 'An import could not be resolved while compiling the bundle.',
    fix: 'Check the import path and the name of the module or file; c/ imports name another bundle by its camelCase folder name.',
  },
  1007: {
    cause:
      'The JavaScript does not parse, or a Babel plugin rejected it: the message holds the parser’s own text and position.',
    fix: 'Fix the syntax at the reported line (a missing bracket or comma, TypeScript in a .js file, an unsupported proposal).',
  },
  1008: {
    cause:
      'The HTML template could not be compiled for a reason the template compiler did not code more precisely.',
    fix: 'Read the wrapped message; check the template has one root <template> and valid markup.',
  },
  1009: {
    cause: 'The CSS does not parse (PostCSS), or it uses something LWC’s style compiler refuses.',
    fix: 'Fix the CSS at the reported line: unclosed blocks, stray characters; no @import of other files except the bundle’s own.',
  },
  1011: {
    cause: 'A relative import names a file that is not in the component folder.',
    fix: 'Add the file to the bundle, or correct the import (./utils imports utils.js in the same folder).',
  },
  1034: {
    cause: 'A template binding is wrapped in quotes: attr="{value}". LWC reads bindings only without quotes.',
    fix: 'Remove the quotes: attr={value}. If you meant the literal text, escape the brace: attr="\\{value}".',
  },
  1035: {
    cause:
      'An attribute value mixes a {binding} with other text inside quotes; LWC does not interpolate strings.',
    fix: 'Compute the whole string in a getter and bind it: class={computedClass}.',
  },
  1036: {
    cause:
      'A boolean attribute is given the value "false": in HTML a present boolean attribute is true whatever it says.',
    fix: 'Leave the attribute out for false, or bind it: disabled={isDisabled}.',
  },
  1037: {
    cause: 'A boolean attribute is given the value "true"; HTML expects it empty or absent.',
    fix: 'Write the attribute alone (<input required>) or bind it to a property.',
  },
  1038: {
    cause:
      'The template uses computed member access (items[0], obj[key]); LWC templates allow only dotted names.',
    fix: 'Expose the value through a getter in the JavaScript and bind that: {firstItem}.',
  },
  1039: {
    cause: 'A directive (lwc:if, for:each, key…) has a string value where it needs a {binding}.',
    fix: 'Bind it: lwc:if={isVisible}, not lwc:if="isVisible".',
  },
  1040: {
    cause: 'An id attribute contains whitespace.',
    fix: 'Use an id without spaces; LWC rewrites ids to keep them unique per component instance.',
  },
  1041: {
    cause: 'An element inside for:each or an iterator has a static id, so every copy would share it.',
    fix: 'Compute the id per item (id={item.id}) or use a data-id attribute / key instead.',
  },
  1042: {
    cause: 'Two elements of the template have the same static id.',
    fix: 'Give each element its own id.',
  },
  1043: {
    cause:
      'An event handler attribute (onclick…) is a string, for example onclick="handleClick" or onclick="{handleClick}".',
    fix: 'Bind the method without quotes: onclick={handleClick}.',
  },
  1044: {
    cause: 'for:each is used without for:item (or for:item without for:each).',
    fix: 'Use both on the same <template>: <template for:each={items} for:item="item">.',
  },
  1045: {
    cause: 'for:each is given a string instead of a binding.',
    fix: 'Bind the array: for:each={items}.',
  },
  1046: {
    cause: 'for:index is given a binding instead of a name.',
    fix: 'Give the index variable name as a string: for:index="index".',
  },
  1047: {
    cause: 'for:item is given a binding instead of a name.',
    fix: 'Give the item variable name as a string: for:item="item".',
  },
  1048: {
    cause: 'An <iframe> has a srcdoc attribute, which LWC forbids for security.',
    fix: 'Load a URL with src instead, or render the content in the template.',
  },
  1051: {
    cause: 'The template uses a tag LWC does not allow (<style>, <script>, <base>, …).',
    fix: 'Move styles into the bundle’s .css file and code into its .js; remove the tag.',
  },
  1053: {
    cause: 'A template expression has an identifier the parser cannot read.',
    fix: 'Use a plain property name or dotted path in braces: {account.Name}.',
  },
  1054: {
    cause: 'if:true/if:false is given a string instead of a binding.',
    fix: 'Bind it (if:true={isOpen}); better, use lwc:if={isOpen}, which replaces if:true.',
  },
  1055: {
    cause: 'An attribute on a custom element or base component is written in camelCase.',
    fix: 'Write attributes in kebab-case: record-id={recordId} sets the recordId property.',
  },
  1056: {
    cause:
      'An event name in the template (on…) has upper-case letters, hyphens or other characters LWC does not allow.',
    fix: 'Use lower-case event names without hyphens: onitemselected, and dispatch new CustomEvent("itemselected").',
  },
  1057: {
    cause: 'An attribute is not a known attribute of that HTML element (often a typo, or a property name).',
    fix: 'Check the spelling against the element’s attributes; use data-* for your own data and aria-* for accessibility.',
  },
  1058: {
    cause: 'The template is not valid HTML (the named HTML parse error).',
    fix: 'Fix the markup the error names: unclosed or misnested tags, bad attribute syntax.',
  },
  1059: {
    cause: 'A template expression is not a valid identifier.',
    fix: 'Bind a property name from the JavaScript class: {propertyName}.',
  },
  1060: {
    cause: 'A template expression uses something LWC templates do not allow (calls, operators, literals).',
    fix: 'Compute the value in a getter and bind the getter: {isEmpty} instead of {items.length === 0}.',
  },
  1061: {
    cause: 'tabindex has a value other than 0 or -1.',
    fix: 'Use tabindex="0" to make an element focusable in order, tabindex="-1" for focus from code only.',
  },
  1063: {
    cause: 'The is attribute (customized built-in elements) is used; LWC does not support it.',
    fix: 'Use a Lightning web component (c-my-widget) instead.',
  },
  1064: {
    cause: 'key is given a string instead of a binding.',
    fix: 'Bind a unique value per item: key={item.id}.',
  },
  1065: {
    cause: 'key uses the for:each index, which changes when the list changes.',
    fix: 'Use a stable unique value of the item (key={item.id}).',
  },
  1066: {
    cause: 'key uses the iterator index, which changes when the list changes.',
    fix: 'Use a stable unique value of the item (key={it.value.id}).',
  },
  1071: {
    cause: 'The first element inside for:each or an iterator has no key.',
    fix: 'Add key={item.id} (a unique, stable value) to the element directly inside the loop template.',
  },
  1072: {
    cause: 'The template file has no root <template> element.',
    fix: 'Wrap the markup in <template>…</template>.',
  },
  1074: {
    cause: 'An attribute or text node holds more than one {expression}.',
    fix: 'Use one binding per attribute; combine values in a getter.',
  },
  1075: {
    cause: 'The template file has more than one root element.',
    fix: 'Keep a single <template> root and put everything inside it.',
  },
  1077: {
    cause:
      'A nested <template> has no directive (lwc:if, for:each, iterator, lwc:slot-data…), so it means nothing.',
    fix: 'Add the directive you meant, or remove the <template> wrapper.',
  },
  1078: {
    cause: 'A tag is opened but never closed (or closed in the wrong order).',
    fix: 'Close the element; custom elements always need an explicit closing tag (<c-child></c-child>).',
  },
  1079: {
    cause: 'The file’s root element is not <template>.',
    fix: 'Make <template> the outermost element of the .html file.',
  },
  1080: {
    cause: 'The root <template> has attributes it does not allow.',
    fix: 'Only lwc:render-mode and lwc:preserve-comments go on the root <template>; move the rest to an inner element.',
  },
  1082: {
    cause: 'A <slot> has a template directive such as lwc:if or for:each.',
    fix: 'Put the directive on a <template> around the slot.',
  },
  1083: {
    cause: 'A template expression does not parse.',
    fix: 'Keep expressions to property names and dotted paths: {record.fields.Name.value}.',
  },
  1085: {
    cause: 'lwc:dom has a value other than "manual".',
    fix: 'Write lwc:dom="manual", on an empty element you fill from JavaScript.',
  },
  1086: {
    cause: 'An element with lwc:dom="manual" has children in the template.',
    fix: 'Leave the element empty; add its content from JavaScript.',
  },
  1092: {
    cause: '@wire is called without an adapter as its first argument.',
    fix: 'Pass the imported adapter first: @wire(getRecord, { recordId: "$recordId", fields }).',
  },
  1093: {
    cause: 'A field is decorated with both @api and @track.',
    fix: 'Keep @api; public properties are already reactive.',
  },
  1094: {
    cause: '@wire’s second argument is not an object literal.',
    fix: 'Give the config inline: @wire(adapter, { param: "$property" }).',
  },
  1095: {
    cause: '@wire is combined with @api or @track on the same member.',
    fix: 'Use @wire alone on that property or method.',
  },
  1096: {
    cause: 'The same @api property is declared twice.',
    fix: 'Remove the duplicate declaration.',
  },
  1097: {
    cause: '@wire’s first argument is not an identifier (for example a call or a string).',
    fix: 'Import the adapter and pass its name: @wire(getContacts).',
  },
  1098: {
    cause: 'The @wire adapter is a local name, not an import.',
    fix: 'Import the adapter (from lightning/… or @salesforce/apex/…) and pass it.',
  },
  1099: {
    cause: 'A boolean @api property defaults to true; HTML boolean attributes can only switch something on.',
    fix: 'Default it to false and invert its meaning if needed (hideHeader instead of showHeader = true).',
  },
  1100: {
    cause: 'A decorator that is not @api, @track or @wire is used, or one is not imported from lwc.',
    fix: 'Import api, track and wire from "lwc"; other decorators are not supported.',
  },
  1102: {
    cause: 'A decorator is used without being imported from lwc.',
    fix: 'Add it to the import: import { LightningElement, api, wire } from "lwc".',
  },
  1103: {
    cause: 'A decorator is applied to something other than a class field, getter, setter or method.',
    fix: 'Put @api/@track/@wire on class members only.',
  },
  1105: {
    cause: 'A member has more than one @wire.',
    fix: 'Use one @wire per property or method; wire the other adapter to another member.',
  },
  1106: {
    cause: '@api is on a member whose name is computed ([key]).',
    fix: 'Give the public property a plain name: @api recordId.',
  },
  1107: {
    cause: 'A public property’s name starts with "data", which is reserved for data-* attributes.',
    fix: 'Rename it (dataValue → value, recordData → record).',
  },
  1108: {
    cause: 'A public property’s name starts with "on", which is reserved for event handlers.',
    fix: 'Rename it (onSelect → selectHandler), and fire an event instead of taking a callback where you can.',
  },
  1109: {
    cause:
      'A public property is named like an HTML attribute in lower case (maxlength) whose camelCase form is what templates set.',
    fix: 'Use the camelCase name the message suggests (maxLength).',
  },
  1110: {
    cause: 'A public property uses a reserved name (class, slot, style, is…).',
    fix: 'Choose another name.',
  },
  1111: {
    cause: 'A public property is named "part", reserved for web components.',
    fix: 'Choose another name.',
  },
  1112: {
    cause: 'Both the getter and the setter of a property are decorated with @api.',
    fix: 'Decorate only one of them (usually the getter).',
  },
  1113: {
    cause: '@track is on something other than a class field.',
    fix: 'Use @track on fields only; getters are reactive by themselves.',
  },
  1116: {
    cause: 'The component folder starts with a capital letter.',
    fix: 'Rename the folder and files to start lower-case (myComponent).',
  },
  1117: {
    cause: 'A file name’s case differs from the component folder’s.',
    fix: 'Give the files exactly the folder’s name (myComponent.js, myComponent.html).',
  },
  1118: {
    cause: 'An import differs in case from the file it means.',
    fix: 'Match the file name’s case exactly in the import.',
  },
  1119: {
    cause: 'The @wire adapter name is not imported.',
    fix: 'Import the adapter you wire.',
  },
  1120: {
    cause: 'A dynamic import() uses a relative path.',
    fix: 'Import relative files statically, or import a module by its name (c/other) dynamically.',
  },
  1121: {
    cause: 'A dynamic import() takes a computed value where strict mode requires a string literal.',
    fix: 'Pass the module name as a string literal: import("c/chart").',
  },
  1122: {
    cause: 'The template contains a <style> element.',
    fix: 'Move the rules into the bundle’s .css file.',
  },
  1123: {
    cause: 'The template uses a tag that is neither HTML, SVG nor a custom element with a namespace.',
    fix: 'Fix the tag name; custom components need a namespace and a hyphen (c-my-widget, lightning-button).',
  },
  1127: {
    cause: 'An lwc: directive is unknown, or not allowed on that element.',
    fix: 'Check the spelling: lwc:if, lwc:elseif, lwc:else, lwc:ref, lwc:dom, lwc:spread, lwc:inner-html, lwc:is, lwc:external, lwc:render-mode.',
  },
  1131: {
    cause: 'The @wire adapter is accessed with a computed property.',
    fix: 'Import the adapter under a plain name and pass it.',
  },
  1132: {
    cause: 'The @wire adapter is a nested member expression (a.b.c).',
    fix: 'Import the adapter directly, or use at most one level (module.adapter).',
  },
  1133: {
    cause: 'lwc:render-mode has a value other than shadow or light.',
    fix: 'Write lwc:render-mode="light" and set static renderMode = "light" in the class.',
  },
  1135: {
    cause: 'lwc:dom="manual" is used in a light DOM template, where it is not needed.',
    fix: 'Remove lwc:dom; light DOM lets you change the DOM directly.',
  },
  1136: {
    cause: 'for:each and iterator are on the same element.',
    fix: 'Use one of them.',
  },
  1137: {
    cause: 'Two slots have the same name (or two default slots).',
    fix: 'Give each slot a unique name.',
  },
  1138: {
    cause: 'A <slot> is inside for:each or an iterator.',
    fix: 'Move the slot out of the loop; slots cannot be repeated.',
  },
  1140: {
    cause: 'lwc:inner-html is on a custom element or an lwc: element.',
    fix: 'Put it on a native element such as <div>.',
  },
  1142: {
    cause: 'An element with lwc:inner-html has children.',
    fix: 'Leave the element empty.',
  },
  1144: {
    cause:
      'The HTML parser had to insert an element (for example a <tbody> in a table), so the template is not what it reads as.',
    fix: 'Write the missing element yourself (<table><tbody><tr>…).',
  },
  1145: {
    cause: 'A <template> tag has attributes other than directives (class, id…); they are ignored.',
    fix: 'Move them to a real element inside the <template>.',
  },
  1148: {
    cause: 'The template has HTML that parses today but breaks the HTML spec (the named parse error).',
    fix: 'Fix the markup; later LWC versions will reject it.',
  },
  1149: {
    cause: 'A key is set on an element that is not in an iteration, where it does nothing.',
    fix: 'Remove the key, or move it to the element directly inside for:each/iterator.',
  },
  1153: {
    cause: 'A nested <template> without a valid directive: it and its children are ignored.',
    fix: 'Add lwc:if/for:each/iterator to it, or remove the wrapper.',
  },
  1156: {
    cause: 'lwc:ref is on a <slot> or a <template>.',
    fix: 'Put lwc:ref on a real element.',
  },
  1157: {
    cause: 'lwc:ref has an empty value or a binding.',
    fix: 'Give it a plain name: lwc:ref="input", then use this.refs.input.',
  },
  1158: {
    cause: 'lwc:ref is used inside for:each or an iterator.',
    fix: 'Query repeated elements with this.template.querySelectorAll, or use data-* attributes.',
  },
  1159: {
    cause: 'lwc:if is given a string instead of a binding.',
    fix: 'Bind it: lwc:if={isVisible}.',
  },
  1160: {
    cause: 'lwc:elseif is given a string instead of a binding.',
    fix: 'Bind it: lwc:elseif={hasError}.',
  },
  1161: {
    cause: 'lwc:else has a value.',
    fix: 'Write lwc:else alone.',
  },
  1162: {
    cause: 'lwc:if is combined with if:true/if:false or another conditional on one element.',
    fix: 'Use only lwc:if (if:true/if:false are the older form).',
  },
  1165: {
    cause: 'lwc:elseif or lwc:else does not follow an element with lwc:if or lwc:elseif.',
    fix: 'Place it directly after the lwc:if branch, as a sibling, with nothing but whitespace between.',
  },
  1166: {
    cause: 'lwc:if/lwc:elseif/lwc:else is mixed with if:true/if:false on one element.',
    fix: 'Use one style; prefer lwc:if.',
  },
  1169: {
    cause: 'lwc:slot-bind (scoped slots) is used in a shadow DOM component.',
    fix: 'Scoped slots need light DOM: static renderMode = "light" and lwc:render-mode="light".',
  },
  1183: {
    cause: '<lwc:component> has no lwc:is.',
    fix: 'Add lwc:is={componentConstructor}, a constructor you import dynamically.',
  },
  1185: {
    cause: 'lwc:is is given a string.',
    fix: 'Bind the imported constructor: lwc:is={ctor}.',
  },
  1187: {
    cause: 'lwc:dynamic is used; it is deprecated.',
    fix: 'Use <lwc:component lwc:is={ctor}> instead.',
  },
  1188: {
    cause: 'Dynamic components are used where they are not enabled.',
    fix: 'Add <capabilities><capability>lightning__dynamicComponent</capability></capabilities> to js-meta.xml (API 59.0+).',
  },
  1198: {
    cause: '@api/@track/@wire are used in a class that does not extend LightningElement.',
    fix: 'Extend LightningElement (or a class that does), or remove the decorators.',
  },
  1199: {
    cause: 'A computed key in a @wire config is a template literal.',
    fix: 'Use a string or a constant as the key.',
  },
  1200: {
    cause: 'A computed key in a @wire config is not a constant or a literal.',
    fix: 'Use a const or a literal key.',
  },
  1201: {
    cause:
      'An element with slot="…" is not a direct child of the component it fills, so the slot attribute is ignored.',
    fix: 'Move the slotted element to be a direct child of the component (a <template lwc:if> in between is fine).',
  },
};
