import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { spikeProfile } from '../../core/traffic/index.ts';
import { analyzeYaml, contextFor, workloadOf } from '../common/testing.ts';
import type { ConversionResult, GeneratedFile, ScaffoldHook } from '../types.ts';
import { convertToCloudRun } from './convert.ts';
import { REGISTRY } from './image.ts';
import { serviceYamlErrors } from './testing.ts';

interface Service {
  metadata: { name: string };
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        containerConcurrency: number;
        timeoutSeconds: number;
        nodeSelector?: Record<string, string>;
        containers: {
          image: string;
          env?: { name: string; value?: string; valueFrom?: unknown }[];
          resources: { limits: Record<string, string> };
          startupProbe: Record<string, unknown>;
        }[];
      };
    };
  };
}

function fileOf(result: { files: GeneratedFile[] }, path: string): string {
  const file = result.files.find((entry) => entry.path === path);
  if (!file) throw new Error(`no ${path}; have ${result.files.map((entry) => entry.path).join(', ')}`);
  return file.content;
}

/** The service, after checking it against both schemas (Knative CRD and the Cloud Run Admin API v1). */
function serviceOf(result: ConversionResult): Service {
  const text = fileOf(result, 'service.yaml');
  expect(serviceYamlErrors(text)).toEqual([]);
  return parse(text) as Service;
}

const annotations = (service: Service) => service.spec.template.metadata.annotations;
const container = (service: Service) => service.spec.template.spec.containers[0]!;

async function convertOne(yaml: string, id: string, extra: Parameters<typeof contextFor>[2] = {}) {
  const report = await analyzeYaml(yaml);
  const workload = workloadOf(report, id);
  const result = convertToCloudRun(workload, contextFor(report, workload, extra));
  return { result, service: result.status === 'converted' ? serviceOf(result) : null };
}

const knative = (resources: string, extra = { min: 1, max: 5, concurrency: 4 }) => `
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: scorer, namespace: team}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "${extra.min}"
        autoscaling.knative.dev/max-scale: "${extra.max}"
    spec:
      containerConcurrency: ${extra.concurrency}
      timeoutSeconds: 60
      containers:
        - image: us-docker.pkg.dev/team/models/scorer:1.0
          ports: [{containerPort: 8080}]
          resources: {requests: {${resources}}}
          readinessProbe: {httpGet: {path: /ready}}
`;

describe('minScale: warm capacity sized from traffic, per-instance concurrency = containerConcurrency', () => {
  it("Little's law on the median minute ÷ containerConcurrency, priced on instance-based billing", async () => {
    const id = 'team/Service/scorer';
    const { result, service } = await convertOne(knative('cpu: "1", memory: 2Gi'), id, {
      traffic: spikeProfile('constant:rate=30,duration=10m', 1),
      serviceMs: 500,
    });

    // About 30 req/s × 0.5 s = 15 requests in flight ÷ 4 per instance = 4, below the maxScale of 5.
    expect(annotations(service!)['autoscaling.knative.dev/minScale']).toBe('4');
    expect(annotations(service!)['autoscaling.knative.dev/maxScale']).toBe('5');
    expect(result.warm!.term).toBe('min instances');
    expect(result.warm!.capacity.reason).toMatch(
      /req\/s × 500 ms \(--service-ms\) = 1[45]\.\d+ requests in flight; ÷ 4 per instance \(containerConcurrency 4\), rounded up = 4$/,
    );
    expect(result.warm!.price!.formula).toBe(
      '4 × 1 vCPU × 2,628,000 s (730 h) × $0.000018/vCPU-s = $189.22 + memory',
    );
    expect(annotations(service!)['run.googleapis.com/cpu-throttling']).toBe('false');
  });

  it('caps at maxScale and says so', async () => {
    const { result } = await convertOne(knative('cpu: "1", memory: 2Gi'), 'team/Service/scorer', {
      traffic: spikeProfile('constant:rate=100,duration=10m', 1),
      serviceMs: 1000,
    });

    expect(result.warm!.capacity.instances).toBe(5);
    expect(result.warm!.capacity.cappedBy).toMatch(/capped at 5, .*maxScale/);
  });

  it('without traffic: 1 when the cluster kept a replica, 0 (request-based billing) when it scaled to zero', async () => {
    const kept = await convertOne(knative('cpu: "1", memory: 2Gi'), 'team/Service/scorer');
    const zero = await convertOne(
      knative('cpu: "1", memory: 2Gi', { min: 0, max: 5, concurrency: 4 }),
      'team/Service/scorer',
    );

    expect(annotations(kept.service!)['autoscaling.knative.dev/minScale']).toBe('1');
    expect(kept.result.warm!.capacity.basis).toBe('default');
    expect(annotations(zero.service!)['autoscaling.knative.dev/minScale']).toBe('0');
    expect(annotations(zero.service!)['run.googleapis.com/cpu-throttling']).toBe('true');
    expect(zero.result.warm!.price!.usdPerMonth).toBe(0);
  });
});

describe('below one vCPU: concurrency 1, request-based billing, gen1 — or 1 vCPU when that cannot hold', () => {
  it('keeps 0.5 vCPU for a scale-to-zero service without declared concurrency', async () => {
    const { result, service } = await convertOne(
      knative('cpu: 250m, memory: 256Mi', { min: 0, max: 3, concurrency: 0 }),
      'team/Service/scorer',
    );

    expect(container(service!).resources.limits).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(service!.spec.template.spec.containerConcurrency).toBe(1);
    expect(annotations(service!)['run.googleapis.com/execution-environment']).toBe('gen1');
    expect(annotations(service!)['run.googleapis.com/cpu-throttling']).toBe('true');
    expect(result.notes.join('\n')).toMatch(
      /The instance has 0\.5 vCPU: below 1 vCPU Cloud Run requires concurrency 1/,
    );
  });

  it('rounds up to 1 vCPU when containerConcurrency is above 1, and says why', async () => {
    const { result, service } = await convertOne(
      knative('cpu: 250m, memory: 256Mi', { min: 0, max: 3, concurrency: 4 }),
      'team/Service/scorer',
    );

    expect(container(service!).resources.limits.cpu).toBe('1');
    expect(service!.spec.template.spec.containerConcurrency).toBe(4);
    expect(annotations(service!)['run.googleapis.com/execution-environment']).toBe('gen2');
    expect(result.settings.find((row) => row.name === 'resources.limits.cpu')!.source).toMatch(
      /CPU request 0\.25 vCPU .*, raised to 1 vCPU: containerConcurrency 4 needs at least 1 vCPU/,
    );
  });

  it('rounds up to 1 vCPU when min instances are kept (instance-based billing)', async () => {
    const { result, service } = await convertOne(
      knative('cpu: 250m, memory: 256Mi', { min: 1, max: 3, concurrency: 0 }),
      'team/Service/scorer',
    );

    expect(container(service!).resources.limits.cpu).toBe('1');
    expect(service!.spec.template.spec.containerConcurrency).toBe(80);
    expect(annotations(service!)['run.googleapis.com/cpu-throttling']).toBe('false');
    expect(result.notes.join('\n')).toMatch(
      /1 min instance\(s\) are kept on instance-based billing, which needs at least 1 vCPU/,
    );
  });
});

const gpuDeployment = (resources: string, nodeSelector = 'cloud.google.com/gke-accelerator: nvidia-l4') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: ml}
spec:
  replicas: 1
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm}}
    spec:
      nodeSelector: {${nodeSelector}}
      containers:
        - name: server
          image: vllm/vllm-openai:v0.6.3
          args: ["--model=/models/llm"]
          ports: [{name: http, containerPort: 8000}]
          resources:
            requests: {${resources}}
            limits: {nvidia.com/gpu: 1}
`;

describe('GPU: one NVIDIA L4 with its minimums, instance-based billing, gen2, zonal redundancy off', () => {
  it('emits the accelerator, the GPU limit and raises CPU and memory to 4 vCPU / 16 GiB', async () => {
    const { result, service } = await convertOne(gpuDeployment('cpu: "2", memory: 8Gi'), 'ml/Deployment/llm');

    expect(service!.spec.template.spec.nodeSelector).toEqual({
      'run.googleapis.com/accelerator': 'nvidia-l4',
    });
    expect(container(service!).resources.limits).toEqual({ cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' });
    expect(annotations(service!)).toMatchObject({
      'run.googleapis.com/cpu-throttling': 'false',
      'run.googleapis.com/execution-environment': 'gen2',
      'run.googleapis.com/gpu-zonal-redundancy-disabled': 'true',
      'run.googleapis.com/startup-cpu-boost': 'true',
    });
    const notes = result.notes.join('\n');
    expect(notes).toMatch(
      /one nvidia-l4 GPU needs at least 4 vCPU .*one nvidia-l4 GPU needs at least 16 GiB/,
    );
    expect(notes).toMatch(/GPU: one nvidia-l4 .* only in asia-southeast1, .*GPU quota must be requested/);
    // The vLLM /health endpoint gates traffic; a GPU allows a startup window of up to 1,800 s.
    expect(container(service!).startupProbe).toMatchObject({ httpGet: { path: '/health', port: 8000 } });
    expect(result.warm!.price!.formula).toMatch(/\+ memory \+ GPU$/);
    expect(result.warm!.price!.source).toMatch(/GPU .*not included/);
  });

  it('a pod on another GPU model gets the L4, and a note to check the model fits', async () => {
    const { result, service } = await convertOne(
      gpuDeployment('cpu: "8", memory: 30Gi', 'cloud.google.com/gke-accelerator: nvidia-tesla-t4'),
      'ml/Deployment/llm',
    );

    expect(container(service!).resources.limits).toEqual({ cpu: '8', memory: '30Gi', 'nvidia.com/gpu': '1' });
    expect(result.notes.join('\n')).toMatch(
      /The pod ran on nvidia-tesla-t4; Cloud Run offers nvidia-l4 with 24 GB of VRAM/,
    );
  });
});

describe('environment: Secret Manager references, never values; ConfigMap keys as a note', () => {
  const yaml = `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: bulk, namespace: team}
stringData: {BULK_TOKEN: do-not-copy-me}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: scorer, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: scorer}}
  template:
    metadata: {labels: {app: scorer}}
    spec:
      containers:
        - name: server
          image: ghcr.io/team/scorer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: "1", memory: 2Gi}}
          envFrom: [{secretRef: {name: bulk}}, {configMapRef: {name: settings}}]
          env:
            - {name: MODEL_TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}
            - {name: PORT, value: "8080"}
            - {name: MODE, value: fast}
`;

  it('writes secretKeyRef {name: <secret-manager secret>, key: latest} and the commands that fill them', async () => {
    const { result, service } = await convertOne(yaml, 'team/Deployment/scorer');
    const text = [fileOf(result, 'service.yaml'), ...result.deploy!.steps, ...result.notes].join('\n');

    expect(container(service!).env).toEqual([
      { name: 'BULK_TOKEN', valueFrom: { secretKeyRef: { name: 'team-bulk-BULK_TOKEN', key: 'latest' } } },
      { name: 'MODEL_TOKEN', valueFrom: { secretKeyRef: { name: 'team-creds-token', key: 'latest' } } },
      { name: 'MODE', value: 'fast' },
    ]);
    expect(text).not.toContain('do-not-copy-me');
    expect(result.deploy!.steps.join('\n')).toContain(
      `kubectl get secret creds -n team -o go-template='{{index .data "token"}}' | base64 -d | gcloud secrets create team-creds-token --replication-policy=automatic --data-file=-`,
    );
    expect(result.notCarried.map((item) => item.what)).toEqual(
      expect.arrayContaining([
        'environment variable PORT',
        'environment variable LOG_LEVEL (ConfigMap team/settings key LOG_LEVEL)',
      ]),
    );
    expect(result.notes.join('\n')).toMatch(
      /ConfigMap keys are not in service\.yaml, .*LOG_LEVEL \(team\/settings\)/,
    );
  });

  it('copies an image from outside Google Cloud into Artifact Registry, keeping the digest', async () => {
    const { result, service } = await convertOne(yaml, 'team/Deployment/scorer');

    expect(container(service!).image).toBe(
      `${REGISTRY}/team/scorer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`,
    );
    expect(result.deploy!.steps.join('\n')).toMatch(
      /envsubst .*gcloud run services replace service\.deploy\.yaml --region "\$REGION"/,
    );
  });
});

describe('the rest of the mapping', () => {
  it('clamps a request timeout above 3,600 s and says so', async () => {
    const { result, service } = await convertOne(
      knative('cpu: "1", memory: 2Gi').replace('timeoutSeconds: 60', 'timeoutSeconds: 7200'),
      'team/Service/scorer',
    );

    expect(service!.spec.template.spec.timeoutSeconds).toBe(3600);
    expect(result.notes.join('\n')).toMatch(/timeoutSeconds is clamped to 3600 s/);
  });

  it('keeps a long service name within 49 characters, recording the original', async () => {
    const long = 'a-very-long-inference-service-name-for-the-ranking-model';
    const { result, service } = await convertOne(
      knative('cpu: "1", memory: 2Gi').replace('name: scorer', `name: ${long}`),
      `team/Service/${long}`,
    );

    expect(service!.metadata.name.length).toBeLessThanOrEqual(49);
    expect(service!.metadata.name).toMatch(/^team-a-very-long.*-[0-9a-f]{6}$/);
    expect(result.names[0]).toMatchObject({ kind: 'Cloud Run service name', original: `team-${long}` });
  });

  it('keeps session affinity from a ClientIP Service', async () => {
    const { service } = await convertOne(
      `${gpuDeployment('cpu: "4", memory: 16Gi')}---
apiVersion: v1
kind: Service
metadata: {name: llm, namespace: ml}
spec: {selector: {app: llm}, sessionAffinity: ClientIP, ports: [{port: 80, targetPort: 8000}]}
`,
      'ml/Deployment/llm',
    );

    expect(annotations(service!)['run.googleapis.com/sessionAffinity']).toBe('true');
  });

  it('gives deploy and roll-back commands with gcloud', async () => {
    const { result } = await convertOne(knative('cpu: "1", memory: 2Gi'), 'team/Service/scorer');

    expect(result.deploy!.steps.join('\n')).toContain(
      '`gcloud run services replace service.yaml --region "$REGION"`',
    );
    expect(result.deploy!.rollback.join('\n')).toContain(
      '`gcloud run services update-traffic team-scorer --region "$REGION" --to-revisions <previous-revision>=100`',
    );
  });

  it('an ONNX model the scaffold can fetch gets the server scaffold, its /ready probe and MODEL_URI', async () => {
    const scaffolds: ScaffoldHook = (target, { modelUri }) => [
      { path: 'src/server.ts', content: `// ${target} ${modelUri}\n` },
    ];

    const { result, service } = await convertOne(
      `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ranker, namespace: team}
spec:
  predictor:
    model:
      modelFormat: {name: onnx}
      storageUri: https://models.example.com/ranker/model.onnx
      resources: {requests: {cpu: "1", memory: 1Gi}}
`,
      'team/InferenceService/ranker',
      { scaffolds },
    );

    expect(fileOf(result, 'src/server.ts')).toBe(
      '// cloud-run https://models.example.com/ranker/model.onnx\n',
    );
    expect(container(service!).image).toBe(`${REGISTRY}/team/ranker:onnx-server`);
    expect(container(service!).startupProbe).toMatchObject({ httpGet: { path: '/ready' } });
    expect(container(service!).env).toEqual([
      { name: 'MODEL_URI', value: 'https://models.example.com/ranker/model.onnx' },
    ]);
  });
});
