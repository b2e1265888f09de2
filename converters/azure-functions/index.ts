import type { Converter } from '../types.ts';
import { convertToAzureFunctions } from './convert.ts';

/**
 * Azure Functions: a Flex Consumption function app (or a Premium plan where Flex's largest instance is
 * too small) as Bicep and the equivalent ARM JSON, rendered from one model, with host.json, sized from
 * the pod and its traffic. Every mapping: docs/targets/azure-functions.md.
 */
export const azureFunctions: Converter = {
  id: 'azure-functions',
  title: 'Azure Functions',
  docs: 'docs/targets/azure-functions.md',
  convert: convertToAzureFunctions,
};
