import type { WorkloadReport } from '../../analyzers/report.ts';
import { cacheLayer, loadOnce, quantizeOrOnnx } from '../cold-start/recommendations.ts';
import { mainContainers } from '../common/environment.ts';
import { commonNotCarried } from '../common/not-carried.ts';
import { blockedResult } from '../common/run.ts';
import type { ConversionResult, ConvertContext, GeneratedFile, Recommendation } from '../types.ts';
import { cloudRunDeploy } from './deploy.ts';
import { FACTS, GPU, LIMITS } from './limits.ts';
import { cloudRunNotes, cloudRunWords } from './notes.ts';
import { type CloudRunPlan, planService } from './plan.ts';
import { gib } from './resources.ts';
import { serviceYaml } from './service.ts';

/**
 * One workload → a Cloud Run service.yaml (and the ONNX server scaffold when it applies), and the facts
 * MIGRATION.md is made of. Pure: everything it knows is in the workload report and the context.
 */
export function convertToCloudRun(workload: WorkloadReport, context: ConvertContext): ConversionResult {
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
  const plan = planService(workload, context);
  if (!plan)
    return blockedResult(
      [
        {
          rule: 'instance-size',
          message: `one replica needs more than the largest Cloud Run instance (${LIMITS.labels.cpu}, ${LIMITS.labels.memory}; ${FACTS})`,
          source: workload.sources[0] ?? null,
        },
      ],
      [
        'Reduce the CPU and memory per replica (quantize the model, smaller batches), or keep it on the cluster.',
      ],
    );
  const files: GeneratedFile[] = [
    { path: 'service.yaml', content: serviceYaml(plan, workload, context.version) },
    ...(plan.image.kind === 'scaffold' ? plan.image.files : []),
  ];
  const carried = plan.image.kind !== 'scaffold';
  const words = cloudRunWords(plan, workload);
  return {
    status: 'converted',
    files,
    settings: plan.settings,
    names: plan.names,
    warm: plan.warm,
    notCarried: [
      // The command and args are carried verbatim, so they are not listed as left behind.
      ...commonNotCarried(
        workload,
        context.related,
        carried ? words : { ...words, command: scaffoldCommand },
      ).filter((item) => !(carried && item.what.startsWith('command: '))),
      ...plan.notCarried,
    ],
    recommendations: recommendations(plan, workload),
    reasons: [],
    alternatives: [],
    notes: [...cloudRunNotes(plan, workload), ...plan.notes],
    deploy: cloudRunDeploy(plan, workload),
  };
}

const scaffoldCommand = "the server scaffold replaces the pod's server, so its command is not used";

function recommendations(plan: CloudRunPlan, workload: WorkloadReport): Recommendation[] {
  const large = plan.gpu
    ? { bytes: GPU.memoryBytes, label: `the ${GPU.model}'s ${GPU.memoryBytes / 2 ** 30} GB of VRAM` }
    : {
        bytes: plan.size.memoryBytes / 2,
        label: `half the instance's ${gib(plan.size.memoryBytes)} of memory`,
      };
  const list: (Recommendation | null)[] = [
    loadOnce(
      'start-up code, before the startup probe passes; with min instances it runs before traffic arrives',
    ),
    quantizeOrOnnx(workload, large),
  ];
  const uri = workload.ml.model?.uri ?? '';
  if (plan.image.kind !== 'scaffold' && /^(gs|hf):\/\/|^https?:\/\/|^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(uri))
    list.push({
      id: 'cloud-storage-volume',
      title: 'Mount the model from a Cloud Storage volume, or bake it into the image',
      reason: `${uri} is downloaded by every new instance into its in-memory filesystem, inside the startup probe's window (see Settings); a Cloud Storage volume (gen2) reads it in place and an image layer removes the download`,
    });
  list.push(
    cacheLayer(
      workload,
      'Cloud CDN behind a load balancer in front of the service (for GET requests) or a result cache keyed by a hash of the input (Memorystore)',
    ),
  );
  return list.filter((entry): entry is Recommendation => entry !== null);
}
