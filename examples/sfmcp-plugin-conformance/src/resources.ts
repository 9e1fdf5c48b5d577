import type { PluginResource, PluginResourceTemplate } from '@sfmcp/plugin-api';
import { redPixelPng } from './media.js';

// The resources the conformance scenarios read and subscribe to, and the template they read through.

/** How often the watched resource changes while someone is subscribed to it. */
export const WATCHED_RESOURCE_PERIOD_MS = 5_000;

let watchedRevision = 0;

export const resources: PluginResource[] = [
  {
    uri: 'test://static-text',
    name: 'static-text',
    title: 'Static text',
    description: 'A text resource that never changes.',
    mimeType: 'text/plain',
    read: async () => 'This is the content of the static text resource.',
  },
  {
    uri: 'test://static-binary',
    name: 'static-binary',
    title: 'Static binary',
    description: 'A 1×1 red PNG, read as a binary resource.',
    mimeType: 'image/png',
    read: async () => redPixelPng(),
  },
  {
    uri: 'test://watched-resource',
    name: 'watched-resource',
    title: 'Watched resource',
    description: `A text resource that changes every ${WATCHED_RESOURCE_PERIOD_MS / 1000} s while a client is subscribed to it.`,
    mimeType: 'text/plain',
    read: async () => `Watched resource content, revision ${watchedRevision}`,
    watch: (onUpdated) => {
      const timer = setInterval(() => {
        watchedRevision += 1;
        onUpdated();
      }, WATCHED_RESOURCE_PERIOD_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
  },
];

export const resourceTemplates: PluginResourceTemplate[] = [
  {
    uriTemplate: 'test://template/{id}/data',
    name: 'template-data',
    title: 'Data by id',
    description: 'JSON data for the id in the URI.',
    mimeType: 'application/json',
    read: async (_uri, { id }) => JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
    complete: { id: (value) => ['123', '456', '789'].filter((id) => id.startsWith(value)) },
  },
];
