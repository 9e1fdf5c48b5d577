import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { PluginResource, PluginResourceTemplate } from '@sfmcp/plugin-api';

/** What resources/read answers for one URI. */
export type ResourceContent = { uri: string; mimeType?: string } & ({ text: string } | { blob: string });

/** A URI the server can read: a plugin's resource, or a template's match. */
interface ResolvedResource {
  mimeType?: string;
  read(): Promise<string | Uint8Array>;
  /** The plugin resource itself, when the URI is one (templates are not watched). */
  resource?: PluginResource;
}

/**
 * The resources the selected plugins serve, shared by every session: lookup by URI (direct resources first,
 * then templates in plugin order), and the watches behind subscriptions. A plugin resource with `watch` is
 * watched while at least one session subscribes to it, and each subscriber is told of every update.
 */
export class ResourceCatalog {
  private readonly byUri: ReadonlyMap<string, PluginResource>;
  private readonly templates: readonly { template: PluginResourceTemplate; matcher: UriTemplate }[];
  private readonly watches = new Map<string, { stop: () => void; listeners: Set<() => void> }>();

  constructor(
    readonly resources: readonly PluginResource[],
    readonly resourceTemplates: readonly PluginResourceTemplate[],
  ) {
    this.byUri = new Map(resources.map((resource) => [resource.uri, resource]));
    this.templates = resourceTemplates.map((template) => ({
      template,
      matcher: new UriTemplate(template.uriTemplate),
    }));
  }

  get isEmpty(): boolean {
    return this.resources.length === 0 && this.resourceTemplates.length === 0;
  }

  /** Some resource can tell subscribers it changed: the server then offers subscriptions. */
  get canNotify(): boolean {
    return this.resources.some((resource) => typeof resource.watch === 'function');
  }

  private resolve(uri: string): ResolvedResource | undefined {
    const resource = this.byUri.get(uri);
    if (resource) return { mimeType: resource.mimeType, read: () => resource.read(), resource };
    for (const { template, matcher } of this.templates) {
      const matched = matcher.match(uri);
      if (!matched) continue;
      const variables = Object.fromEntries(
        Object.entries(matched).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(',') : value,
        ]),
      );
      return { mimeType: template.mimeType, read: () => template.read(uri, variables) };
    }
    return undefined;
  }

  has(uri: string): boolean {
    return this.resolve(uri) !== undefined;
  }

  /** The contents at `uri`, or undefined when no resource or template serves it. */
  async read(uri: string): Promise<ResourceContent[] | undefined> {
    const resolved = this.resolve(uri);
    if (!resolved) return undefined;
    const body = await resolved.read();
    const typed = resolved.mimeType === undefined ? {} : { mimeType: resolved.mimeType };
    return [
      typeof body === 'string'
        ? { uri, ...typed, text: body }
        : {
            uri,
            ...typed,
            blob: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
          },
    ];
  }

  /** Calls `onUpdated` when the resource at `uri` changes, until the returned function is called. */
  subscribe(uri: string, onUpdated: () => void): () => void {
    const resource = this.resolve(uri)?.resource;
    if (!resource?.watch) return () => undefined;
    let watch = this.watches.get(uri);
    if (!watch) {
      const listeners = new Set<() => void>();
      const stop = resource.watch(() => {
        for (const listener of [...listeners]) listener();
      });
      watch = { stop, listeners };
      this.watches.set(uri, watch);
    }
    const current = watch;
    current.listeners.add(onUpdated);
    return () => {
      current.listeners.delete(onUpdated);
      if (current.listeners.size === 0 && this.watches.get(uri) === current) {
        this.watches.delete(uri);
        current.stop();
      }
    };
  }

  /** The template whose URI template is `uriTemplate` (completion names templates that way). */
  template(uriTemplate: string): PluginResourceTemplate | undefined {
    return this.resourceTemplates.find((template) => template.uriTemplate === uriTemplate);
  }
}
