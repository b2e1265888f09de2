import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, relatedById, workloadById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);

describe('raycluster', () => {
  it('is a model server only when its containers say so; in-tree autoscaling is ray-cluster with the GPU group bounds', () => {
    const analysed = analyseText(`
apiVersion: ray.io/v1
kind: RayCluster
metadata: { name: serve }
spec:
  enableInTreeAutoscaling: true
  autoscalerOptions: { upscalingMode: Conservative, idleTimeoutSeconds: 120 }
  headGroupSpec:
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.40.0
            command: [bash, -c, "ray start --head && serve run app:deployment"]
  workerGroupSpecs:
    - groupName: cpu
      minReplicas: 0
      maxReplicas: 10
      template: { spec: { containers: [{ name: w, image: rayproject/ray:2.40.0 }] } }
    - groupName: gpu
      numOfHosts: 2
      replicas: 1
      minReplicas: 1
      maxReplicas: 3
      template: { spec: { containers: [{ name: w, image: rayproject/ray:2.40.0, resources: { limits: { nvidia.com/gpu: 8 } } }] } }
`);
    const workload = workloadById(analysed, 'default/RayCluster/serve');
    expect(workload.ml).toMatchObject({ isModelServer: true, server: 'ray-serve' });
    expect(workload.resources.gpu.count).toBe(8);
    expect(workload.autoscaling).toMatchObject({
      kind: 'ray-cluster',
      minReplicas: 1,
      maxReplicas: 3,
      settings: { scaledGroup: 'gpu', upscalingMode: 'Conservative', idleTimeoutSeconds: 120 },
    });
    expect(workload.components.map((component) => [component.name, component.replicas])).toEqual([
      ['cpu', null],
      ['gpu', 2],
    ]);
    expect(workload.notes.map((note) => note.message)).toContain(
      'worker group gpu: each replica is 2 pods (numOfHosts)',
    );
  });

  it('corpus raycluster-aliyunoss.yaml: history-server cluster, not a model server; its ServiceAccount attaches', () => {
    const analysed = analyseFile(
      corpus('ray-project__kuberay/historyserver/config/raycluster-aliyunoss.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/RayCluster/raycluster-historyserver-aliyunoss'],
      related: ['default/ServiceAccount/historyserver-aliyunoss'],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/RayCluster/raycluster-historyserver-aliyunoss');
    expect(workload.ml.isModelServer).toBe(false);
    expect(workload.autoscaling.kind).toBe('none');
    expect(workload.resources).toMatchObject({ cpuMillis: 50, gpu: { count: 0 } });
    expect(workload.pod.containers.map((container) => [container.name, container.image])).toEqual([
      ['ray-head', 'rayproject/ray:2.56.0'],
      ['collector', '${COLLECTOR_IMAGE}'],
    ]);
    // The scalar anchor &rayTmpRoot resolves in env values and mount paths.
    expect(workload.pod.containers[1]?.volumeMounts[0]?.mountPath).toBe('/tmp/ray');
    expect(workload.components).toMatchObject([
      { name: 'cpu', role: 'ray-worker', replicas: 1, minReplicas: 1, maxReplicas: 1000 },
    ]);
    expect(workload.pod.labels).toMatchObject({
      'ray.io/cluster': 'raycluster-historyserver-aliyunoss',
      'ray.io/node-type': 'head',
    });
    expect(relatedById(analysed, 'default/ServiceAccount/historyserver-aliyunoss')).toMatchObject({
      role: 'auth',
      attachedTo: ['default/RayCluster/raycluster-historyserver-aliyunoss'],
    });
  });
});
