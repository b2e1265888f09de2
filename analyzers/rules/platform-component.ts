import { at, prose, reporter } from './format.ts';
import type { Rule } from './types.ts';

/**
 * Images of the Kubernetes platform itself: controllers, webhooks, agents and operators of Knative, KServe,
 * KEDA, KubeRay, Seldon, the NVIDIA GPU and NIM operators, KAITO, LeaderWorkerSet, Istio, cert-manager.
 * Knative's `ko://knative.dev/<repo>/test/...` images are test apps, not controllers: only `/cmd/` counts.
 */
const PLATFORM_IMAGES: { pattern: RegExp; name: string }[] = [
  { pattern: /knative-releases\/|knative\.dev\/[^/]+\/cmd\//, name: 'Knative' },
  {
    pattern:
      /kserve\/(kserve-controller|llmisvc-controller|kserve-localmodel|agent|router|storage-initializer)/,
    name: 'KServe',
  },
  { pattern: /kedacore\//, name: 'KEDA' },
  { pattern: /kuberay\/(operator|apiserver)/, name: 'KubeRay' },
  { pattern: /seldon-core-operator|seldonio\/seldon-core-executor/, name: 'Seldon' },
  {
    pattern:
      /nvidia\/(gpu-operator|k8s-device-plugin|dcgm-exporter|gpu-feature-discovery|k8s\/container-toolkit)|k8s-nim-operator/,
    name: 'NVIDIA operator',
  },
  { pattern: /aks\/kaito\/|kaito\/workspace/, name: 'KAITO' },
  { pattern: /\/lws\/lws|leaderworkerset/, name: 'LeaderWorkerSet' },
  { pattern: /kubeflow\/(training-operator|pipelines)|kubeflowkatib\//, name: 'Kubeflow' },
  {
    pattern: /istio\/(proxyv2|pilot)|kube-rbac-proxy|cert-manager-(controller|webhook|cainjector)/,
    name: 'cluster infrastructure',
  },
];

function platformOf(image: string | null): string | null {
  return PLATFORM_IMAGES.find((entry) => entry.pattern.test(image ?? ''))?.name ?? null;
}

/** Platform components serve the cluster; non-ML, non-platform workloads get no finding from this rule. */
export const platformComponent: Rule = {
  id: 'platform-component',
  title: 'Kubernetes platform component',
  description: 'Controllers, webhooks and operators of the serving platform stay with the cluster.',
  check(workload) {
    if (workload.ml.isModelServer) return [];
    const running = workload.pod.containers.filter((container) => container.role !== 'init');
    if (running.length === 0) return [];
    const platforms = running.map((container) => platformOf(container.image));
    if (platforms.some((platform) => platform === null)) return [];
    const named = prose(
      running.map(
        (container, index) => `${platforms[index]} image ${container.image}${at(container.source)}`,
      ),
    );
    return [
      reporter(this.id).block(`platform component: stays with the cluster (${named})`, running[0]!.source),
    ];
  },
};
