import type { WorkloadReport } from '../../analyzers/report.ts';
import { mainContainers } from '../common/environment.ts';
import type { NotCarriedWords } from '../common/not-carried.ts';
import { PLACEHOLDERS } from './image.ts';
import { FACTS, GPU, GPU_PREVIEW, GPU_REGIONS, PROBE, SUB_VCPU_SOURCE } from './limits.ts';
import type { CloudRunPlan } from './plan.ts';
import { gib, vcpu } from './resources.ts';

/** What the Cloud Run converter says about each kind of thing the pod had and the service does not. */
export function cloudRunWords(plan: CloudRunPlan, workload: WorkloadReport): NotCarriedWords {
  const portCount = mainContainers(workload)[0]?.ports.length ?? 0;
  return {
    sidecar:
      "service.yaml runs the main container only: fold the sidecar's job into the image, or run it as a service of its own",
    init: 'no init containers: do this work when building the image, or at start-up before the server reports ready (the startup probe waits for it)',
    extraMain: 'convert it as a service of its own',
    component:
      'convert it as a service of its own (`migrate convert --workload …`) or fold it into the image',
    volume:
      'Cloud Run has no PersistentVolumeClaims or host paths: bake read-only files into the image, mount Cloud Storage (a Cloud Storage volume, gen2) or Filestore (NFS) for shared files; the writable filesystem is in memory and counts against the memory limit (docs/scaffolds.md)',
    probes:
      'the startup probe is built from them (see Settings) and holds traffic until the model is loaded; an HTTP or gRPC liveness probe is kept; a readiness probe has no field in the Cloud Run v1 API after start-up',
    ports:
      plan.port.port !== null
        ? `Cloud Run sends requests to one port: ${plan.port.port} is kept (see Settings)${portCount > 1 ? '; the others are unreachable from outside the instance' : ''}`
        : 'Cloud Run sends requests to the port in PORT (8080): the server must listen there',
    command: 'carried verbatim as command/args (see Settings)',
    autoscaler: `Cloud Run scales on concurrent requests and CPU, targeting 60 % of each by default (${FACTS}): the minimum became min instances and the maximum maxScale (see Settings); custom, external and queue metrics have no equivalent`,
    scheduling: plan.gpu
      ? `Cloud Run places instances itself; the only hardware choices are CPU, memory and the GPU (nodeSelector ${GPU.model})`
      : 'Cloud Run places instances itself; the only hardware choices are CPU and memory',
    identity:
      "the revision runs as the project's default compute service account unless spec.template.spec.serviceAccountName names another: create one with what the pod could reach (Cloud Storage, Secret Manager, …) and set it",
    entry:
      "the service's own HTTPS URL replaces it (IAM-authenticated: callers need roles/run.invoker, see Deploy); map a domain or put a load balancer in front for a custom host",
  };
}

/** Notes a reviewer must act on: the image, the size, the secrets, the model, the GPU, the traffic source. */
export function cloudRunNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  const notes = [...imageNotes(plan, workload), ...sizeNotes(plan, workload)];
  if (plan.secrets.length)
    notes.push(
      `Secrets are referenced, not copied: Secret Manager ${plan.secrets.map((secret) => secret.name).join(', ')} (version latest). Create them and let the revision's service account read them before deploying (commands under Deploy).`,
    );
  if (plan.configs.length)
    notes.push(
      `ConfigMap keys are not in service.yaml, because migrate never reads ConfigMap values: ${plan.configs.map((config) => `${config.variable} (${config.namespace}/${config.configMap})`).join(', ')}. Add them to env as literals; the command under Deploy prints them.`,
    );
  if (plan.port.port === null && plan.image.kind !== 'scaffold')
    notes.push(
      'The container declares no port: Cloud Run sends requests to the port in PORT (8080), and the server must listen there on all interfaces.',
    );
  if ([...plan.command, ...plan.args].some((arg) => /\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(arg)))
    notes.push(
      'command/args use $(VAR) references, which Kubernetes expanded and Cloud Run does not: replace them with the values or expand them in a shell entrypoint.',
    );
  notes.push(...modelNotes(plan, workload), ...gpuNotes(plan), ...triggerNotes(plan, workload));
  notes.push(...probeWindowNotes(plan, workload));
  return notes;
}

/** Without a probe budget from the pod the window is Cloud Run's default: say what to measure. */
function probeWindowNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  const probes = mainContainers(workload)[0]?.probes;
  if (!probes || probes.startup || probes.readiness || probes.liveness) return [];
  const window =
    (plan.startup.initialDelaySeconds ?? 0) + plan.startup.failureThreshold * plan.startup.periodSeconds;
  return [
    `The pod declares no probe, so nothing says how long the model takes to load: the startup probe waits ${window} s, as Cloud Run's default probe does. Measure a cold start (image pull, model download, load) and raise failureThreshold if it takes longer (up to ${plan.gpu ? PROBE.maxGpuWindowSeconds : PROBE.maxWindowSeconds} s in all).`,
  ];
}

function imageNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  const image = plan.image;
  switch (image.kind) {
    case 'pod':
      return [];
    case 'copy':
      return [
        `Copy ${image.original} into Artifact Registry as ${image.reference} (commands under Deploy)${image.original.startsWith('nvcr.io/') ? '; pulling from nvcr.io needs an NGC login' : ''}. service.yaml names it with ${PLACEHOLDERS.region} and ${PLACEHOLDERS.project}, which the deploy step fills.`,
      ];
    case 'build':
      return [
        workload.kind === 'InferenceService'
          ? `The pod names no image: KServe runs the ServingRuntime for its model format${workload.ml.server ? ` (${workload.ml.server})` : ''}. Build an image that serves the model — start FROM the runtime image your cluster's ServingRuntime names, listen on PORT, load ${workload.ml.model?.uri ?? 'the model'} at start-up — and push it as ${image.reference}.`
          : `The manifests name no image for it (its operator, or a base manifest this one patches, supplies it). Build or choose an image that serves ${workload.ml.model?.uri ?? 'the model'} and listens on PORT, and push it as ${image.reference}.`,
      ];
    case 'scaffold': {
      const notes = [
        `The service runs the ONNX server scaffold written beside this page (src/server.ts, shared/model-cache.ts, README.md), not the pod's ${image.original ? `image ${image.original}` : 'serving runtime'}: it loads the model from MODEL_URI once per instance, answers GET /ready (the startup probe) and POST /predict {"inputs": [[…]]}. Build it with buildpacks (see Deploy).`,
      ];
      if (image.modelUri.startsWith('gs://'))
        notes.push(
          "MODEL_URI is a gs:// URI: the scaffold's default fetcher reads paths, file:// and https:// only, so register the Cloud Storage fetcher shown in shared/model-cache.ts (setModelFetcher), or use a signed https:// URL.",
        );
      return notes;
    }
  }
}

function sizeNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  const notes: string[] = [];
  const { size } = plan;
  if (size.cpuRaised || size.memoryRaised)
    notes.push(
      `The instance gets ${vcpu(size.cpuMillis)} / ${gib(size.memoryBytes)}, more than the pod asked for (${[size.cpuRaised, size.memoryRaised].filter(Boolean).join('; ')}): Cloud Run allows only certain CPU/memory combinations (${FACTS}), so each instance costs more than the pod's share of a node.`,
    );
  if (size.cpuMillis < 1000)
    notes.push(
      `The instance has ${vcpu(size.cpuMillis)}: ${SUB_VCPU_SOURCE}, so every request gets its own instance. Give it 1 vCPU if one instance should serve several requests at once.`,
    );
  const mains = mainContainers(workload);
  if (
    mains.length > 0 &&
    mains.every((container) => container.requests.cpuMillis === null) &&
    workload.resources.cpuMillis === null
  )
    notes.push(
      'CPU and memory are defaults (the pod declares neither): measure the service and adjust them.',
    );
  return notes;
}

function modelNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  const uri = workload.ml.model?.uri ?? null;
  if (uri === null || plan.image.kind === 'scaffold') return [];
  const size = workload.ml.model?.sizeBytes ?? null;
  const sized = size === null ? '' : ` (${gib(size)})`;
  const memory = `the writable filesystem is in memory, so a downloaded model${sized} takes part of the instance's ${gib(plan.size.memoryBytes)} of memory, on top of the loaded copy (docs/scaffolds.md)`;
  if (uri.startsWith('gs://'))
    return [
      `The model is read from ${uri}: the server must fetch it at start-up (KServe's storage initializer did it before), or mount the bucket as a Cloud Storage volume (gen2); either way grant the revision's service account roles/storage.objectViewer on the bucket. ${capitalize(memory)} unless it is mounted.`,
    ];
  if (uri.startsWith('pvc://') || (uri.startsWith('/') && workload.ml.model?.sizeEvidence === 'pvc'))
    return [
      `The model is on a PersistentVolumeClaim (${uri}): Cloud Run has none. Bake it into the image, or copy it to Cloud Storage and mount the bucket as a volume at the same path (gen2).`,
    ];
  if (/^(s3|wasbs?|abfss?):\/\//.test(uri) || /\.blob\.core\.windows\.net\//.test(uri))
    return [
      `The model is read from ${uri}, outside Google Cloud: copy it to Cloud Storage or into the image; the service has no credentials for that store.`,
    ];
  if (uri.startsWith('hf://') || /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(uri))
    return [
      `The model ${uri} is fetched from the Hugging Face Hub at start-up: ${memory}. Baking it into the image or mounting it from Cloud Storage avoids both the download and the memory; a gated model needs its token in env (see Settings).`,
    ];
  return [];
}

function gpuNotes(plan: CloudRunPlan): string[] {
  if (!plan.gpu) return [];
  const notes = [
    `GPU: one ${GPU.model} (${GPU.memoryBytes / 2 ** 30} GB VRAM) per instance, at least ${vcpu(GPU.minCpuMillis)} / ${GPU.minMemoryBytes / 2 ** 30} GiB, instance-based billing (the GPU is billed for the instance's whole life), only in ${GPU_REGIONS}; GPU quota must be requested for the region before deploying${plan.maxScale !== null ? `, for up to ${plan.maxScale} GPU${plan.maxScale === 1 ? '' : 's'} (maxScale)` : ''} (${FACTS}). Zonal redundancy is off (cheaper, no reserved failover capacity in other zones).`,
  ];
  const model = plan.gpu.from.model;
  if (model && model !== GPU.model)
    notes.push(
      `The pod ran on ${model}; Cloud Run offers ${GPU.model} with ${GPU.memoryBytes / 2 ** 30} GB of VRAM${GPU_PREVIEW ? ` (${GPU_PREVIEW.model}, ${GPU_PREVIEW.memoryBytes / 2 ** 30} GB, only in preview)` : ''}: check that the model fits at the precision it runs and load-test its latency.`,
    );
  return notes;
}

/** A queue worker (KEDA on a non-HTTP trigger) gets no requests on Cloud Run until something sends them. */
function triggerNotes(plan: CloudRunPlan, workload: WorkloadReport): string[] {
  if (workload.autoscaling.kind !== 'keda' || plan.port.port !== null) return [];
  return workload.autoscaling.metrics.map(
    (metric) =>
      `KEDA scaled it on ${metric.type} ${metric.name}: a Cloud Run service scales on the HTTP requests it receives, not on queue depth. Deliver each job as an HTTP request (a Pub/Sub push subscription, Eventarc) or keep the consumer on the cluster; until then nothing sends it work, and a consumer that pulls in the background would need instance-based billing.`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
