import type { SourceRef } from './source.ts';

/**
 * The intermediate representation every stage shares. A workload is anything that runs model-serving
 * (or other) pods: a Deployment, a KServe InferenceService, a RayService… Kind readers fill it from
 * manifests; rules and converters read it. Units are in the field names.
 */

export interface ResourceAmounts {
  cpuMillis: number | null;
  memoryBytes: number | null;
}

export type GpuEvidence =
  | 'resources' // nvidia.com/gpu (or amd.com/gpu, …) in requests/limits
  | 'mig' // nvidia.com/mig-1g.5gb style resources
  | 'operator-field' // a CRD's own field (VLLMRuntime resources.gpu, NIMService, KServe LLM)
  | 'node-selector' // a GPU accelerator label in nodeSelector/affinity, no resource request
  | 'toleration' // an nvidia.com/gpu toleration only
  | 'instance-type'; // a GPU VM type named by an operator (KAITO instanceType)

export interface GpuDemand {
  /** GPUs per replica (per pod, or per Ray worker for Ray). 0 when none. */
  count: number;
  /** `nvidia.com/gpu`, `amd.com/gpu`, `aws.amazon.com/neuron`, `nvidia.com/mig-1g.5gb`, … */
  resource: string | null;
  /** Accelerator model when known: `nvidia-l4`, `nvidia-tesla-t4`, `Standard_NC6s_v3`. */
  model: string | null;
  evidence: GpuEvidence[];
  source: SourceRef | null;
}

export interface Probe {
  kind: 'http' | 'tcp' | 'grpc' | 'exec';
  path: string | null;
  port: number | string | null;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  source: SourceRef;
}

export interface EnvVar {
  name: string;
  /** Literal values are kept (they are in the manifest already); secrets never are. */
  value?: string;
  secretRef?: { name: string; key: string | null };
  configMapRef?: { name: string; key: string | null };
  fieldRef?: string;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
}

export interface Container {
  name: string;
  image: string | null;
  role: 'main' | 'sidecar' | 'init';
  command: string[];
  args: string[];
  ports: { name: string | null; containerPort: number; protocol: string }[];
  env: EnvVar[];
  envFrom: { secretRef?: string; configMapRef?: string }[];
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  gpu: GpuDemand;
  probes: { readiness: Probe | null; liveness: Probe | null; startup: Probe | null };
  volumeMounts: VolumeMount[];
  privileged: boolean;
  source: SourceRef;
}

export type VolumeSource =
  | { type: 'pvc'; claimName: string; readOnly: boolean }
  | { type: 'ephemeral-pvc'; sizeBytes: number | null }
  | { type: 'configMap'; name: string }
  | { type: 'secret'; name: string }
  | { type: 'emptyDir'; medium: string | null; sizeLimitBytes: number | null }
  | { type: 'hostPath'; path: string }
  | { type: 'csi'; driver: string }
  | { type: 'image'; reference: string }
  | { type: 'other'; kind: string };

export interface Volume {
  name: string;
  source: VolumeSource;
  sourceRef: SourceRef;
}

export interface PodTemplate {
  containers: Container[];
  volumes: Volume[];
  nodeSelector: Record<string, string>;
  tolerations: { key: string | null; operator: string | null; value: string | null; effect: string | null }[];
  hostNetwork: boolean;
  hostPID: boolean;
  labels: Record<string, string>;
  serviceAccountName: string | null;
  terminationGracePeriodSeconds: number | null;
}

export type AutoscalerKind =
  | 'hpa'
  | 'keda'
  | 'keda-http'
  | 'knative'
  | 'kserve'
  | 'ray-serve'
  | 'ray-cluster'
  | 'operator'
  | 'none';

export interface ScalingMetric {
  /** `Resource`, `Pods`, `Object`, `External`, `ContainerResource`, a KEDA trigger type, `concurrency`, `rps`… */
  type: string;
  name: string;
  target: { type: string; value: number } | null;
  source: SourceRef | null;
}

export interface Autoscaling {
  kind: AutoscalerKind;
  /** The object that configures it, e.g. `ns/HorizontalPodAutoscaler/name`, or the workload itself. */
  by: string | null;
  minReplicas: number | null;
  maxReplicas: number | null;
  metrics: ScalingMetric[];
  /** HPA `spec.behavior`, KEDA `advanced.horizontalPodAutoscalerConfig.behavior`, raw but secret-free. */
  behavior: unknown;
  /** Extra settings with their meaning in the name: pollingIntervalSeconds, cooldownPeriodSeconds, … */
  settings: Record<string, number | string | boolean>;
  source: SourceRef | null;
}

export type ModelServerId =
  | 'triton'
  | 'torchserve'
  | 'tf-serving'
  | 'vllm'
  | 'tgi'
  | 'kserve-sklearn'
  | 'kserve-xgboost'
  | 'kserve-huggingface'
  | 'kserve-lightgbm'
  | 'kserve-pmml'
  | 'kserve-paddle'
  | 'kserve-runtime'
  | 'mlserver'
  | 'ray-serve'
  | 'ollama'
  | 'nim'
  | 'bentoml'
  | 'seldon'
  | 'kaito'
  | 'torchrun'
  | 'custom';

export interface ModelArtifact {
  uri: string | null;
  format: string | null;
  sizeBytes: number | null;
  /** How the size is known: a PVC's requested size, an annotation, a local file. */
  sizeSource: SourceRef | null;
  sizeEvidence: 'pvc' | 'annotation' | 'local-file' | 'catalogue' | null;
  source: SourceRef | null;
}

export interface MlProfile {
  isModelServer: boolean;
  server: ModelServerId | null;
  /** Why we believe it: the image, an arg, the CRD. */
  serverEvidence: string | null;
  model: ModelArtifact | null;
  /** Parallelism across GPUs or hosts: tensor-parallel size, number of shards, hosts in a group. */
  tensorParallel: number | null;
  multiHost: boolean;
  /** KServe: the ServingRuntime named by the predictor, or null to resolve by model format. */
  runtime: string | null;
}

export interface Serving {
  /** Requests one replica serves at once (KServe/Knative containerConcurrency, Ray max_ongoing_requests). */
  containerConcurrency: number | null;
  /** Longest time a request may run. */
  timeoutSeconds: number | null;
  scaleToZero: boolean;
  sessionAffinity: boolean;
  /** Latency SLO from an annotation (`migrate.dev/slo-ms`). */
  sloMs: number | null;
  source: SourceRef | null;
}

export interface Workload {
  id: string;
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  sources: SourceRef[];
  replicas: number | null;
  /** Sum over one replica's pods (Ray: head + one worker of the largest group is not summed: see docs). */
  resources: ResourceAmounts & { gpu: GpuDemand };
  pod: PodTemplate;
  /** Extra pod groups (Ray worker groups, LeaderWorkerSet workers, KServe transformers). */
  components: {
    name: string;
    role: string;
    replicas: number | null;
    minReplicas: number | null;
    maxReplicas: number | null;
    pod: PodTemplate;
    resources: ResourceAmounts & { gpu: GpuDemand };
  }[];
  ml: MlProfile;
  autoscaling: Autoscaling;
  serving: Serving;
  state: { statefulSet: boolean; writablePvcs: string[] };
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /** Ids of related objects linked to this workload. */
  related: string[];
  /** What the reader could not understand, kept for the report rather than dropped. */
  notes: { message: string; source: SourceRef | null }[];
}

export interface RelatedObject {
  id: string;
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  source: SourceRef;
  role:
    | 'autoscaler'
    | 'service'
    | 'ingress'
    | 'storage'
    | 'config'
    | 'secret'
    | 'runtime'
    | 'routing'
    | 'auth'
    | 'other';
  /** Workload ids it attached to (may be empty: the target is not in the input). */
  attachedTo: string[];
  /** Why it attached, or why it did not. */
  link: string | null;
  /** Secret and ConfigMap key names (never values). */
  keys?: string[];
}

export interface SkippedObject {
  source: SourceRef;
  kind: string | null;
  apiVersion: string | null;
  name: string | null;
  reason: string;
}

export interface InputError {
  file: string;
  line: number | null;
  message: string;
}
