import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, relatedById, workloadById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);
const messages = (workload: { notes: { message: string }[] }) => workload.notes.map((note) => note.message);

const CLUSTER = `
  rayClusterConfig:
    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers: [{ name: ray-head, image: rayproject/ray:2.40.0, resources: { requests: { cpu: "1", memory: 2Gi } } }]
    workerGroupSpecs:
      - groupName: gpu
        replicas: 1
        minReplicas: 0
        maxReplicas: 2
        rayStartParams: { num-gpus: "2" }
        template:
          spec:
            containers: [{ name: ray-worker, image: rayproject/ray:2.40.0, resources: { requests: { cpu: 8x } } }]
`;

describe('rayservice', () => {
  it('an unparsable serveConfigV2 is a note, GPUs declared to Ray are operator-field evidence, bad quantities are reported', () => {
    const analysed = analyseText(`
apiVersion: ray.io/v1
kind: RayService
metadata: { name: broken }
spec:
  serveConfigV2: |
    applications:
      - name: app
        import_path: [unclosed
${CLUSTER}`);
    const workload = workloadById(analysed, 'default/RayService/broken');
    expect(
      messages(workload).find((message) => message.startsWith('serveConfigV2 is not valid YAML')),
    ).toBeDefined();
    expect(workload.resources.gpu).toMatchObject({
      count: 2,
      evidence: ['operator-field'],
      source: { line: 22, field: 'spec.rayClusterConfig.workerGroupSpecs.0.rayStartParams.num-gpus' },
    });
    expect(analysed.errors).toEqual([
      {
        file: 'inline.yaml',
        line: 25,
        message: expect.stringContaining(
          'spec.rayClusterConfig.workerGroupSpecs.0.template.spec.containers.0.resources.requests.cpu: invalid quantity "8x"',
        ),
      },
    ]);
    expect(workload.ml).toMatchObject({ isModelServer: true, server: 'ray-serve', model: null });
    expect(workload.autoscaling.kind).toBe('none');
  });

  it('scale to zero when Serve min_replicas is 0; in-tree autoscaling alone gives ray-cluster', () => {
    const zero = analyseText(`
apiVersion: ray.io/v1
kind: RayService
metadata: { name: zero }
spec:
  serveConfigV2: |
    applications:
      - name: app
        import_path: app:build
        args: { model_id: org/model }
        deployments:
          - name: D
            max_ongoing_requests: 8
            autoscaling_config: { min_replicas: 0, max_replicas: 3 }
${CLUSTER}`);
    const workload = workloadById(zero, 'default/RayService/zero');
    expect(workload.autoscaling).toMatchObject({
      kind: 'ray-serve',
      minReplicas: 0,
      maxReplicas: 3,
      metrics: [{ name: 'app/D', target: null }],
    });
    expect(workload.serving).toMatchObject({ scaleToZero: true, containerConcurrency: 8 });
    expect(workload.ml.model).toMatchObject({ uri: 'org/model', source: { line: 10 } });
    const inTree = analyseText(`
apiVersion: ray.io/v1
kind: RayService
metadata: { name: in-tree }
spec:
${CLUSTER.replace('rayClusterConfig:', 'rayClusterConfig:\n    enableInTreeAutoscaling: true')}`);
    expect(workloadById(inTree, 'default/RayService/in-tree').autoscaling).toMatchObject({
      kind: 'ray-cluster',
      minReplicas: 0,
      maxReplicas: 2,
      settings: { scaledGroup: 'gpu' },
    });
  });

  it('corpus ray-service.llm-serve.yaml: Ray Serve LLM (Qwen2.5-7B), 4 GPUs per worker, Serve autoscaling 1–4', () => {
    const analysed = analyseFile(
      corpus('ray-project__kuberay/ray-operator/config/samples/ray-service.llm-serve.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/RayService/ray-serve-llm'],
      related: ['default/Secret/hf-token'],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/RayService/ray-serve-llm');
    expect(workload.resources).toMatchObject({ cpuMillis: 2000, memoryBytes: 4 * 2 ** 30 });
    expect(workload.resources.gpu).toMatchObject({
      count: 4,
      resource: 'nvidia.com/gpu',
      evidence: ['resources'],
      source: { line: 84 },
    });
    expect(workload.components).toMatchObject([
      {
        name: 'gpu-group',
        role: 'ray-worker',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
        resources: { gpu: { count: 4 } },
      },
    ]);
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'ray-serve',
      model: { uri: 'Qwen/Qwen2.5-7B-Instruct', source: { line: 15 } },
    });
    expect(workload.autoscaling).toMatchObject({ kind: 'ray-serve', minReplicas: 1, maxReplicas: 4 });
    expect(workload.autoscaling.metrics).toMatchObject([
      {
        type: 'ongoing-requests',
        name: 'llms/qwen2.5-7b-instruct',
        target: { value: 64 },
        source: { line: 22 },
      },
    ]);
    expect(workload.serving.containerConcurrency).toBe(128);
    expect(relatedById(analysed, 'default/Secret/hf-token').attachedTo).toEqual([
      'default/RayService/ray-serve-llm',
    ]);
  });

  it('corpus ray-service.text-ml.yaml: CPU-only Serve app, worker group min 1 max 5 without in-tree autoscaling', () => {
    const analysed = analyseFile(
      corpus('ray-project__kuberay/ray-operator/config/samples/ray-service.text-ml.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['default/RayService/rayservice-sample'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/RayService/rayservice-sample');
    expect(workload.resources.gpu.count).toBe(0);
    expect(workload.components).toMatchObject([
      {
        name: 'small-group',
        role: 'ray-worker',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 5,
        resources: { cpuMillis: 500, gpu: { count: 0 } },
      },
    ]);
    expect(workload.ml).toMatchObject({
      server: 'ray-serve',
      serverEvidence: 'RayService serveConfigV2 applications text_ml_app (text_ml.app)',
      model: null,
    });
    expect(workload.autoscaling.kind).toBe('none');
    expect(messages(workload)).toContain(
      'enableInTreeAutoscaling is off: worker groups small-group (1–5) stay at their replicas; min/max only apply with the autoscaler',
    );
  });

  it('corpus ray-service-vllm.yaml: Mistral-7B via vLLM, 1 GPU per worker, Serve autoscaling 1–4 with in-tree autoscaling', () => {
    const analysed = analyseFile(
      corpus('awslabs__ai-on-eks/blueprints/inference/vllm-rayserve-gpu/ray-service-vllm.yaml'),
    );
    expect(accounting(analysed)).toEqual({
      workloads: ['rayserve-vllm/RayService/vllm'],
      related: ['Namespace/rayserve-vllm', 'rayserve-vllm/Secret/hf-token'],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'rayserve-vllm/RayService/vllm');
    expect(workload.resources.gpu).toMatchObject({
      count: 1,
      evidence: ['resources', 'toleration'],
      source: { line: 137 },
    });
    expect(workload.components).toMatchObject([
      {
        name: 'gpu-group',
        minReplicas: 1,
        maxReplicas: 4,
        resources: { cpuMillis: 10000, gpu: { count: 1 } },
      },
    ]);
    expect(workload.ml.model).toMatchObject({
      uri: 'mistralai/Mistral-7B-Instruct-v0.2',
      source: { line: 29 },
    });
    expect(workload.autoscaling).toMatchObject({
      kind: 'ray-serve',
      minReplicas: 1,
      maxReplicas: 4,
      settings: {
        enableInTreeAutoscaling: true,
        gpusPerReplica: 1,
        upscaleDelaySeconds: 30,
        downscaleDelaySeconds: 600,
      },
    });
    expect(workload.autoscaling.metrics).toMatchObject([
      { name: 'mistral/mistral-deployment', target: { value: 20 } },
    ]);
    // max_concurrent_queries is the older name of max_ongoing_requests.
    expect(workload.serving.containerConcurrency).toBe(100);
    expect(
      messages(workload).some((message) =>
        message.startsWith('enableInTreeAutoscaling: KubeRay adds and removes worker pods'),
      ),
    ).toBe(true);
    expect(relatedById(analysed, 'rayserve-vllm/Secret/hf-token').attachedTo).toEqual([
      'rayserve-vllm/RayService/vllm',
    ]);
  });
});
