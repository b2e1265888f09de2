import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { spikeProfile } from '../../core/traffic/index.ts';
import { loadScaffoldHook } from '../cold-start/scaffold-hook.ts';
import { analyzeYaml, contextFor, convertAll, workloadOf } from '../common/testing.ts';
import type { ConversionResult, GeneratedFile, ScaffoldHook } from '../types.ts';
import { convertToLambda } from './convert.ts';
import { samTemplateErrors, serverlessErrors } from './testing.ts';

type Template = {
  Resources: Record<string, { Properties: Record<string, unknown> }>;
  Parameters?: Record<string, unknown>;
};

function fileOf(result: { files: GeneratedFile[] }, path: string): string {
  const file = result.files.find((entry) => entry.path === path);
  if (!file) throw new Error(`no ${path}; have ${result.files.map((entry) => entry.path).join(', ')}`);
  return file.content;
}

function propertiesOf(result: ConversionResult): Record<string, unknown> {
  const template = parse(fileOf(result, 'template.yaml')) as Template;
  return Object.values(template.Resources)[0]!.Properties;
}

function expectValid(result: ConversionResult): void {
  expect(samTemplateErrors(fileOf(result, 'template.yaml'))).toEqual([]);
  expect(serverlessErrors(fileOf(result, 'serverless.yml'))).toEqual([]);
}

async function convertOne(yaml: string, id: string, extra: Parameters<typeof contextFor>[2] = {}) {
  const report = await analyzeYaml(yaml);
  const workload = workloadOf(report, id);
  return { result: convertToLambda(workload, contextFor(report, workload, extra)), workload, report };
}

const deployment = (resources: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: scorer, namespace: team}
spec:
  replicas: 2
  selector: {matchLabels: {app: scorer}}
  template:
    metadata: {labels: {app: scorer}}
    spec:
      containers:
        - name: server
          image: ghcr.io/team/scorer:2.1
          args: ["--model=/models/scorer"]
          ports: [{containerPort: 8080}]
${resources}${extra}
`;

describe('MemorySize: the larger of the memory request and CPU × 1,769 MB', () => {
  it('2 vCPU and 1 GiB give 3,538 MB, and the source says why', async () => {
    const { result } = await convertOne(
      deployment('          resources: {requests: {cpu: "2", memory: 1Gi}}'),
      'team/Deployment/scorer',
    );

    expect(propertiesOf(result).MemorySize).toBe(3538);
    expect(result.settings.find((row) => row.name === 'MemorySize')!.source).toMatch(
      /larger of memory request 1,024 MB and CPU request 2 vCPU × 1,769 MB per vCPU = 3,538 MB \(-:\d+/,
    );
    expectValid(result);
  });

  it('clamps at 10,240 MB and says the function gets less CPU than the pod', async () => {
    const { result } = await convertOne(
      deployment('          resources: {requests: {cpu: "5.9", memory: 2Gi}}'),
      'team/Deployment/scorer',
    );

    expect(propertiesOf(result).MemorySize).toBe(10240);
    expect(result.notes.join('\n')).toMatch(
      /clamped to 10,240 MB: the pod asks for 10,438 MB worth, so the function gets less CPU/,
    );
    expectValid(result);
  });

  it('without requests, takes one vCPU worth and marks it as a default', async () => {
    const { result } = await convertOne(deployment(''), 'team/Deployment/scorer');

    expect(propertiesOf(result).MemorySize).toBe(1769);
    expect(result.settings.find((row) => row.name === 'MemorySize')!.source).toMatch(/^default:/);
  });
});

describe('Timeout, reserved and provisioned concurrency', () => {
  const knative = `
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: scorer, namespace: team}
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/max-scale: "5"
    spec:
      containerConcurrency: 4
      timeoutSeconds: 60
      containers:
        - image: registry.example.com/team/scorer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          resources: {requests: {cpu: "1", memory: 1Gi}}
          startupProbe: {httpGet: {path: /ready}, periodSeconds: 5, failureThreshold: 6}
`;

  it('adds a start-up allowance over the 10-s Init limit to the request timeout', async () => {
    const { result } = await convertOne(knative, 'team/Service/scorer');

    expect(propertiesOf(result).Timeout).toBe(90);
    expect(result.settings.find((row) => row.name === 'Timeout')!.source).toMatch(
      /request timeout 60 s \(-:\d+ \(spec.template.spec.timeoutSeconds\)\) \+ start-up allowance 30 s/,
    );
  });

  it("reserves the cluster's top capacity: max replicas × containerConcurrency", async () => {
    const { result } = await convertOne(knative, 'team/Service/scorer');

    expect(propertiesOf(result).ReservedConcurrentExecutions).toBe(20);
    expect(propertiesOf(result).ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 1 });
    expect(result.warm!.capacity.basis).toBe('default');
  });

  it('sizes provisioned concurrency from traffic and caps it at the reserved concurrency', async () => {
    const report = await analyzeYaml(knative);
    const traffic = new Map([['team/Service/scorer', spikeProfile('constant:rate=40,duration=10m', 1)]]);

    const run = convertAll(report, { traffic, serviceMs: 250, workloads: ['team/Service/scorer'] });
    const result = run.artifacts[0]!.result;

    expect(result.warm!.capacity.basis).toBe('traffic');
    const needed = result.warm!.capacity.concurrencyNeeded!;
    expect(needed).toBeGreaterThan(9);
    expect(propertiesOf(result).ProvisionedConcurrencyConfig).toEqual({
      ProvisionedConcurrentExecutions: Math.ceil(needed),
    });
    const light = convertAll(report, {
      traffic: new Map([['team/Service/scorer', spikeProfile('constant:rate=100,duration=10m', 1)]]),
      serviceMs: 1000,
      workloads: ['team/Service/scorer'],
    }).artifacts[0]!.result;
    expect(propertiesOf(light).ProvisionedConcurrencyConfig).toEqual({ ProvisionedConcurrentExecutions: 20 });
    expect(light.warm!.capacity.cappedBy).toContain('ReservedConcurrentExecutions');
    expect(fileOf(run.artifacts[0]!, 'MIGRATION.md')).toContain(
      `per month: ${Math.ceil(needed)} × 1.7275 GB × 2,628,000 s (730 h) × $0.0000041667/GB-s`,
    );
    expectValid(result);
  });

  it('the digest-pinned image becomes an ECR repository with a -lambda tag', async () => {
    const { result } = await convertOne(knative, 'team/Service/scorer');

    expect(propertiesOf(result).ImageUri).toEqual({
      'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/scorer:lambda',
    });
  });
});

describe('environment: literals kept, secrets and ConfigMaps referenced', () => {
  const yaml = `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: team}
data: {DB_PASSWORD: c2VjcmV0, API_KEY: a2V5}
---
${deployment(
  '          resources: {requests: {cpu: "1", memory: 1Gi}}',
  `
          envFrom:
            - secretRef: {name: creds}
            - configMapRef: {name: not-in-input}
          env:
            - {name: LOG_LEVEL, value: debug}
            - {name: AUTH_TOKEN, value: literal-in-manifest}
            - {name: AWS_REGION, value: eu-west-1}
            - name: HF_TOKEN
              valueFrom: {secretKeyRef: {name: hf, key: token}}
            - name: BATCH
              valueFrom: {configMapKeyRef: {name: tuning, key: batch}}
            - name: NS
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}`,
)}`;

  it('maps each variable to a literal, a Secrets Manager or an SSM dynamic reference', async () => {
    const { result } = await convertOne(yaml, 'team/Deployment/scorer');

    expect((propertiesOf(result).Environment as { Variables: Record<string, string> }).Variables).toEqual({
      DB_PASSWORD: '{{resolve:secretsmanager:team/creds:SecretString:DB_PASSWORD}}',
      API_KEY: '{{resolve:secretsmanager:team/creds:SecretString:API_KEY}}',
      LOG_LEVEL: 'debug',
      AUTH_TOKEN: 'literal-in-manifest',
      HF_TOKEN: '{{resolve:secretsmanager:team/hf:SecretString:token}}',
      BATCH: '{{resolve:ssm:/team/tuning/batch}}',
      NS: 'team',
    });
    expectValid(result);
  });

  it('lists what it could not carry, and flags a literal that looks like a credential', async () => {
    const { result } = await convertOne(yaml, 'team/Deployment/scorer');
    const missing = result.notCarried.map((item) => item.what);

    expect(missing).toContain('environment variable AWS_REGION');
    expect(missing).toContain('environment variable POD_IP (fieldRef status.podIP)');
    expect(missing).toContain('environment from envFrom');
    expect(result.notes.join('\n')).toMatch(
      /AUTH_TOKEN is a literal in the manifest .* suggests a credential/,
    );
    expect(result.deploy!.steps.join('\n')).toContain(
      'aws secretsmanager create-secret --name team/creds --secret-string "$(kubectl get secret creds -n team -o json | jq -c \'.data | map_values(@base64d)\')"',
    );
  });

  it('never writes a Secret value, even base64-encoded', async () => {
    const { result } = await convertOne(yaml, 'team/Deployment/scorer');
    const everything = result.files.map((file) => file.content).join('\n') + JSON.stringify(result);

    for (const value of ['c2VjcmV0', 'secret"', 'a2V5']) expect(everything).not.toContain(value);
  });
});

describe('where the model goes', () => {
  it('a model on a PVC becomes an EFS access point mounted under /mnt, in a VPC', async () => {
    const yaml = `${deployment(
      '          resources: {requests: {cpu: "1", memory: 2Gi}}',
      `
          volumeMounts: [{name: models, mountPath: /models, readOnly: true}]
      volumes:
        - name: models
          persistentVolumeClaim: {claimName: scorer-models, readOnly: true}`,
    )}---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: scorer-models, namespace: team}
spec: {accessModes: [ReadOnlyMany], resources: {requests: {storage: 3Gi}}}
`;
    const { result } = await convertOne(yaml, 'team/Deployment/scorer');
    const properties = propertiesOf(result);

    expect(properties.FileSystemConfigs).toEqual([
      { Arn: { Ref: 'ModelAccessPointArn' }, LocalMountPath: '/mnt/models' },
    ]);
    expect(properties.VpcConfig).toEqual({
      SubnetIds: { Ref: 'SubnetIds' },
      SecurityGroupIds: { Ref: 'SecurityGroupIds' },
    });
    expect(result.notes.join('\n')).toContain(
      'The path changes from /models to /mnt/models: update `--model=/models/scorer`',
    );
    expect(result.notCarried.map((item) => item.what)).not.toContain(
      'volume models mounted at /models (read-only)',
    );
    expectValid(result);
  });

  it('a model downloaded into /tmp gets EphemeralStorage of its size + 512 MB, and S3 read access', async () => {
    const report = await analyzeYaml(`
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ranker, namespace: team}
spec:
  predictor:
    maxReplicas: 10
    containerConcurrency: 2
    model:
      modelFormat: {name: sklearn}
      storageUri: s3://team-models/ranker
      resources: {requests: {cpu: "1", memory: 2Gi}}
`);
    const workload = workloadOf(report, 'team/InferenceService/ranker');
    // The analysis knows sizes from PVCs today; a report read back from JSON may carry any known size.
    const sized = {
      ...workload,
      ml: { ...workload.ml, model: { ...workload.ml.model!, sizeBytes: 1536 * 2 ** 20 } },
    };

    const result = convertToLambda(sized, contextFor(report, sized));

    expect(propertiesOf(result).EphemeralStorage).toEqual({ Size: 2048 });
    expect(propertiesOf(result).Policies).toEqual([{ S3ReadPolicy: { BucketName: 'team-models' } }]);
    expect(result.settings.find((row) => row.name === 'EphemeralStorage.Size')!.source).toMatch(
      /its size 1,536 MB.* \+ the 512 MB Lambda gives by default/,
    );
    expectValid(result);
  });
});

describe('packaging: the pod image, or the ONNX handler scaffold as a zip', () => {
  const onnx = `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: onnx-scorer, namespace: team}
spec:
  predictor:
    maxReplicas: 10
    containerConcurrency: 2
    model:
      modelFormat: {name: onnx}
      storageUri: https://models.example.com/scorer/model.onnx
      resources: {requests: {cpu: "1", memory: 2Gi}}
`;
  const fake: ScaffoldHook = (_target, options) => [
    { path: 'src/handler.ts', content: `// serves ${options.modelUri}\n` },
    { path: 'package.json', content: '{}\n' },
  ];

  it('an ONNX model the handler can fetch becomes a Node.js zip function with the scaffold beside it', async () => {
    const { result } = await convertOne(onnx, 'team/InferenceService/onnx-scorer', { scaffolds: fake });
    const properties = propertiesOf(result);

    expect(properties).toMatchObject({
      PackageType: 'Zip',
      CodeUri: '.',
      Runtime: 'nodejs20.x',
      Handler: 'dist/src/handler.handler',
    });
    expect(properties.ImageUri).toBeUndefined();
    expect((properties.Environment as { Variables: Record<string, string> }).Variables.MODEL_URI).toBe(
      'https://models.example.com/scorer/model.onnx',
    );
    expect(fileOf(result, 'src/handler.ts')).toBe('// serves https://models.example.com/scorer/model.onnx\n');
    expectValid(result);
  });

  it('with the real scaffolds module, when it is in the build', async () => {
    const hook = await loadScaffoldHook();
    expect(hook).not.toBeNull();

    const { result } = await convertOne(onnx, 'team/InferenceService/onnx-scorer', { scaffolds: hook });

    expect(result.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['template.yaml', 'serverless.yml', 'src/handler.ts', 'package.json']),
    );
    expectValid(result);
  });

  it('a model that is not ONNX keeps the image and says why no scaffold came with it', async () => {
    const { result } = await convertOne(deployment(''), 'team/Deployment/scorer', { scaffolds: fake });

    expect(propertiesOf(result).PackageType).toBe('Image');
    expect(result.files.map((file) => file.path)).toEqual(['template.yaml', 'serverless.yml']);
    expect(result.notes.join('\n')).toMatch(
      /No handler scaffold: the onnxruntime-node scaffold .* serves ONNX models/,
    );
  });

  it('without the scaffolds module, says so', async () => {
    const { result } = await convertOne(onnx, 'team/InferenceService/onnx-scorer');

    expect(propertiesOf(result).PackageType).toBe('Image');
    expect(result.notes.join('\n')).toContain('converters/cold-start/scaffolds is not part of this build');
  });
});

describe('blocked targets and names', () => {
  it('a GPU workload is blocked for Lambda with the reason and the alternatives, and writes only MIGRATION.md', async () => {
    const report = await analyzeYaml(
      deployment(
        '          resources: {requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}',
      ),
    );

    const [artifact] = convertAll(report, { workloads: ['team/Deployment/scorer'] }).artifacts;

    expect(artifact!.status).toBe('blocked');
    expect(artifact!.files.map((file) => file.path)).toEqual(['MIGRATION.md']);
    expect(artifact!.reasons.join('\n')).toMatch(/needs 1 nvidia.com\/gpu per replica/);
    const page = fileOf(artifact!, 'MIGRATION.md');
    expect(page).toMatch(
      /Run it on Cloud Run with an NVIDIA GPU \(nvidia-l4, at least 4 vCPU \/ 16 GiB; analysis fit: (ok|warn)\), on Azure Container Apps with GPU, or keep it on the cluster/,
    );
  });

  it('a target without a converter is listed as not-implemented, never left out', async () => {
    const report = await analyzeYaml(deployment('          resources: {requests: {cpu: "1", memory: 1Gi}}'));

    const statuses = convertAll(report, {
      targets: ['aws-lambda', 'cloud-run', 'azure-functions'],
      workloads: ['team/Deployment/scorer'],
    }).artifacts.map((artifact) => `${artifact.target}:${artifact.status}`);

    expect(statuses[0]).toBe('aws-lambda:converted');
    expect(statuses).toHaveLength(3);
    for (const status of statuses.slice(1)) expect(status).toMatch(/:(not-implemented|converted)$/);
  });

  it('makes long names valid and records the originals', async () => {
    const name = `scorer-${'very-long-name-'.repeat(5)}end`;
    const { result } = await convertOne(
      deployment('          resources: {requests: {cpu: "1", memory: 1Gi}}').replace(
        'name: scorer, namespace',
        `name: ${name}, namespace`,
      ),
      `team/Deployment/${name}`,
    );
    const functionName = propertiesOf(result).FunctionName as string;

    expect(functionName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(functionName).toMatch(/^team-scorer-very-long-name-.*-[0-9a-f]{6}$/);
    expect(result.names.find((entry) => entry.kind === 'Lambda function name')!.original).toBe(
      `team-${name}`,
    );
    expectValid(result);
  });
});

describe('the schema check itself', () => {
  it('rejects what the official schemas reject', () => {
    const broken = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: x
      MemorySize: 64
      EphemeralStorage: {Size: 20000}
      Environment: {Variables: {"9": x}}
      Unknown: true
`;
    const errors = samTemplateErrors(broken).join('\n');

    expect(errors).toMatch(/sam.schema.json .*must NOT have additional properties/);
    expect(errors).toMatch(/Fn.MemorySize .* must be >= 128/);
    expect(errors).toMatch(/Fn.EphemeralStorage .*\/Size must be <= 10240/);
    expect(errors).toMatch(/Fn.Environment/);
    expect(serverlessErrors('service: x\n')).not.toEqual([]);
  });
});
