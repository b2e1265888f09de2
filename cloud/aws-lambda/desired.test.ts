import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import type { DesiredConfig } from '../types.ts';
import { type LambdaResource, readDesired } from './desired.ts';
import { convertExamples, lineOf, readOrNull } from './testing.ts';

let converted: Awaited<ReturnType<typeof convertExamples>>;
beforeAll(async () => {
  converted = await convertExamples();
});
afterAll(() => converted.remove());

/** A reader over in-memory files, for hand-written templates. */
const filesReader = (files: Record<string, string>) => async (path: string) => files[path] ?? null;

async function failure(promise: Promise<unknown>): Promise<MigrateError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MigrateError);
  return error as MigrateError;
}

describe('readDesired on what migrate convert wrote', () => {
  it('fraud-scoring: every setting with its value and the template line it came from', async () => {
    const folder = converted.folder('ml-inferenceservice-fraud-scoring');
    const file = join(folder, 'template.yaml');
    const text = readFileSync(file, 'utf8');
    const desired = await readDesired(folder, readOrNull);
    const at = (needle: string, field: string) =>
      `${file}:${lineOf(text, needle)} (Resources.FraudScoringFunction.Properties.${field})`;
    expect(desired.name).toBe('ml-fraud-scoring');
    expect(desired.workload).toBe('ml/InferenceService/fraud-scoring');
    expect(desired.target).toBe('aws-lambda');
    expect(desired.settings).toEqual({
      memoryMb: { value: 1024, source: at('MemorySize:', 'MemorySize') },
      timeoutSeconds: { value: 30, source: at('Timeout:', 'Timeout') },
      maxInstances: {
        value: 160,
        source: at('ReservedConcurrentExecutions:', 'ReservedConcurrentExecutions'),
      },
      warmInstances: {
        value: 1,
        source: at(
          'ProvisionedConcurrentExecutions:',
          'ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions',
        ),
      },
      architecture: { value: 'x86_64', source: at('- x86_64', 'Architectures[0]') },
      image: {
        value: '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/fraud-scoring:lambda',
        source: at('ImageUri:', 'ImageUri'),
      },
      concurrency: { value: 1, source: 'Lambda serves one request per execution environment' },
    });
    // The Function URL is SAM's to create; apply says so instead of dropping it.
    expect(desired.notApplied.map((item) => item.field)).toEqual(['FunctionUrlConfig']);
    expect((desired.resource as LambdaResource).alias).toBe('live');
    expect((desired.resource as LambdaResource).tags).toEqual({
      'migrate:workload': 'ml/InferenceService/fraud-scoring',
    });
  });

  it('embeddings-worker: secret and parameter references are listed by name, literal variables kept for create', async () => {
    const desired = await readDesired(converted.folder('ml-deployment-embeddings-worker'), readOrNull);
    expect(desired.name).toBe('ml-embeddings-worker');
    const references = desired.notApplied.filter((item) => item.field.startsWith('Environment.'));
    expect(references.map((item) => item.field).sort()).toEqual([
      'Environment.Variables.HF_TOKEN',
      'Environment.Variables.LOG_LEVEL',
      'Environment.Variables.MAX_BATCH_SIZE',
    ]);
    expect(references.find((item) => item.field.endsWith('HF_TOKEN'))!.reason).toMatch(
      /only CloudFormation resolves it/,
    );
    const resource = desired.resource as LambdaResource;
    expect(resource.variables).toEqual({
      MODEL_ID: 'sentence-transformers/all-MiniLM-L6-v2',
      HF_HOME: '/tmp/huggingface',
    });
    // No reservation, no provisioned concurrency: the alias is stated, so none is the desired warm capacity.
    expect(desired.settings.maxInstances).toBeUndefined();
    expect(desired.settings.warmInstances?.value).toBe(0);
    expect(desired.settings.warmInstances?.source).toMatch(/ProvisionedConcurrencyConfig absent/);
  });

  it('vision-triton: EFS, VPC and policies are listed as not applied', async () => {
    const desired = await readDesired(converted.folder('ml-statefulset-vision-triton'), readOrNull);
    expect(desired.notApplied.map((item) => item.field).sort()).toEqual([
      'FileSystemConfigs',
      'FunctionUrlConfig',
      'Policies',
      'VpcConfig',
    ]);
    expect(desired.settings.memoryMb?.value).toBe(6144);
  });

  it('a folder with only MIGRATION.md (llm-chat is blocked for Lambda) is a clear error', async () => {
    const error = await failure(readDesired(converted.folder('ml-deployment-llm-chat'), readOrNull));
    expect(error.message).toMatch(/blocked by the analysis: see MIGRATION\.md/);
  });

  it('an empty folder says template.yaml is missing', async () => {
    const error = await failure(readDesired('/nowhere/aws-lambda', filesReader({})));
    expect(error.message).toBe('/nowhere/aws-lambda/template.yaml: not found');
  });
});

describe('readDesired on hand-edited templates', () => {
  const folder = '/out/team-scorer/aws-lambda';
  const file = `${folder}/template.yaml`;
  const read = (text: string) => readDesired(folder, filesReader({ [file]: text }));

  it('malformed YAML names the file and line', async () => {
    const error = await failure(
      read(
        'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: [1024\n',
      ),
    );
    expect(error.message).toMatch(
      /^\/out\/team-scorer\/aws-lambda\/template\.yaml:\d+: not a valid YAML template/,
    );
    expect(error.source?.file).toBe(file);
  });

  it('a bad value names file, line and field', async () => {
    const error = await failure(
      read(
        'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: scorer\n      MemorySize: lots\n',
      ),
    );
    expect(error.message).toBe(
      `${file}:6: Resources.Fn.Properties.MemorySize must be a whole number of MB from 128 to 10240, got "lots"`,
    );
  });

  it('two functions, or none, are refused: one folder deploys one function', async () => {
    const error = await failure(read('Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n'));
    expect(error.message).toMatch(
      /template\.yaml:1: Resources must hold exactly one AWS::Serverless::Function \(found 0\)/,
    );
  });

  it('reads Globals, parameter defaults, short-form tags and leaves absent settings out', async () => {
    const desired: DesiredConfig = await read(
      [
        'Parameters:',
        '  Memory:',
        '    Type: Number',
        '    Default: 2048',
        'Globals:',
        '  Function:',
        '    Timeout: 60',
        '    Tracing: Active',
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      FunctionName: scorer',
        '      PackageType: Image',
        '      ImageUri: !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/scorer:1"',
        '      MemorySize: !Ref Memory',
        '      EphemeralStorage:',
        '        Size: 4096',
        '      Tags:',
        '        migrate:workload: team/Deployment/scorer',
      ].join('\n'),
    );
    expect(desired.settings.memoryMb).toEqual({
      value: 2048,
      source: `${file}:16 (Resources.Fn.Properties.MemorySize)`,
    });
    expect(desired.settings.timeoutSeconds).toEqual({
      value: 60,
      source: `${file}:7 (Globals.Function.Timeout)`,
    });
    expect(desired.settings.ephemeralStorageMb).toEqual({
      value: 4096,
      source: `${file}:18 (Resources.Fn.Properties.EphemeralStorage.Size)`,
    });
    expect(desired.settings.image?.value).toBe(
      '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/scorer:1',
    );
    // Not in the template: not compared, not set (no alias either, so no warm capacity is stated).
    expect(desired.settings.architecture).toBeUndefined();
    expect(desired.settings.maxInstances).toBeUndefined();
    expect(desired.settings.warmInstances).toBeUndefined();
    expect(desired.notApplied).toEqual([
      {
        field: 'Globals.Function.Tracing',
        reason: 'apply does not set Tracing: deploy it with `sam deploy`',
      },
    ]);
    expect(desired.workload).toBe('team/Deployment/scorer');
  });

  it('a parameter without a Default is only known at deploy time', async () => {
    const error = await failure(
      read(
        'Parameters:\n  Memory:\n    Type: Number\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: scorer\n      MemorySize: !Ref Memory\n',
      ),
    );
    expect(error.message).toBe(
      `${file}:9: Resources.Fn.Properties.MemorySize refers to Memory, which has no Default: the value is only known at deploy time`,
    );
  });
});
