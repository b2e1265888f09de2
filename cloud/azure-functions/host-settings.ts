/**
 * host.json values that ARM can carry. host.json ships inside the app package (func publish), which
 * ARM neither reads nor writes; but the Functions host lets an app setting named
 * `AzureFunctionsJobHost__<path>` override any host.json value
 * (https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values), and
 * app settings are ARM's. apply sets these; verify reads them back.
 */

export const HOST_SETTINGS = {
  timeout: 'AzureFunctionsJobHost__functionTimeout',
  concurrency: 'AzureFunctionsJobHost__extensions__http__maxConcurrentRequests',
} as const;

/** host.json functionTimeout `[d.]hh:mm:ss` → seconds; `-1` (unbounded, Premium) → -1; else null. */
export function parseFunctionTimeout(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '-1') return -1;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(trimmed);
  if (!match) return null;
  return Number(match[1] ?? 0) * 86_400 + Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
}
