import { type PluginPrompt, embeddedResource, imageContent } from '@sfmcp/plugin-api';
import { redPixelPng } from './media.js';

// The prompts the conformance scenarios get: plain text, arguments (with completion), an embedded resource and an
// image.

/** Suggestions for arg1, by what was typed so far. */
const ARG1_SUGGESTIONS = ['paris', 'park', 'party', 'test', 'testing'];

export const prompts: PluginPrompt[] = [
  {
    name: 'test_simple_prompt',
    title: 'Simple prompt',
    description: 'A prompt without arguments.',
    render: () => 'This is a simple prompt for testing.',
  },
  {
    name: 'test_prompt_with_arguments',
    title: 'Prompt with arguments',
    description: 'A prompt with two arguments, substituted into its text.',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    render: ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
    complete: { arg1: (value) => ARG1_SUGGESTIONS.filter((suggestion) => suggestion.startsWith(value)) },
  },
  {
    name: 'test_prompt_with_embedded_resource',
    title: 'Prompt with an embedded resource',
    description: 'A prompt that embeds a resource, named by its argument.',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    render: ({ resourceUri }) => [
      {
        role: 'user',
        content: embeddedResource(
          resourceUri as string,
          'Embedded resource content for testing.',
          'text/plain',
        ),
      },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  },
  {
    name: 'test_prompt_with_image',
    title: 'Prompt with an image',
    description: 'A prompt with an image and a question about it.',
    render: () => [
      { role: 'user', content: imageContent(redPixelPng(), 'image/png') },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  },
];
