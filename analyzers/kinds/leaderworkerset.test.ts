import { describe, expect, it } from 'vitest';
import {
  accounting,
  analyseFile,
  analyseText,
  readText,
  relatedById,
  workloadById,
} from './common/testing.ts';

const HPA = new URL(
  '../../../shared/corpus/k8s/GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-multihost-gpus/vllm-hpa.yaml',
  import.meta.url,
);

/** The shape of the GKE multi-host vLLM sample the corpus HPA belongs to (the LWS itself is not in the corpus). */
const LWS = `
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: { name: vllm }
spec:
  replicas: 1
  leaderWorkerTemplate:
    size: 2
    leaderTemplate:
      metadata: { labels: { role: leader } }
      spec:
        containers:
          - name: vllm-leader
            image: vllm/vllm-openai:v0.8.5
            args: ["vllm serve meta-llama/Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline-parallel-size 2"]
            env: [{ name: MODEL_ID, value: meta-llama/Llama-3.1-405B-Instruct }]
            resources: { limits: { nvidia.com/gpu: "8" } }
    workerTemplate:
      spec:
        containers:
          - name: vllm-worker
            image: vllm/vllm-openai:v0.8.5
            resources: { limits: { nvidia.com/gpu: "8", memory: 1.5Ti } }
`;

describe('leaderworkerset', () => {
  it('a replica is a group: leader pod, workers as a component, multi-host', () => {
    const analysed = analyseText(LWS);
    const workload = workloadById(analysed, 'default/LeaderWorkerSet/vllm');
    expect(workload.replicas).toBe(1);
    expect(workload.resources.gpu).toMatchObject({
      count: 8,
      resource: 'nvidia.com/gpu',
      source: { line: 17 },
    });
    expect(workload.components).toMatchObject([
      {
        name: 'workers',
        role: 'lws-worker',
        replicas: 1,
        resources: { gpu: { count: 8 }, memoryBytes: 1.5 * 2 ** 40 },
      },
    ]);
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'vllm',
      multiHost: true,
      model: { uri: 'meta-llama/Llama-3.1-405B-Instruct' },
    });
    expect(workload.notes.map((note) => note.message)).toContain(
      'each replica is a group of 2 pods (1 leader + 1 workers): about 16 GPUs per replica',
    );
    expect(workload.pod.labels).toEqual({ role: 'leader', 'leaderworkerset.sigs.k8s.io/name': 'vllm' });
  });

  it('without a leaderTemplate the leader uses the worker template; a bad quantity is reported', () => {
    const analysed = analyseText(`
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: { name: plain }
spec:
  leaderWorkerTemplate:
    workerTemplate:
      spec:
        containers: [{ name: w, image: example/w, resources: { limits: { nvidia.com/gpu: one } } }]
`);
    expect(analysed.errors.map((error) => [error.line, error.message.split(':')[0]])).toEqual([
      [9, 'spec.leaderWorkerTemplate.workerTemplate.spec.containers.0.resources.limits.nvidia.com/gpu'],
    ]);
    const workload = workloadById(analysed, 'default/LeaderWorkerSet/plain');
    expect(workload).toMatchObject({ replicas: 1, components: [], ml: { multiHost: false } });
  });

  it('corpus vllm-hpa.yaml alone: the HPA stays unattached, naming the LeaderWorkerSet it wants', () => {
    const analysed = analyseFile(HPA);
    expect(accounting(analysed)).toEqual({
      workloads: [],
      related: ['default/HorizontalPodAutoscaler/lws-hpa'],
      skipped: [],
      lost: 0,
    });
    expect(relatedById(analysed, 'default/HorizontalPodAutoscaler/lws-hpa')).toMatchObject({
      attachedTo: [],
      link: 'scale target LeaderWorkerSet/vllm is not in the input',
    });
  });

  it('corpus vllm-hpa.yaml with its LeaderWorkerSet: HPA 1–2 on vllm:num_requests_waiting', () => {
    const analysed = analyseText(`${LWS}---\n${readText(HPA)}`);
    const workload = workloadById(analysed, 'default/LeaderWorkerSet/vllm');
    expect(workload.autoscaling).toMatchObject({ kind: 'hpa', minReplicas: 1, maxReplicas: 2 });
    expect(workload.autoscaling.metrics).toMatchObject([
      {
        type: 'Pods',
        name: 'prometheus.googleapis.com|vllm:num_requests_waiting|gauge',
        target: { value: 5 },
      },
    ]);
  });
});
