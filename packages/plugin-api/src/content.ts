/**
 * Content parts: what a tool result, a prompt message or a sampling message carries besides plain text. The
 * shapes are MCP's own (`image`, `audio`, `resource`, `resource_link`), so the server passes them on as they
 * are; binary data is base64, as on the wire. The helpers below take bytes and encode them.
 */

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image';
  /** Base64 of the image's bytes. */
  data: string;
  /** `image/png`, `image/jpeg`, ... */
  mimeType: string;
}

export interface AudioPart {
  type: 'audio';
  /** Base64 of the audio's bytes. */
  data: string;
  /** `audio/wav`, `audio/mpeg`, ... */
  mimeType: string;
}

/** A resource's contents: text, or binary as base64 (`blob`). */
export type ResourceContents =
  { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };

/** A resource embedded whole in a result or a message. */
export interface EmbeddedResourcePart {
  type: 'resource';
  resource: ResourceContents;
}

/** A pointer to a resource the client may read (resources/read) when it wants to; nothing is embedded. */
export interface ResourceLinkPart {
  type: 'resource_link';
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export type ContentPart = TextPart | ImagePart | AudioPart | EmbeddedResourcePart | ResourceLinkPart;

/** What a sampling message (ctx.createMessage) may carry. */
export type SamplingContent = TextPart | ImagePart | AudioPart;

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** An image part from the image's bytes. */
export function imageContent(bytes: Uint8Array, mimeType: string): ImagePart {
  return { type: 'image', data: base64(bytes), mimeType };
}

/** An audio part from the audio's bytes. */
export function audioContent(bytes: Uint8Array, mimeType: string): AudioPart {
  return { type: 'audio', data: base64(bytes), mimeType };
}

/** A resource's contents: text as it is, bytes as base64 `blob`. */
export function resourceContents(
  uri: string,
  body: string | Uint8Array,
  mimeType?: string,
): ResourceContents {
  const typed = mimeType === undefined ? {} : { mimeType };
  return typeof body === 'string' ? { uri, ...typed, text: body } : { uri, ...typed, blob: base64(body) };
}

/** A resource embedded in a result or a message. */
export function embeddedResource(
  uri: string,
  body: string | Uint8Array,
  mimeType?: string,
): EmbeddedResourcePart {
  return { type: 'resource', resource: resourceContents(uri, body, mimeType) };
}
