import { ToolError, audioContent, embeddedResource, imageContent, z } from '@sfmcp/plugin-api';
import { redPixelPng, silentWav } from '../media.js';
import { fixtureTool } from './define.js';

// Results with each kind of content part, in MCP's shapes: text, image, audio, an embedded resource, all three,
// and an error.

const noArguments = z.object({});

export const testSimpleText = fixtureTool({
  name: 'test_simple_text',
  title: 'Simple text',
  description: 'Returns one text part.',
  input: noArguments,
  handler: async () => ({ text: 'This is a simple text response for testing.' }),
});

export const testImageContent = fixtureTool({
  name: 'test_image_content',
  title: 'Image content',
  description: 'Returns a 1×1 red PNG as an image part.',
  input: noArguments,
  handler: async () => ({
    text: 'A 1×1 PNG of one red pixel:',
    content: [imageContent(redPixelPng(), 'image/png')],
  }),
});

export const testAudioContent = fixtureTool({
  name: 'test_audio_content',
  title: 'Audio content',
  description: 'Returns a short silent WAV as an audio part.',
  input: noArguments,
  handler: async () => ({
    text: 'One millisecond of silence (8 kHz, mono, 16-bit WAV):',
    content: [audioContent(silentWav(), 'audio/wav')],
  }),
});

export const testEmbeddedResource = fixtureTool({
  name: 'test_embedded_resource',
  title: 'Embedded resource',
  description: 'Returns a text resource embedded in the result.',
  input: noArguments,
  handler: async () => ({
    text: 'An embedded resource:',
    content: [
      embeddedResource('test://embedded-resource', 'This is an embedded resource content.', 'text/plain'),
    ],
  }),
});

export const testMultipleContentTypes = fixtureTool({
  name: 'test_multiple_content_types',
  title: 'Mixed content',
  description: 'Returns text, an image and an embedded JSON resource in one result.',
  input: noArguments,
  handler: async () => ({
    text: 'Multiple content types test:',
    content: [
      imageContent(redPixelPng(), 'image/png'),
      embeddedResource(
        'test://mixed-content-resource',
        JSON.stringify({ test: 'data', value: 123 }),
        'application/json',
      ),
    ],
  }),
});

export const testErrorHandling = fixtureTool({
  name: 'test_error_handling',
  title: 'Error result',
  description: 'Always fails, as a tool error the user can read.',
  input: noArguments,
  handler: async () => {
    throw new ToolError('This tool intentionally returns an error for testing');
  },
});
