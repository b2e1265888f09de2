import { describe, expect, it } from 'vitest';
import { MigrateError } from '../errors.ts';
import { parseUsageFile } from './usage-file.ts';

const parse = (text: string) =>
  parseUsageFile(text, 'usage.yaml', { nodeTypeIds: ['g6.xlarge', 'm5.xlarge'] });

/** The MigrateError a bad file raises: message, and the source it names. */
function failure(text: string): MigrateError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof MigrateError) return error;
    throw error;
  }
  throw new Error('expected the usage file to be refused');
}

describe('parseUsageFile', () => {
  it('reads the issue’s Lambda example, with defaults for what it leaves out', () => {
    const usage = parse(`platform: aws-lambda        # or cloud-run, azure-functions, kubernetes
region: us-east-1
freeTier: true
memoryMb: 1536
invocations:
  - {count: 2500000, avgDurationMs: 120}
  - {count: 500000, avgDurationMs: 100, provisioned: true}
provisionedConcurrency:
  - {instances: 100, hours: 8}
`);
    expect(usage).toEqual({
      platform: 'aws-lambda',
      region: 'us-east-1',
      freeTier: true,
      architecture: 'x86_64',
      memoryMb: 1536,
      ephemeralStorageMb: 512,
      invocations: [
        { count: 2_500_000, avgDurationMs: 120 },
        { count: 500_000, avgDurationMs: 100, provisioned: true },
      ],
      provisionedConcurrency: [{ instances: 100, hours: 8 }],
    });
  });

  it('reads JSON too', () => {
    expect(
      parse(
        '{"platform": "kubernetes", "region": "us-east-1", "nodes": [{"type": "g6.xlarge", "count": 1, "hours": 2}]}',
      ),
    ).toEqual({
      platform: 'kubernetes',
      region: 'us-east-1',
      nodes: [{ type: 'g6.xlarge', count: 1, hours: 2 }],
    });
  });

  it('reads Cloud Run and Azure usages', () => {
    expect(
      parse(
        'platform: cloud-run\nregion: us-central1\nfreeTier: false\nbilling: instance\nvcpu: 4\nmemoryGiB: 16\ninstanceSeconds: 60\ngpu: {type: nvidia-l4}\n',
      ),
    ).toMatchObject({ billing: 'instance', requests: 0, gpu: { type: 'nvidia-l4', count: 1 } });
    expect(
      parse(`platform: azure-functions
region: eastus
freeTier: true
plan: flex-consumption
instanceMemoryMb: 2048
executions: 1000
executionSeconds: 500
alwaysReady: {instances: 1, hours: 24, executions: 400}
`),
    ).toEqual({
      platform: 'azure-functions',
      region: 'eastus',
      freeTier: true,
      plan: 'flex-consumption',
      instanceMemoryMb: 2048,
      executions: 1000,
      executionSeconds: 500,
      instanceSeconds: 0,
      alwaysReady: { instances: 1, hours: 24, executions: 400 },
    });
  });

  it('names the file, line and field of a wrong value, and what it should be', () => {
    const error = failure(`platform: aws-lambda
region: us-east-1
freeTier: true
memoryMb: 1536
invocations:
  - {count: 2500000, avgDurationMs: 120}
  - {count: -5, avgDurationMs: 100}
`);
    expect(error.message).toBe('usage.yaml:7: invocations[1].count: must be a number ≥ 0, got -5');
    expect(error.source).toEqual({ file: 'usage.yaml', line: 7, field: 'invocations[1].count' });
    expect(error.exitCode).toBe(2);
  });

  it('refuses an unknown key at its line (a typo must not be priced as nothing)', () => {
    expect(
      failure('platform: aws-lambda\nregion: us-east-1\nfreeTier: true\nmemoryMB: 1536\n').message,
    ).toMatch(/^usage\.yaml:4: memoryMB: is not a known key here \(known: .*memoryMb/);
  });

  it('wants freeTier said, and a known platform', () => {
    expect(failure('platform: aws-lambda\nregion: r\nmemoryMb: 128\ninvocations: []\n').message).toMatch(
      /freeTier: must be true or false \(whether to subtract the monthly free tier\), got nothing/,
    );
    expect(failure('platform: lambda\n').message).toMatch(
      /^usage\.yaml:1: platform: must be one of aws-lambda, cloud-run, azure-functions, kubernetes, got "lambda"/,
    );
  });

  it('checks values against the platform: Lambda memory, Flex sizes, Cloud Run GPUs, node types', () => {
    expect(
      failure('platform: aws-lambda\nregion: r\nfreeTier: false\nmemoryMb: 20000\ninvocations: []\n').message,
    ).toMatch(/memoryMb: must be a whole number ≥ 128 ≤ 10240, got 20000/);
    expect(
      failure(
        'platform: azure-functions\nregion: r\nfreeTier: false\nplan: flex-consumption\ninstanceMemoryMb: 1024\n',
      ).message,
    ).toMatch(/^usage\.yaml:5: instanceMemoryMb: Flex Consumption instances have 512, 2048, 4096 MB/);
    expect(
      failure(
        'platform: cloud-run\nregion: r\nfreeTier: false\nbilling: request\nvcpu: 4\nmemoryGiB: 16\ninstanceSeconds: 1\ngpu: {type: nvidia-l4, count: 1}\n',
      ).message,
    ).toMatch(/^usage\.yaml:4: billing: Cloud Run GPUs require instance-based billing/);
    expect(
      failure('platform: kubernetes\nregion: r\nnodes:\n  - type: p5.48xlarge\n    count: 1\n    hours: 1\n')
        .message,
    ).toMatch(
      /^usage\.yaml:4: nodes\[0\]\.type: unknown node type "p5\.48xlarge" \(known: g6\.xlarge, m5\.xlarge/,
    );
  });

  it('checks fields against each other: always-ready executions within executions, premium needs its block', () => {
    expect(
      failure(
        'platform: azure-functions\nregion: r\nfreeTier: false\nplan: flex-consumption\ninstanceMemoryMb: 2048\nexecutions: 10\nalwaysReady:\n  instances: 1\n  hours: 1\n  executions: 11\n',
      ).message,
    ).toMatch(/^usage\.yaml:10: alwaysReady\.executions: is part of executions \(10\)/);
    expect(
      failure(
        'platform: azure-functions\nregion: r\nfreeTier: false\nplan: premium\ninstanceMemoryMb: 3584\n',
      ).message,
    ).toMatch(/^usage\.yaml:4: plan: plan premium needs premium/);
  });

  it('reports YAML errors with their line, duplicate keys included', () => {
    expect(failure('platform: aws-lambda\nregion: a\nregion: b\n').message).toMatch(
      /^usage\.yaml:3: the usage file is not valid YAML or JSON: .*unique/i,
    );
    expect(failure('platform: [aws-lambda\n').message).toMatch(
      /^usage\.yaml:\d+: the usage file is not valid YAML/,
    );
    expect(failure('- just\n- a list\n').message).toMatch(/^usage\.yaml:1: \(the file\): must be a mapping/);
  });
});
