import { LIMITS, z } from '@sfmcp/plugin-api';

/** One value or several: @salesforce/mcp passes a single string, so both are accepted. */
export function oneOrMany(what: string, max: number) {
  return z
    .union([z.string().min(1).max(LIMITS.name), z.array(z.string().min(1).max(LIMITS.name)).min(1).max(max)])
    .describe(`${what} (one, or a list of up to ${max})`);
}

export function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : [...value];
  return [...new Set(list.map((item) => item.trim()).filter((item) => item !== ''))];
}
