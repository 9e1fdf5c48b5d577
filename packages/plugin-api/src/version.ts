/**
 * The plugin contract's version. The server loads a plugin only when the plugin's `apiVersion`
 * has the same major number; a minor bump adds to the contract without breaking plugins.
 */
export const apiVersion = '1.3';

/** True when a plugin built against `pluginApiVersion` can run on a server that speaks `serverApiVersion`. */
export function isCompatibleApiVersion(
  pluginApiVersion: string,
  serverApiVersion: string = apiVersion,
): boolean {
  const [pluginMajor, pluginMinor] = pluginApiVersion.split('.').map(Number);
  const [serverMajor, serverMinor] = serverApiVersion.split('.').map(Number);
  if (pluginMajor === undefined || Number.isNaN(pluginMajor) || pluginMajor !== serverMajor) return false;
  // A plugin that needs a newer minor than the server offers may call what the server lacks.
  return (pluginMinor ?? 0) <= (serverMinor ?? 0);
}
