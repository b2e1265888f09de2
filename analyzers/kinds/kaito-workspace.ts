import type { GpuDemand, MlProfile, PodTemplate, Workload } from '../../core/model/index.ts';
import type { ManifestObject } from '../sources/index.ts';
import { integer, list, record, stringMap, text } from './common/fields.ts';
import { operatorContainer, operatorGpu, operatorPod } from './common/operator-pod.ts';
import { readPodSpec } from './common/pod-template.ts';
import { podResources } from './common/resources.ts';
import { buildWorkload } from './common/workload.ts';
import type { KindReader, ReadContext } from './types.ts';

/**
 * GPUs per node of the Azure GPU sizes KAITO supports, from KAITO's own SKU table
 * (Azure/kaito pkg/sku/azure_sku_handler.go at f0269d7b, which cites
 * learn.microsoft.com/azure/virtual-machines/sizes-gpu). Partial-GPU sizes are left out, as KAITO does.
 */
const AZURE_GPU_SIZES: Record<string, { gpus: number; model: string; gpuMemoryGb: number }> = {
  Standard_NC6s_v3: { gpus: 1, model: 'NVIDIA V100', gpuMemoryGb: 16 },
  Standard_NC12s_v3: { gpus: 2, model: 'NVIDIA V100', gpuMemoryGb: 32 },
  Standard_NC24s_v3: { gpus: 4, model: 'NVIDIA V100', gpuMemoryGb: 64 },
  Standard_NC24rs_v3: { gpus: 4, model: 'NVIDIA V100', gpuMemoryGb: 64 },
  Standard_NC4as_T4_v3: { gpus: 1, model: 'NVIDIA T4', gpuMemoryGb: 16 },
  Standard_NC8as_T4_v3: { gpus: 1, model: 'NVIDIA T4', gpuMemoryGb: 16 },
  Standard_NC16as_T4_v3: { gpus: 1, model: 'NVIDIA T4', gpuMemoryGb: 16 },
  Standard_NC64as_T4_v3: { gpus: 4, model: 'NVIDIA T4', gpuMemoryGb: 64 },
  Standard_NC24ads_A100_v4: { gpus: 1, model: 'NVIDIA A100', gpuMemoryGb: 80 },
  Standard_NC48ads_A100_v4: { gpus: 2, model: 'NVIDIA A100', gpuMemoryGb: 160 },
  Standard_NC96ads_A100_v4: { gpus: 4, model: 'NVIDIA A100', gpuMemoryGb: 320 },
  Standard_ND96asr_A100_v4: { gpus: 8, model: 'NVIDIA A100', gpuMemoryGb: 320 },
  // KAITO's table gives 80 here, the memory of one GPU; the size has 8 × 80 GB.
  Standard_ND96amsr_A100_v4: { gpus: 8, model: 'NVIDIA A100', gpuMemoryGb: 640 },
  Standard_NV6: { gpus: 1, model: 'NVIDIA M60', gpuMemoryGb: 8 },
  Standard_NV12: { gpus: 2, model: 'NVIDIA M60', gpuMemoryGb: 16 },
  Standard_NV24: { gpus: 4, model: 'NVIDIA M60', gpuMemoryGb: 32 },
  Standard_NV12s_v3: { gpus: 1, model: 'NVIDIA M60', gpuMemoryGb: 8 },
  Standard_NV24s_v3: { gpus: 2, model: 'NVIDIA M60', gpuMemoryGb: 16 },
  Standard_NV48s_v3: { gpus: 4, model: 'NVIDIA M60', gpuMemoryGb: 32 },
};

/**
 * A KAITO Workspace. It has no `spec`: `resource` names the GPU node size and count KAITO provisions,
 * and `inference` a preset model (or a pod template) KAITO deploys on those nodes. The GPU demand is
 * therefore read from the instance type.
 */
export const kaitoWorkspace: KindReader = {
  id: 'kaito-workspace',
  title: 'KAITO Workspace (kaito.sh/v1alpha1, v1beta1)',
  matches: [{ group: 'kaito.sh', versions: ['v1alpha1', 'v1beta1'], kind: 'Workspace' }],
  read(object, context) {
    const resource = record(object.obj.resource);
    const inference = record(object.obj.inference);
    const tuning = object.obj.tuning !== undefined;
    const gpu = instanceGpu(object);
    const pod = workspacePod(object, context, gpu.demand);
    const count = integer(resource.count) ?? 1;
    const workload = buildWorkload(object, context, {
      pod,
      replicas: count,
      podPath: ['inference', 'template', 'spec'],
    });
    workload.notes.push(...gpu.notes);
    workload.notes.push({
      message: `KAITO provisions ${count} ${text(resource.instanceType) ?? 'GPU'} node(s) (resource.count) and runs the workload on them`,
      source: object.locate(['resource']),
    });
    workload.ml = workspaceMl(object, workload.ml, tuning);
    const adapters = list(inference.adapters).map((entry) => text(record(record(entry).source).name) ?? '?');
    if (adapters.length > 0) {
      workload.notes.push({
        message: `LoRA adapters ${adapters.join(', ')} are pulled as images at start`,
        source: object.locate(['inference', 'adapters']),
      });
    }
    if (!object.obj.inference && !tuning)
      workload.notes.push({ message: 'neither inference nor tuning is set', source: object.locate([]) });
    return { type: 'workload', workload };
  },
};

function instanceGpu(object: ManifestObject): { demand: GpuDemand; notes: Workload['notes'] } {
  const instanceType = text(record(object.obj.resource).instanceType);
  const source = object.locate(['resource', 'instanceType']);
  if (!instanceType) {
    return {
      demand: operatorGpu(1, null, 'instance-type', source),
      notes: [
        {
          message: 'resource.instanceType is not set: KAITO picks its default GPU size; 1 GPU assumed',
          source,
        },
      ],
    };
  }
  const size = AZURE_GPU_SIZES[instanceType];
  if (!size) {
    return {
      demand: operatorGpu(1, null, 'instance-type', source, instanceType),
      notes: [
        {
          message: `instance type ${instanceType} is not in KAITO's Azure GPU size table: 1 GPU per node assumed`,
          source,
        },
      ],
    };
  }
  return {
    demand: operatorGpu(size.gpus, 'nvidia.com/gpu', 'instance-type', source, instanceType),
    notes: [
      {
        message: `${instanceType}: ${size.gpus} × ${size.model}, ${size.gpuMemoryGb} GB GPU memory per node (KAITO SKU table)`,
        source,
      },
    ],
  };
}

/** A custom `inference.template` is a PodTemplateSpec; presets get a pod KAITO builds, shown as one container. */
function workspacePod(object: ManifestObject, context: ReadContext, gpu: GpuDemand): PodTemplate {
  const inference = record(object.obj.inference);
  const labels = stringMap(record(record(object.obj.resource).labelSelector).matchLabels);
  if (inference.template) {
    const pod = readPodSpec(
      object,
      ['inference', 'template', 'spec'],
      ['inference', 'template', 'metadata', 'labels'],
      context,
    );
    const resources = podResources(pod, null);
    // The template may request GPUs itself; otherwise the node size is the evidence.
    if (resources.gpu.count === 0 && pod.containers[0]) pod.containers[0].gpu = gpu;
    return pod;
  }
  const preset = record(inference.preset);
  const image = text(record(preset.presetOptions).image) ?? text(record(preset.options).image);
  const container = operatorContainer({
    name: 'kaito-preset',
    image,
    cpuMillis: null,
    memoryBytes: null,
    gpu,
    source: object.locate(['inference']),
  });
  return operatorPod(container, { labels });
}

function workspaceMl(object: ManifestObject, fromPod: MlProfile, tuning: boolean): MlProfile {
  const preset = text(record(record(object.obj.inference).preset).name);
  if (tuning)
    return {
      ...fromPod,
      isModelServer: false,
      serverEvidence: 'KAITO Workspace with tuning: a fine-tuning job, not a server',
    };
  return {
    ...fromPod,
    isModelServer: true,
    server: 'kaito',
    serverEvidence: preset
      ? `KAITO Workspace inference preset ${preset}`
      : 'KAITO Workspace inference template',
    model: preset
      ? {
          uri: preset,
          format: 'kaito-preset',
          sizeBytes: null,
          sizeSource: null,
          sizeEvidence: null,
          source: object.locate(['inference', 'preset', 'name']),
        }
      : fromPod.model,
  };
}
