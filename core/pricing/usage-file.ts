/**
 * Reads a usage file (YAML or JSON, docs/price.md) into a Usage. Pure: the CLI reads the file and passes
 * the text. Every error names the file, the line and the field, and says what was expected, so the
 * user can fix it; unknown keys are errors too (a misspelt `memoryMB` must not be priced as nothing).
 */

import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { MigrateError } from '../errors.ts';
import { TARGET_LIMITS } from '../limits/targets.ts';
import { AWS_LAMBDA_PRICING } from './aws-lambda.ts';
import { AZURE_FUNCTIONS_PRICING } from './azure-functions.ts';
import type {
  AzureFunctionsUsage,
  CloudRunUsage,
  KubernetesUsage,
  LambdaUsage,
  PricedPlatform,
  Usage,
} from './usage.ts';

export type FieldPath = readonly (string | number)[];

/** `invocations[1].count` */
export function formatField(path: FieldPath): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index ? `.${part}` : part))
    .join('');
}

/** A parsed YAML/JSON document that can say on which line any field is, for error messages. */
export class YamlFields {
  readonly value: unknown;

  private constructor(
    readonly file: string,
    private readonly contents: Node | null,
    private readonly lineCounter: LineCounter,
    value: unknown,
    private readonly hint: string,
  ) {
    this.value = value;
  }

  static parse(text: string, file: string, what: string, hint: string): YamlFields {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const error = doc.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      throw new MigrateError(
        `${file}:${line}: ${what} is not valid YAML or JSON: ${error.message.split('\n')[0]}`,
        {
          hint,
          source: { file, line },
        },
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      throw new MigrateError(`${file}: ${what} cannot be read: ${(cause as Error).message}`, { hint });
    }
    return new YamlFields(file, (doc.contents as Node | null) ?? null, lineCounter, value, hint);
  }

  /** The line of the field at `path` (its key's line), or of the nearest enclosing field that exists. */
  lineOf(path: FieldPath): number {
    const lineAt = (node: Node) => (node.range ? this.lineCounter.linePos(node.range[0]).line : null);
    let node: Node | null = this.contents;
    let line = (node && lineAt(node)) ?? 1;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
        if (!pair) break;
        line = lineAt(pair.key as Node) ?? line;
        node = (pair.value as Node | null) ?? null;
      } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
        node = node.items[part] as Node;
        line = lineAt(node) ?? line;
      } else break;
    }
    return line;
  }

  fail(path: FieldPath, why: string): MigrateError {
    const line = this.lineOf(path);
    const field = path.length ? formatField(path) : '(the file)';
    return new MigrateError(`${this.file}:${line}: ${field}: ${why}`, {
      hint: this.hint,
      source: { file: this.file, line, ...(path.length ? { field: formatField(path) } : {}) },
    });
  }

  get(path: FieldPath): unknown {
    let value: unknown = this.value;
    for (const part of path) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[part];
    }
    return value;
  }

  map(path: FieldPath): Record<string, unknown> {
    const value = this.get(path);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw this.fail(path, `must be a mapping (key: value lines), got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  list(path: FieldPath, fallback?: unknown[]): unknown[] {
    const value = this.get(path);
    if (value === undefined && fallback) return fallback;
    if (!Array.isArray(value)) throw this.fail(path, `must be a list, got ${describe(value)}`);
    return value;
  }

  onlyKeys(path: FieldPath, known: readonly string[]): void {
    const value = this.map(path);
    for (const key of Object.keys(value))
      if (!known.includes(key))
        throw this.fail([...path, key], `is not a known key here (known: ${known.join(', ')})`);
  }

  number(
    path: FieldPath,
    rule: { min?: number; max?: number; above?: number; integer?: boolean } = {},
    fallback?: number,
  ): number {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    const wanted = [
      rule.integer ? 'a whole number' : 'a number',
      rule.above !== undefined ? `> ${rule.above}` : null,
      rule.min !== undefined ? `≥ ${rule.min}` : null,
      rule.max !== undefined ? `≤ ${rule.max}` : null,
    ]
      .filter(Boolean)
      .join(' ');
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (rule.integer && !Number.isInteger(value)) ||
      (rule.min !== undefined && value < rule.min) ||
      (rule.above !== undefined && value <= rule.above) ||
      (rule.max !== undefined && value > rule.max)
    )
      throw this.fail(path, `must be ${wanted}, got ${describe(value)}`);
    return value;
  }

  optionalNumber(path: FieldPath, rule: { min?: number; integer?: boolean } = {}): number | undefined {
    return this.get(path) === undefined ? undefined : this.number(path, rule);
  }

  string(path: FieldPath, fallback?: string): string {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value === '')
      throw this.fail(path, `must be a text, got ${describe(value)}`);
    return value;
  }

  choice<T extends string>(path: FieldPath, choices: readonly T[], fallback?: T): T {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !choices.includes(value as T))
      throw this.fail(path, `must be one of ${choices.join(', ')}, got ${describe(value)}`);
    return value as T;
  }

  boolean(path: FieldPath, fallback?: boolean, why = ''): boolean {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean')
      throw this.fail(path, `must be true or false${why}, got ${describe(value)}`);
    return value;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const PLATFORMS: readonly PricedPlatform[] = ['aws-lambda', 'cloud-run', 'azure-functions', 'kubernetes'];
const COMMON_KEYS = ['platform', 'region', 'freeTier'];
const HINT = 'see docs/price.md#the-usage-file for the keys, their units and an example per platform';
const FREE_TIER_WHY = ' (whether to subtract the monthly free tier)';
const MiB = 1024 * 1024;

/**
 * Parses a usage file. `nodeTypeIds` are the node types a Kubernetes usage may name and
 * `flexInstanceMemoryMb` the Flex sizes (default: the data's; the CLI passes the price book's, so a
 * --prices file can extend both).
 */
export function parseUsageFile(
  text: string,
  file: string,
  options: { nodeTypeIds?: readonly string[]; flexInstanceMemoryMb?: readonly number[] } = {},
): Usage {
  const fields = YamlFields.parse(text, file, 'the usage file', HINT);
  fields.map([]);
  const platform = fields.choice(['platform'], PLATFORMS);
  switch (platform) {
    case 'aws-lambda':
      return lambdaUsage(fields);
    case 'cloud-run':
      return cloudRunUsage(fields);
    case 'azure-functions':
      return azureUsage(fields, options.flexInstanceMemoryMb ?? AZURE_FUNCTIONS_PRICING.flexInstanceMemoryMb);
    case 'kubernetes':
      return kubernetesUsage(fields, options.nodeTypeIds);
  }
}

function lambdaUsage(f: YamlFields): LambdaUsage {
  f.onlyKeys(
    [],
    [
      ...COMMON_KEYS,
      'architecture',
      'memoryMb',
      'ephemeralStorageMb',
      'invocations',
      'provisionedConcurrency',
    ],
  );
  const limits = TARGET_LIMITS['aws-lambda'];
  const invocations = f.list(['invocations']).map((_, index) => {
    const at = ['invocations', index];
    f.onlyKeys(at, ['count', 'avgDurationMs', 'provisioned']);
    const provisioned = f.boolean([...at, 'provisioned'], false);
    return {
      count: f.number([...at, 'count'], { min: 0 }),
      avgDurationMs: f.number([...at, 'avgDurationMs'], { min: 0, max: limits.maxTimeoutSeconds * 1000 }),
      ...(provisioned ? { provisioned } : {}),
    };
  });
  const provisionedConcurrency = f.list(['provisionedConcurrency'], []).map((_, index) => {
    const at = ['provisionedConcurrency', index];
    f.onlyKeys(at, ['instances', 'hours']);
    return {
      instances: f.number([...at, 'instances'], { min: 0 }),
      hours: f.number([...at, 'hours'], { min: 0 }),
    };
  });
  return {
    platform: 'aws-lambda',
    region: f.string(['region']),
    freeTier: f.boolean(['freeTier'], undefined, FREE_TIER_WHY),
    architecture: f.choice(['architecture'], ['x86_64', 'arm64'] as const, 'x86_64'),
    memoryMb: f.number(['memoryMb'], { min: 128, max: limits.maxMemoryBytes / MiB, integer: true }),
    ephemeralStorageMb: f.number(
      ['ephemeralStorageMb'],
      {
        min: AWS_LAMBDA_PRICING.ephemeralStorageFreeMb,
        max: (limits.maxScratchBytes ?? 0) / MiB,
        integer: true,
      },
      AWS_LAMBDA_PRICING.ephemeralStorageFreeMb,
    ),
    invocations,
    provisionedConcurrency,
  };
}

function cloudRunUsage(f: YamlFields): CloudRunUsage {
  f.onlyKeys([], [...COMMON_KEYS, 'billing', 'vcpu', 'memoryGiB', 'requests', 'instanceSeconds', 'gpu']);
  const billing = f.choice(['billing'], ['request', 'instance'] as const);
  let gpu: CloudRunUsage['gpu'];
  if (f.get(['gpu']) !== undefined) {
    f.onlyKeys(['gpu'], ['type', 'count']);
    gpu = {
      type: f.string(['gpu', 'type']),
      count: f.number(['gpu', 'count'], { min: 0, integer: true }, 1),
    };
    if (billing === 'request' && gpu.count > 0)
      throw f.fail(['billing'], 'Cloud Run GPUs require instance-based billing (billing: instance)');
  }
  return {
    platform: 'cloud-run',
    region: f.string(['region']),
    freeTier: f.boolean(['freeTier'], undefined, FREE_TIER_WHY),
    billing,
    vcpu: f.number(['vcpu'], { above: 0 }),
    memoryGiB: f.number(['memoryGiB'], { above: 0 }),
    requests: f.number(['requests'], { min: 0 }, 0),
    instanceSeconds: f.number(['instanceSeconds'], { min: 0 }),
    ...(gpu ? { gpu } : {}),
  };
}

function azureUsage(f: YamlFields, sizes: readonly number[]): AzureFunctionsUsage {
  f.onlyKeys(
    [],
    [
      ...COMMON_KEYS,
      'plan',
      'instanceMemoryMb',
      'executions',
      'executionSeconds',
      'activityPeriods',
      'instanceSeconds',
      'alwaysReady',
      'premium',
    ],
  );
  const plan = f.choice(['plan'], ['flex-consumption', 'premium'] as const);
  const instanceMemoryMb = f.number(['instanceMemoryMb'], { above: 0 });
  if (plan === 'flex-consumption' && !sizes.includes(instanceMemoryMb))
    throw f.fail(
      ['instanceMemoryMb'],
      `Flex Consumption instances have ${sizes.join(', ')} MB; got ${instanceMemoryMb}`,
    );
  const executions = f.number(['executions'], { min: 0 }, 0);
  const usage: AzureFunctionsUsage = {
    platform: 'azure-functions',
    region: f.string(['region']),
    freeTier: f.boolean(['freeTier'], undefined, FREE_TIER_WHY),
    plan,
    instanceMemoryMb,
    executions,
    instanceSeconds: f.number(['instanceSeconds'], { min: 0 }, 0),
  };
  const executionSeconds = f.optionalNumber(['executionSeconds'], { min: 0 });
  if (executionSeconds !== undefined) usage.executionSeconds = executionSeconds;
  const activityPeriods = f.optionalNumber(['activityPeriods'], { min: 0 });
  if (activityPeriods !== undefined) usage.activityPeriods = activityPeriods;

  if (f.get(['alwaysReady']) !== undefined) {
    if (plan !== 'flex-consumption')
      throw f.fail(
        ['alwaysReady'],
        'always-ready instances belong to plan flex-consumption; for premium give premium.instanceHours',
      );
    f.onlyKeys(['alwaysReady'], ['instances', 'hours', 'executions', 'activityPeriods']);
    const alwaysReady: NonNullable<AzureFunctionsUsage['alwaysReady']> = {
      instances: f.number(['alwaysReady', 'instances'], { min: 0 }),
      hours: f.number(['alwaysReady', 'hours'], { min: 0 }),
    };
    const onAlwaysReady = f.optionalNumber(['alwaysReady', 'executions'], { min: 0 });
    if (onAlwaysReady !== undefined) {
      if (onAlwaysReady > executions)
        throw f.fail(
          ['alwaysReady', 'executions'],
          `is part of executions (${executions}) and cannot exceed it; got ${onAlwaysReady}`,
        );
      alwaysReady.executions = onAlwaysReady;
    }
    const periods = f.optionalNumber(['alwaysReady', 'activityPeriods'], { min: 0 });
    if (periods !== undefined) alwaysReady.activityPeriods = periods;
    usage.alwaysReady = alwaysReady;
  }
  if (f.get(['premium']) !== undefined) {
    if (plan !== 'premium')
      throw f.fail(['premium'], 'belongs to plan premium (the plan is flex-consumption)');
    f.onlyKeys(['premium'], ['sku', 'instanceHours']);
    usage.premium = {
      sku: f.choice(['premium', 'sku'], ['EP1', 'EP2', 'EP3'] as const),
      instanceHours: f.number(['premium', 'instanceHours'], { min: 0 }),
    };
  } else if (plan === 'premium') {
    throw f.fail(['plan'], 'plan premium needs premium: {sku: EP1|EP2|EP3, instanceHours}');
  }
  return usage;
}

function kubernetesUsage(f: YamlFields, nodeTypeIds: readonly string[] | undefined): KubernetesUsage {
  f.onlyKeys([], [...COMMON_KEYS, 'nodes']);
  const nodes = f.list(['nodes']).map((_, index) => {
    const at = ['nodes', index];
    f.onlyKeys(at, ['type', 'count', 'hours']);
    const type = f.string([...at, 'type']);
    if (nodeTypeIds && !nodeTypeIds.includes(type))
      throw f.fail(
        [...at, 'type'],
        `unknown node type ${JSON.stringify(type)} (known: ${nodeTypeIds.join(', ')}; add one under nodeTypes in a --prices file)`,
      );
    return {
      type,
      count: f.number([...at, 'count'], { min: 0 }),
      hours: f.number([...at, 'hours'], { min: 0 }),
    };
  });
  const usage: KubernetesUsage = { platform: 'kubernetes', region: f.string(['region']), nodes };
  if (f.get(['freeTier']) !== undefined) usage.freeTier = f.boolean(['freeTier']);
  return usage;
}
