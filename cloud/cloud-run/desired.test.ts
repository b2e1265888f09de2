import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { runCli } from '../../test/helpers/cli.ts';
import { readOptional } from '../config-dir.ts';
import type { DesiredConfig } from '../types.ts';
import type { CloudRunResource } from './desired.ts';
import { cloudRunCloud } from './index.ts';

let out: string;
const folder = (slug: string) => join(out, slug, 'cloud-run');
const read = (slug: string) => cloudRunCloud.readDesired(folder(slug), readOptional);

/** The line a source points at, read from the file itself. */
async function lineAt(source: string): Promise<string> {
  const match = /^(.*):(\d+) \(/.exec(source)!;
  const text = await readFile(match[1]!, 'utf8');
  return text.split('\n')[Number(match[2]) - 1]!;
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'cloud-run-desired-'));
  const result = await runCli(['convert', 'examples/k8s', '--out', out, '--target', 'cloud-run']);
  expect(result.code, result.stderr).toBe(0);
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('cloud-run readDesired on what migrate convert wrote', () => {
  it('reads fraud-scoring: name, workload, every setting with the line it was written on', async () => {
    const desired = await read('ml-inferenceservice-fraud-scoring');
    expect(desired.target).toBe('cloud-run');
    expect(desired.name).toBe('ml-fraud-scoring');
    expect(desired.workload).toBe('ml/InferenceService/fraud-scoring');
    const values = Object.fromEntries(
      Object.entries(desired.settings).map(([key, entry]) => [key, entry.value]),
    );
    // 2Gi is 2,048 MiB: memoryMb carries MiB (Cloud Run memory is binary).
    expect(values).toEqual({
      memoryMb: 2048,
      cpuMillis: 1000,
      concurrency: 8,
      warmInstances: 1,
      maxInstances: 20,
      timeoutSeconds: 30,
      image: '${REGION}-docker.pkg.dev/${PROJECT_ID}/ml/fraud-scoring:cloud-run',
    });
    const file = join(folder('ml-inferenceservice-fraud-scoring'), 'service.yaml');
    expect(desired.settings.warmInstances!.source).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ \\(spec\\.template\\.metadata\\.annotations\\["autoscaling\\.knative\\.dev/minScale"\\]\\)$`,
      ),
    );
    expect(await lineAt(desired.settings.warmInstances!.source)).toContain(
      'autoscaling.knative.dev/minScale: "1"',
    );
    expect(await lineAt(desired.settings.maxInstances!.source)).toContain(
      'autoscaling.knative.dev/maxScale: "20"',
    );
    expect(await lineAt(desired.settings.concurrency!.source)).toContain('containerConcurrency: 8');
    expect(await lineAt(desired.settings.timeoutSeconds!.source)).toContain('timeoutSeconds: 30');
    expect(await lineAt(desired.settings.memoryMb!.source)).toContain('memory: 2Gi');
    expect(await lineAt(desired.settings.cpuMillis!.source)).toContain('cpu: "1"');
    expect(await lineAt(desired.settings.image!.source)).toContain('image: ${REGION}-docker.pkg.dev');
    expect(desired.settings.gpu).toBeUndefined();
  });

  it('turns the v1 YAML into the v2 body apply sends', async () => {
    const desired = await read('ml-inferenceservice-fraud-scoring');
    const { service } = desired.resource as CloudRunResource;
    expect(service).toEqual({
      description:
        'ml/InferenceService/fraud-scoring (examples/k8s/fraud-scoring/inferenceservice.yaml:2), converted by migrate',
      template: {
        containers: [
          {
            image: '${REGION}-docker.pkg.dev/${PROJECT_ID}/ml/fraud-scoring:cloud-run',
            resources: { limits: { cpu: '1', memory: '2Gi' }, cpuIdle: false, startupCpuBoost: true },
            startupProbe: {
              httpGet: { path: '/v2/health/ready' },
              periodSeconds: 10,
              timeoutSeconds: 1,
              failureThreshold: 24,
            },
          },
        ],
        maxInstanceRequestConcurrency: 8,
        timeout: { seconds: 30 },
        scaling: { minInstanceCount: 1, maxInstanceCount: 20 },
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
      },
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
    });
  });

  it('reads llm-chat: the GPU, the port, args and the secret as a Secret Manager reference', async () => {
    const desired = await read('ml-deployment-llm-chat');
    expect(desired.settings.gpu!.value).toBe('nvidia-l4 x1');
    expect(await lineAt(desired.settings.gpu!.source)).toContain('nvidia.com/gpu: "1"');
    expect(desired.settings.memoryMb!.value).toBe(16384);
    expect(desired.settings.cpuMillis!.value).toBe(4000);
    expect(desired.settings.image!.value).toBe('vllm/vllm-openai:v0.6.3');
    const { service } = desired.resource as CloudRunResource;
    expect(service.template.nodeSelector).toEqual({ accelerator: 'nvidia-l4' });
    expect(service.template.gpuZonalRedundancyDisabled).toBe(true);
    const [container] = service.template.containers;
    expect(container!.ports).toEqual([{ containerPort: 8000 }]);
    expect(container!.args).toEqual([
      '--model=meta-llama/Llama-3.1-8B-Instruct',
      '--max-model-len=8192',
      '--gpu-memory-utilization=0.90',
    ]);
    expect(container!.env).toEqual([
      {
        name: 'HUGGING_FACE_HUB_TOKEN',
        valueSource: { secretKeyRef: { secret: 'ml-hf-token-token', version: 'latest' } },
      },
    ]);
    expect(container!.resources!.limits).toEqual({ cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' });
    // The secret and the image are listed as things apply does not create.
    expect(desired.notApplied.map((item) => item.field)).toEqual([
      'Secret Manager secret ml-hf-token-token (version latest), for HUGGING_FACE_HUB_TOKEN',
      'the image vllm/vllm-openai:v0.6.3',
    ]);
    expect(desired.notApplied[0]!.reason).toContain('roles/secretmanager.secretAccessor');
  });

  it('reads embeddings-worker (scale to zero, literal and secret env, TCP probe) and vision-triton', async () => {
    const embeddings = await read('ml-deployment-embeddings-worker');
    expect(embeddings.settings.warmInstances!.value).toBe(0);
    expect(embeddings.settings.maxInstances!.value).toBe(30);
    const container = (embeddings.resource as CloudRunResource).service.template.containers[0]!;
    expect(container.command).toEqual([
      'python',
      '-m',
      'worker',
      '--model',
      'sentence-transformers/all-MiniLM-L6-v2',
    ]);
    expect(container.env).toEqual([
      { name: 'MODEL_ID', value: 'sentence-transformers/all-MiniLM-L6-v2' },
      { name: 'HF_TOKEN', valueSource: { secretKeyRef: { secret: 'ml-hf-token-token', version: 'latest' } } },
    ]);
    expect(container.resources!.cpuIdle).toBe(true);
    expect(container.startupProbe!.tcpSocket).toEqual({});
    const triton = await read('ml-statefulset-vision-triton');
    expect(triton.name).toBe('ml-vision-triton');
    expect(triton.settings.memoryMb!.value).toBe(6144);
    expect(triton.settings.cpuMillis!.value).toBe(2000);
    expect((triton.resource as CloudRunResource).service.template.containers[0]!.startupProbe).toEqual({
      initialDelaySeconds: 20,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 22,
      httpGet: { path: '/v2/health/ready', port: 8000 },
    });
  });

  it('says a folder the analysis blocked holds only MIGRATION.md', async () => {
    const blocked = await mkdtemp(join(tmpdir(), 'cloud-run-blocked-'));
    try {
      const result = await runCli([
        'convert',
        '../shared/corpus/k8s/NVIDIA__nim-deploy/kserve/nim-models/llama-3.1-70b-instruct_2xgpu_1.1.0.yaml',
        '--out',
        blocked,
        '--target',
        'cloud-run',
      ]);
      expect(result.stdout).toContain('blocked');
      const dir = join(blocked, 'default-inferenceservice-llama-3-1-70b-instruct-2xgpu', 'cloud-run');
      const error = await cloudRunCloud.readDesired(dir, readOptional).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MigrateError);
      expect((error as MigrateError).message).toBe(
        `${dir}: blocked by the analysis: see MIGRATION.md (no service.yaml was written for cloud-run)`,
      );
      expect((error as MigrateError).hint).toContain('gpu-required: needs 2 nvidia.com/gpu per replica');
    } finally {
      await rm(blocked, { recursive: true, force: true });
    }
  });

  it('says a folder without service.yaml or MIGRATION.md has nothing to read', async () => {
    await expect(cloudRunCloud.readDesired(join(out, 'nothing-here'), readOptional)).rejects.toThrow(
      /nothing-here\/service\.yaml: not found/,
    );
  });
});

describe('cloud-run readDesired on hand-edited files', () => {
  const base = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: svc
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/minScale: "2"
    spec:
      containers:
        - image: us-docker.pkg.dev/p/r/i:1
`;
  const parse = async (text: string): Promise<DesiredConfig> => {
    const dir = await mkdtemp(join(tmpdir(), 'cloud-run-edit-'));
    const at = join(dir, 'w', 'cloud-run');
    await mkdir(at, { recursive: true });
    await writeFile(join(at, 'service.yaml'), text);
    try {
      return await cloudRunCloud.readDesired(at, readOptional);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  it('names file:line for malformed YAML', async () => {
    const error = await parse(base.replace('  name: svc\n', '  name: svc\n  name: other\n')).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MigrateError);
    expect((error as MigrateError).message).toMatch(
      /\/w\/cloud-run\/service\.yaml:5: the Cloud Run service is not valid YAML or JSON: Map keys must be unique/,
    );
  });

  it('names file:line and the field for a bad value', async () => {
    const error = await parse(base.replace('"2"', '"two"')).catch((caught: unknown) => caught);
    expect((error as MigrateError).message).toMatch(
      /service\.yaml:9: spec\.template\.metadata\.annotations\["autoscaling\.knative\.dev\/minScale"\]: must be a whole number, got "two"$/,
    );
    const memory = await parse(
      `${base}          resources:\n            limits:\n              memory: 2 GB\n`,
    ).catch((caught: unknown) => caught);
    expect((memory as MigrateError).message).toMatch(
      /service\.yaml:15: spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: invalid quantity "2 GB"/,
    );
  });

  it('rejects what is not a Knative Service', async () => {
    await expect(parse(base.replace('serving.knative.dev/v1', 'apps/v1'))).rejects.toThrow(
      /service\.yaml:1: apiVersion: expected serving\.knative\.dev\/v1, got "apps\/v1"/,
    );
    await expect(
      parse(base.replace('        - image: us-docker.pkg.dev/p/r/i:1\n', '        []\n')),
    ).rejects.toThrow(/containers is missing or empty/);
  });

  it('lists fields it cannot map as not applied, with their line, instead of dropping them', async () => {
    const desired = await parse(
      `${base}          volumeMounts:\n            - name: models\n              mountPath: /models\n      volumes:\n        - name: models\n`.replace(
        '        autoscaling.knative.dev/minScale: "2"\n',
        '        autoscaling.knative.dev/minScale: "2"\n        run.googleapis.com/vpc-access-connector: my-connector\n',
      ),
    );
    expect(desired.settings.warmInstances!.value).toBe(2);
    expect(desired.workload).toBe('w');
    const fields = desired.notApplied.map((item) =>
      item.field.replace(/\(.*\/service\.yaml:/, '(service.yaml:'),
    );
    expect(fields).toEqual([
      'spec.template.spec.volumes (service.yaml:17)',
      'spec.template.spec.containers[0].volumeMounts (service.yaml:14)',
      'spec.template.metadata.annotations["run.googleapis.com/vpc-access-connector"] (service.yaml:10)',
      'the image us-docker.pkg.dev/p/r/i:1',
    ]);
    expect(desired.notApplied[0]!.reason).toContain('gcloud run services replace');
  });
});
