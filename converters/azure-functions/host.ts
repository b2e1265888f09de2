import type { AzurePlan } from './plan.ts';
import { hhmmss } from './sizing.ts';

/**
 * host.json (version 2.0) and, for a custom handler serving HTTP, the one function that receives every
 * request (`serve/function.json`). Both are rendered from the plan; their values' sources are rows of
 * the plan's settings (`host.json …`).
 */
export const SERVE_FUNCTION = 'serve';
/** The extension bundle the Azure scaffold's host.json names (converters/cold-start/scaffolds). */
export const EXTENSION_BUNDLE = { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' };

export function hostJson(plan: AzurePlan): Record<string, unknown> {
  const host: Record<string, unknown> = {
    version: '2.0',
    functionTimeout: hhmmss(plan.timeoutSeconds),
    extensionBundle: EXTENSION_BUNDLE,
  };
  const custom = customHandler(plan);
  if (plan.http)
    host.extensions = {
      http: { routePrefix: custom ? '' : 'api', maxConcurrentRequests: plan.concurrency },
    };
  if (custom) host.customHandler = custom;
  return host;
}

function customHandler(plan: AzurePlan): Record<string, unknown> | null {
  const packaging = plan.packaging;
  if (packaging.kind !== 'code' || packaging.runtime.name !== 'custom' || packaging.executable === null)
    return null;
  const description: Record<string, unknown> = { defaultExecutablePath: packaging.executable };
  if (packaging.arguments.length) description.arguments = packaging.arguments;
  return plan.http ? { description, enableForwardingHttpRequest: true } : { description };
}

/**
 * A catch-all HTTP function for a custom handler: with routePrefix '' and route {*path}, a request to
 * /v2/models/x/infer reaches the server at the same path, so clients keep the server's API.
 */
export function serveFunctionJson(): Record<string, unknown> {
  return {
    bindings: [
      { type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'function', route: '{*path}' },
      { type: 'http', direction: 'out', name: 'res' },
    ],
  };
}

export function hasServeFunction(plan: AzurePlan): boolean {
  return plan.http && customHandler(plan) !== null;
}
