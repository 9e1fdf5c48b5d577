import { type ElicitationAnswer, z } from '@sfmcp/plugin-api';
import { fixtureTool } from './define.js';

// Tools that ask the client during their call: its model (sampling) and its user (elicitation forms).

function describeAnswer(answer: ElicitationAnswer): string {
  return `action=${answer.action}, content=${JSON.stringify(answer.action === 'accept' ? answer.content : {})}`;
}

export const testSampling = fixtureTool({
  name: 'test_sampling',
  title: 'Sampling',
  description: "Asks the client's model to answer the prompt, and returns its answer.",
  input: z.object({ prompt: z.string().max(10_000).describe('The prompt to send to the model') }),
  handler: async ({ prompt }, ctx) => {
    const answer = await ctx.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
      maxTokens: 100,
    });
    const said = answer.content.type === 'text' ? answer.content.text : `(${answer.content.type} content)`;
    return { text: `LLM response: ${said}` };
  },
});

export const testElicitation = fixtureTool({
  name: 'test_elicitation',
  title: 'Elicitation',
  description: 'Asks the user for a username and an email address, and returns their answer.',
  input: z.object({ message: z.string().max(2_000).describe('The message to show the user') }),
  handler: async ({ message }, ctx) => {
    const answer = await ctx.elicit({
      message,
      fields: {
        username: { type: 'string', description: "User's response" },
        email: { type: 'string', description: "User's email address" },
      },
      required: ['username', 'email'],
    });
    return { text: `User response: ${describeAnswer(answer)}` };
  },
});

export const testElicitationDefaults = fixtureTool({
  name: 'test_elicitation_sep1034_defaults',
  title: 'Elicitation with defaults',
  description: 'Asks the user for a form whose every field has a default (SEP-1034).',
  input: z.object({}),
  handler: async (_input, ctx) => {
    const answer = await ctx.elicit({
      message: 'Please review and update the form fields with defaults',
      fields: {
        name: { type: 'string', description: 'User name', default: 'John Doe' },
        age: { type: 'integer', description: 'User age', default: 30 },
        score: { type: 'number', description: 'User score', default: 95.5 },
        status: {
          type: 'string',
          description: 'User status',
          enum: ['active', 'inactive', 'pending'],
          default: 'active',
        },
        verified: { type: 'boolean', description: 'Verification status', default: true },
      },
    });
    return { text: `Elicitation completed: ${describeAnswer(answer)}` };
  },
});

export const testElicitationEnums = fixtureTool({
  name: 'test_elicitation_sep1330_enums',
  title: 'Elicitation with enums',
  description:
    'Asks the user for a form with each kind of enum field: titled or not, single or multiple (SEP-1330).',
  input: z.object({}),
  handler: async (_input, ctx) => {
    const answer = await ctx.elicit({
      message: 'Please select options from the enum fields',
      fields: {
        untitledSingle: {
          type: 'string',
          description: 'Select one option',
          enum: ['option1', 'option2', 'option3'],
        },
        titledSingle: {
          type: 'string',
          description: 'Select one option with titles',
          oneOf: [
            { const: 'value1', title: 'First Option' },
            { const: 'value2', title: 'Second Option' },
            { const: 'value3', title: 'Third Option' },
          ],
        },
        legacyEnum: {
          type: 'string',
          description: 'Select one option (legacy titles)',
          enum: ['opt1', 'opt2', 'opt3'],
          enumNames: ['Option One', 'Option Two', 'Option Three'],
        },
        untitledMulti: {
          type: 'array',
          description: 'Select several options',
          minItems: 1,
          maxItems: 3,
          items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
        },
        titledMulti: {
          type: 'array',
          description: 'Select several options with titles',
          minItems: 1,
          maxItems: 3,
          items: {
            anyOf: [
              { const: 'value1', title: 'First Choice' },
              { const: 'value2', title: 'Second Choice' },
              { const: 'value3', title: 'Third Choice' },
            ],
          },
        },
      },
    });
    return { text: `Elicitation completed: ${describeAnswer(answer)}` };
  },
});
