/**
 * The toolset's guides: markdown files in the package's guides/ folder, served as MCP resources
 * (sfmcp://lwc/<topic>), through get_lwc_guide, and summarised by three prompts. Files are read on first use.
 */
import { readFile } from 'node:fs/promises';
import type { PluginPrompt, PluginResource } from '@sfmcp/plugin-api';

export const GUIDE_TOPICS = [
  'development',
  'best-practices',
  'lds',
  'lds-adapters',
  'graphql',
  'security',
  'accessibility',
  'rtl',
  'styling',
  'slds2-uplift',
  'jest',
  'base-components',
  'design',
  'figma',
  'aura-migration',
  'lightning-out',
  'lightning-types',
  'utam',
] as const;
export type GuideTopic = (typeof GUIDE_TOPICS)[number];

export const GUIDES: Readonly<Record<GuideTopic, { title: string; description: string }>> = {
  development: {
    title: 'LWC development workflow',
    description:
      'From a spec or PRD to a deployed component: scaffold, validate, test, deploy, with this server’s tools.',
  },
  'best-practices': {
    title: 'LWC best practices',
    description:
      'Structure, reactivity, lifecycle, data, performance, security and styling rules; how to optimize a component.',
  },
  lds: {
    title: 'Lightning Data Service and UI API',
    description:
      'Reading and writing records with LDS, data consistency after changes, referential integrity, errors.',
  },
  'lds-adapters': {
    title: 'UI API wire adapters (reference)',
    description:
      'Each LDS adapter and function: its module, parameters and what it returns; the main UI API types.',
  },
  graphql: {
    title: 'GraphQL in LWC',
    description:
      'Read queries with the lightning/uiGraphQLApi wire and gql, filters, pagination, refresh; mutations.',
  },
  security: {
    title: 'Lightning Web Security',
    description:
      'What LWS isolates and distorts, the rules for safe LWC code, and the Apex side of security.',
  },
  accessibility: {
    title: 'Accessibility in LWC',
    description:
      'Names, roles, states, structure, keyboard and focus, images, color, and accessibility tests.',
  },
  rtl: {
    title: 'Right-to-left support',
    description: 'Logical CSS properties, mirrored icons, formatting and checks for RTL languages.',
  },
  styling: {
    title: 'Styling with SLDS styling hooks',
    description:
      'Global, shared and component styling hooks for colors, spacing, typography, sizing, borders, shadows.',
  },
  'slds2-uplift': {
    title: 'SLDS 2 uplift',
    description:
      'Moving a component to SLDS 2: the SLDS linter, hooks for literal values and old tokens, no overrides.',
  },
  jest: {
    title: 'Jest tests for LWC',
    description: 'sfdx-lwc-jest tests: wire and Apex mocks, events, what to test, and how to review tests.',
  },
  'base-components': {
    title: 'Lightning base components',
    description: 'Which base component fits which need, and how to use them well.',
  },
  design: {
    title: 'Designing with SLDS',
    description:
      'SLDS principles, layout, typography, icons, blueprints and the states every component needs.',
  },
  figma: {
    title: 'Figma to LWC',
    description: 'Turning a design into base components, SLDS blueprints and styling hooks.',
  },
  'aura-migration': {
    title: 'Aura to LWC migration',
    description:
      'The migration steps with this server’s tools, the Aura → LWC mapping, and a completeness check.',
  },
  'lightning-out': {
    title: 'Lightning Out 2.0 migration',
    description:
      'Moving Lightning Out Beta embeddings to Lightning Out 2.0: loader, auth, attributes, events, styling.',
  },
  'lightning-types': {
    title: 'Custom Lightning Types',
    description: 'LightningTypeBundle schema, renderer and editor LWCs for Agentforce action data.',
  },
  utam: {
    title: 'UTAM page objects',
    description: 'Writing UTAM JSON page objects for LWC: root, shadow, element types, methods.',
  },
};

/**
 * @salesforce/mcp's guidance tools this toolset answers with a guide: official tool name → our topic. The server
 * answers a call to one of these names by calling get_lwc_guide with `topic` set to the name.
 */
export const OFFICIAL_GUIDE_TOOLS: Readonly<Record<string, GuideTopic>> = {
  guide_lwc_development: 'development',
  guide_lwc_best_practices: 'best-practices',
  guide_component_accessibility: 'accessibility',
  guide_lwc_rtl_support: 'rtl',
  guide_lds_development: 'lds',
  guide_lds_data_consistency: 'lds',
  guide_lds_referential_integrity: 'lds',
  guide_lds_graphql: 'graphql',
  guide_lws_security: 'security',
  guide_design_general: 'design',
  guide_figma_to_lwc_conversion: 'figma',
  guide_lbc_usage: 'base-components',
  guide_slds_styling: 'styling',
  guide_slds_blueprints: 'design',
  guide_utam_generation: 'utam',
  guide_lo_migration: 'lightning-out',
  create_lightning_type: 'lightning-types',
  create_lds_graphql_read_query: 'graphql',
  create_lds_graphql_mutation_query: 'graphql',
  orchestrate_lwc_component_creation: 'development',
  orchestrate_lwc_component_optimization: 'best-practices',
  orchestrate_lwc_component_testing: 'jest',
  orchestrate_lds_data_requirements: 'lds',
  orchestrate_lwc_slds2_uplift: 'slds2-uplift',
  create_lwc_component_from_prd: 'development',
  review_lwc_jest_tests: 'jest',
  run_lwc_accessibility_jest_tests: 'accessibility',
  verify_aura_migration_completeness: 'aura-migration',
  explore_lds_uiapi: 'lds-adapters',
  enhance_aura_blueprint_draft: 'aura-migration',
};

/** The section of a guide an official tool is about, when it is one part of a larger guide. */
export const OFFICIAL_GUIDE_SECTIONS: Readonly<Record<string, string>> = {
  guide_lds_data_consistency: 'Data consistency',
  guide_lds_referential_integrity: 'Referential integrity',
  guide_slds_blueprints: 'Blueprints',
  create_lds_graphql_read_query: 'Read query',
  create_lds_graphql_mutation_query: 'Mutation query',
  orchestrate_lwc_component_optimization: 'Optimizing a component',
  orchestrate_lds_data_requirements: 'Data requirements',
  review_lwc_jest_tests: 'Reviewing tests',
  run_lwc_accessibility_jest_tests: 'Testing',
  verify_aura_migration_completeness: 'Completeness check',
};

export function isGuideTopic(value: string): value is GuideTopic {
  return (GUIDE_TOPICS as readonly string[]).includes(value);
}

export function guideUri(topic: GuideTopic): string {
  return `sfmcp://lwc/${topic}`;
}

/** src/guides/index.ts and dist/guides/index.js both sit two folders below the package root. */
function guideFile(topic: GuideTopic): URL {
  return new URL(`../../guides/${topic}.md`, import.meta.url);
}

const texts = new Map<GuideTopic, Promise<string>>();

/** A guide's markdown (read from the package on first use). */
export function readGuide(topic: GuideTopic): Promise<string> {
  let text = texts.get(topic);
  if (!text) {
    text = readFile(guideFile(topic), 'utf8').catch((error: unknown) => {
      texts.delete(topic);
      throw new Error(`The guide ${topic} is missing from the package (${(error as Error).message}).`);
    });
    texts.set(topic, text);
  }
  return text;
}

export interface GuideSection {
  heading: string;
  /** The section's markdown, its heading line included. */
  text: string;
}

/** A guide split at its `## ` headings: the introduction (heading '') and each section. */
export function guideSections(markdown: string): GuideSection[] {
  const sections: GuideSection[] = [];
  let current: GuideSection = { heading: '', text: '' };
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^## (.+)$/.exec(line);
    if (heading) {
      sections.push(current);
      current = { heading: heading[1]!.trim(), text: '' };
    }
    current.text += `${line}\n`;
  }
  sections.push(current);
  return sections.filter((section) => section.text.trim());
}

export const guideResources: PluginResource[] = GUIDE_TOPICS.map((topic) => ({
  uri: guideUri(topic),
  name: `lwc-${topic}`,
  title: GUIDES[topic].title,
  description: GUIDES[topic].description,
  mimeType: 'text/markdown',
  read: () => readGuide(topic),
}));

function resources(topics: GuideTopic[]): string {
  return topics.map((topic) => `${guideUri(topic)} (${GUIDES[topic].title})`).join(', ');
}

export const guidePrompts: PluginPrompt[] = [
  {
    name: 'create_lwc_component',
    title: 'Create a Lightning Web Component',
    description:
      'Build a new LWC from a description: pick base components, scaffold, validate, test, deploy.',
    arguments: [
      { name: 'requirements', description: 'what the component should do, where it runs', required: true },
      { name: 'name', description: 'bundle name in camelCase (optional)' },
    ],
    render: (args) =>
      [
        `Create a Lightning Web Component${args.name ? ` named ${args.name}` : ''} that does this:`,
        '',
        (args.requirements ?? '').trim() || '(no requirements given: ask me what it should do)',
        '',
        'Work in this order:',
        '1. Turn the requirements into a short spec: name (camelCase), label, targets (record page, app page, home page, flow screen...), public properties, the data it reads or writes and how (Lightning Data Service, GraphQL or Apex), the events it raises. Ask me about anything unclear before writing code.',
        '2. Call explore_lbc_components with a `need` for each part of the UI (and names you already know) to use base components instead of custom markup.',
        '3. Call create_lwc_component with the spec.',
        '4. Write the logic. Call validate_lwc_component after each change and fix every error it reports.',
        '5. Call create_lwc_jest_tests, complete the tests for each state and interaction, and run them with run_lwc_jest_tests until they pass.',
        '6. Only when I agree, deploy the bundle with deploy_metadata.',
        `Guides, if you need them: ${resources(['development', 'best-practices', 'lds', 'accessibility'])} (or get_lwc_guide).`,
      ].join('\n'),
  },
  {
    name: 'optimize_lwc_component',
    title: 'Optimize a Lightning Web Component',
    description:
      'Review and improve an existing LWC: validation findings, data access, performance, styling, tests.',
    arguments: [{ name: 'componentName', description: 'the LWC bundle name (camelCase)', required: true }],
    render: (args) =>
      [
        `Optimize the Lightning Web Component ${args.componentName || '(ask me which component)'} in this project.`,
        '',
        `1. Call validate_lwc_component for ${args.componentName || 'it'} and note its readiness score and findings.`,
        '2. Fix the errors first, then the warnings: data access (Lightning Data Service or cacheable Apex, errors handled, refresh after writes), rendering (keys, conditional rendering, no work in renderedCallback), security, accessibility.',
        '3. Replace hard-coded CSS values with styling hooks: explore_slds_styling with `search` set to each value tells you which hook to use.',
        '4. Call validate_lwc_component again: the score should rise and no errors remain.',
        '5. Run run_lwc_jest_tests for the component; add or fix tests for what changed (create_lwc_jest_tests if it has none).',
        'Explain each change in one line. Do not change its public API (@api properties, events) without asking me.',
        `Guides: ${resources(['best-practices', 'slds2-uplift', 'jest'])} (or get_lwc_guide).`,
      ].join('\n'),
  },
  {
    name: 'migrate_aura_component',
    title: 'Migrate an Aura component to LWC',
    description:
      'Migrate an Aura component to a Lightning Web Component: blueprint, decisions, scaffold, validate, test.',
    arguments: [{ name: 'componentName', description: 'the Aura bundle name', required: true }],
    render: (args) =>
      [
        `Migrate the Aura component ${args.componentName || '(ask me which component)'} to a Lightning Web Component.`,
        '',
        `1. Call create_aura_blueprint_draft for ${args.componentName || 'it'}. Read the blueprint: attributes, handlers, events, server calls, base components, dependencies.`,
        '2. For each item the blueprint flags for a decision, propose the LWC equivalent (application events → Lightning Message Service, force: events → lightning/* modules, renderers → lifecycle hooks) and ask me when there is a real choice.',
        '3. Call orchestrate_aura_migration to scaffold the LWC and validate it.',
        '4. Complete the logic; call validate_lwc_component until it reports no errors.',
        '5. Call create_lwc_jest_tests and run_lwc_jest_tests; cover what the Aura component did.',
        '6. Check the result against the completeness check of the Aura migration guide, item by item, and tell me what is left (pages to update, the Aura component to retire).',
        `Guide: ${resources(['aura-migration'])} (or get_lwc_guide with topic aura-migration).`,
      ].join('\n'),
  },
];
