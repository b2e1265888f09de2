/**
 * What `migrate analyze --cluster` lists, as data: one row per resource, each a kind some reader in
 * analyzers/kinds understands. `versions` are in order of preference and every one of them is a version
 * the reader reads (a test holds the two lists together), so whatever version the cluster serves, the
 * reader sees an object it knows.
 */
export interface ClusterResource {
  /** How notes name it: "KServe InferenceService". */
  title: string;
  /** API group; '' for the core group (/api/v1). */
  group: string;
  versions: readonly string[];
  /** The resource name in URLs (lower-case plural). */
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Installed by an operator: absence is a "CRD not installed" note rather than something odd. */
  crd: boolean;
  /** List metadata only (Secrets): values must never be fetched, let alone reach an output. */
  metadataOnly?: boolean;
  /**
   * The kind as object sources name it, when two rows share a kind (a Knative Service and a core
   * Service): the group tells them apart, as kubectl does (`Service.serving.knative.dev`).
   */
  sourceKind?: string;
}

type Extra = Partial<Pick<ClusterResource, 'namespaced' | 'metadataOnly' | 'sourceKind'>>;

const row =
  (crd: boolean) =>
  (title: string, apiVersions: string, kind: string, plural: string, extra: Extra = {}): ClusterResource => {
    // "group/v1,v1beta1" or "v1" (core): the group once, then the versions in order of preference.
    const slash = apiVersions.lastIndexOf('/');
    const group = slash === -1 ? '' : apiVersions.slice(0, slash);
    const versions = apiVersions.slice(slash + 1).split(',');
    return { title, group, versions, plural, kind, namespaced: true, crd, ...extra };
  };
const builtIn = row(false);
const crd = row(true);

// biome-ignore format: a table, one resource per line
export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  // Workloads first: they are what the analysis is about; related objects attach to them afterwards.
  builtIn('Deployment', 'apps/v1,v1beta2,v1beta1', 'Deployment', 'deployments'),
  builtIn('StatefulSet', 'apps/v1,v1beta2,v1beta1', 'StatefulSet', 'statefulsets'),
  builtIn('DaemonSet', 'apps/v1,v1beta2', 'DaemonSet', 'daemonsets'),
  builtIn('ReplicaSet', 'apps/v1,v1beta2', 'ReplicaSet', 'replicasets'),
  builtIn('Job', 'batch/v1', 'Job', 'jobs'),
  builtIn('CronJob', 'batch/v1,v1beta1', 'CronJob', 'cronjobs'),
  builtIn('Pod', 'v1', 'Pod', 'pods'),
  crd('KServe InferenceService', 'serving.kserve.io/v1beta1,v1alpha2', 'InferenceService', 'inferenceservices'),
  crd('KServe LLMInferenceService', 'serving.kserve.io/v1alpha2,v1alpha1', 'LLMInferenceService', 'llminferenceservices'),
  crd('KServe InferenceGraph', 'serving.kserve.io/v1alpha1', 'InferenceGraph', 'inferencegraphs'),
  crd('KServe ServingRuntime', 'serving.kserve.io/v1alpha1', 'ServingRuntime', 'servingruntimes'),
  crd('KServe ClusterServingRuntime', 'serving.kserve.io/v1alpha1', 'ClusterServingRuntime', 'clusterservingruntimes', { namespaced: false }),
  crd('KFServing InferenceService', 'serving.kubeflow.org/v1beta1,v1alpha2', 'InferenceService', 'inferenceservices', { sourceKind: 'InferenceService.serving.kubeflow.org' }),
  crd('Knative Service', 'serving.knative.dev/v1,v1beta1', 'Service', 'services', { sourceKind: 'Service.serving.knative.dev' }),
  crd('Ray RayService', 'ray.io/v1,v1alpha1', 'RayService', 'rayservices'),
  crd('Ray RayCluster', 'ray.io/v1,v1alpha1', 'RayCluster', 'rayclusters'),
  crd('Seldon SeldonDeployment', 'machinelearning.seldon.io/v1,v1alpha3,v1alpha2', 'SeldonDeployment', 'seldondeployments'),
  crd('LeaderWorkerSet', 'leaderworkerset.x-k8s.io/v1', 'LeaderWorkerSet', 'leaderworkersets'),
  crd('vLLM production-stack VLLMRuntime', 'production-stack.vllm.ai/v1alpha1', 'VLLMRuntime', 'vllmruntimes'),
  crd('NVIDIA NIMService', 'apps.nvidia.com/v1alpha1', 'NIMService', 'nimservices'),
  crd('KAITO Workspace', 'kaito.sh/v1beta1,v1alpha1', 'Workspace', 'workspaces'),
  // Autoscalers.
  builtIn('HorizontalPodAutoscaler', 'autoscaling/v2,v2beta2,v2beta1,v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  crd('KEDA ScaledObject', 'keda.sh/v1alpha1', 'ScaledObject', 'scaledobjects'),
  crd('KEDA TriggerAuthentication', 'keda.sh/v1alpha1', 'TriggerAuthentication', 'triggerauthentications'),
  crd('KEDA ClusterTriggerAuthentication', 'keda.sh/v1alpha1', 'ClusterTriggerAuthentication', 'clustertriggerauthentications', { namespaced: false }),
  crd('KEDA HTTPScaledObject', 'http.keda.sh/v1alpha1', 'HTTPScaledObject', 'httpscaledobjects'),
  // Related objects.
  builtIn('Service', 'v1', 'Service', 'services'),
  // networking.k8s.io only: the legacy extensions/v1beta1 Ingress is the same object served twice on old
  // clusters, and reading both would count every Ingress two times.
  builtIn('Ingress', 'networking.k8s.io/v1,v1beta1', 'Ingress', 'ingresses'),
  builtIn('ConfigMap', 'v1', 'ConfigMap', 'configmaps'),
  builtIn('Secret', 'v1', 'Secret', 'secrets', { metadataOnly: true }),
  builtIn('ServiceAccount', 'v1', 'ServiceAccount', 'serviceaccounts'),
  builtIn('PersistentVolumeClaim', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'),
  builtIn('PersistentVolume', 'v1', 'PersistentVolume', 'persistentvolumes', { namespaced: false }),
  builtIn('Namespace', 'v1', 'Namespace', 'namespaces', { namespaced: false }),
];

/** Reader matches deliberately not listed, with the reason (a test checks every other match is). */
export const NOT_LISTED: readonly { group: string; kind: string; why: string }[] = [
  {
    group: 'extensions',
    kind: 'Ingress',
    why: 'the same Ingresses as networking.k8s.io, served twice by old clusters',
  },
];

export function sourceKindOf(resource: ClusterResource): string {
  return resource.sourceKind ?? resource.kind;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
