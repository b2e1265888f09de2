import type { WorkloadReport } from '../../analyzers/report.ts';
import { TARGET_LIMITS } from '../../core/limits/targets.ts';
import { cacheLayer, loadOnce, mb, quantizeOrOnnx } from '../cold-start/recommendations.ts';
import { mainContainers } from '../common/environment.ts';
import { commonNotCarried } from '../common/not-carried.ts';
import { blockedResult } from '../common/run.ts';
import type { ConversionResult, ConvertContext, GeneratedFile, Recommendation } from '../types.ts';
import { armJson } from './arm.ts';
import { bicepFile } from './bicep.ts';
import { azureDeploy } from './deploy.ts';
import { hasServeFunction, hostJson, SERVE_FUNCTION, serveFunctionJson } from './host.ts';
import { azureNotes, azureWords } from './notes.ts';
import { type AzurePlan, planApp } from './plan.ts';
import { templateModel } from './resources.ts';
import { FACTS, FLEX_SIZES } from './sizing.ts';

const INIT_SECONDS = TARGET_LIMITS['azure-functions'].initTimeoutSeconds!;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * One workload → main.bicep and azuredeploy.json (one template model, two renderings), host.json, and
 * the facts MIGRATION.md is made of. Pure: everything it knows is in the workload report and the context.
 */
export function convertToAzureFunctions(workload: WorkloadReport, context: ConvertContext): ConversionResult {
  if (mainContainers(workload).length === 0)
    return blockedResult(
      [
        {
          rule: 'no-container',
          message: 'the analysis found no main container to run',
          source: workload.sources[0] ?? null,
        },
      ],
      ['Check the manifests: a workload without a main container has nothing to convert.'],
    );
  const plan = planApp(workload, context);
  if ('blocked' in plan)
    return blockedResult(
      [{ rule: 'instance-size', message: plan.blocked, source: mainContainers(workload)[0]?.source ?? null }],
      [
        'Reduce the CPU or memory per replica (quantize the model, smaller batches) to fit Premium EP3, run the image on Azure Container Apps, or keep it on the cluster.',
      ],
    );
  const model = templateModel(plan, workload, context.version);
  const files: GeneratedFile[] = [
    { path: 'main.bicep', content: bicepFile(model) },
    { path: 'azuredeploy.json', content: armJson(model) },
    { path: 'host.json', content: json(hostJson(plan)) },
    ...(hasServeFunction(plan)
      ? [{ path: `${SERVE_FUNCTION}/function.json`, content: json(serveFunctionJson()) }]
      : []),
    ...(plan.packaging.kind === 'scaffold' ? plan.packaging.files : []),
  ];
  return {
    status: 'converted',
    files,
    settings: plan.settings,
    names: plan.nameMappings,
    warm: plan.warm,
    notCarried: [
      ...commonNotCarried(workload, context.related, azureWords(plan), {
        mappedMounts: new Set(plan.model.kind === 'files' ? [plan.model.mountPath] : []),
      }),
      ...plan.notCarried,
    ],
    recommendations: recommendations(plan, workload),
    reasons: [],
    alternatives: [],
    notes: [...azureNotes(plan, workload), ...plan.notes],
    deploy: azureDeploy(plan, workload),
  };
}

function recommendations(plan: AzurePlan, workload: WorkloadReport): Recommendation[] {
  const memoryBytes = plan.hosting.memoryMb * 2 ** 20;
  const flexLargest = FLEX_SIZES.at(-1)!;
  const list: (Recommendation | null)[] = [
    loadOnce(
      plan.hosting.kind === 'flex'
        ? `the worker's start-up, before the first request; Flex allows ${INIT_SECONDS} s to initialise an app, ${FACTS}`
        : "the worker's start-up, before the first request; a warmup trigger runs it on each new instance before it takes traffic",
    ),
    quantizeOrOnnx(workload, {
      bytes: plan.hosting.kind === 'premium' ? flexLargest.memoryMb * 2 ** 20 : memoryBytes,
      label:
        plan.hosting.kind === 'premium'
          ? `Flex Consumption's largest instance (${mb(flexLargest.memoryMb * 2 ** 20)}), which would let it leave the Premium plan`
          : `the ${mb(memoryBytes)} instance`,
    }),
  ];
  if (plan.model.kind === 'download')
    list.push({
      id: 'files-for-model',
      title: 'Mount the model from Azure Files (or ship it in the package) instead of downloading it',
      reason: `${plan.model.uri} is downloaded by every new instance at start-up${plan.hosting.kind === 'flex' ? `, inside the ${INIT_SECONDS} s Flex allows an app to initialise (${FACTS})` : ''}; an Azure Files share mounted into the app shares one copy across instances`,
    });
  if (plan.packaging.runtime.name === 'custom')
    list.push({
      id: 'container-apps',
      title: 'Azure Container Apps, if the server cannot be packaged as a custom handler',
      reason: `${workload.ml.server ?? 'the server'} ships as a container image${plan.packaging.kind === 'code' && plan.packaging.original ? ` (${plan.packaging.original})` : ''}; ${plan.hosting.kind === 'flex' ? 'Flex Consumption runs code packages only, so its executable and libraries must be copied out of it' : 'the package must carry its executable and libraries'}. Azure Container Apps (also a hosting option for Functions, ${FACTS}) runs the image as it is, with scale to zero`,
    });
  if (plan.http)
    list.push(
      cacheLayer(
        workload,
        'Azure Front Door or API Management caching in front of the app (for GET requests), or a result cache keyed by a hash of the input (Azure Cache for Redis)',
      ),
    );
  return list.filter((entry): entry is Recommendation => entry !== null);
}
