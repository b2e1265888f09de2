/**
 * The function app the replay simulates: read from the ARM template (azuredeploy.json) and host.json
 * `migrate convert` wrote (`--config-dir`), so what is simulated is exactly what would be deployed;
 * without them, planned by the converter itself (converters/azure-functions/plan.ts) as `migrate
 * convert` would without traffic.
 */

import { planApp } from '../../../converters/azure-functions/plan.ts';
import { FLEX_SIZES, PREMIUM_SKUS, type PremiumSku } from '../../../converters/azure-functions/sizing.ts';
import { MigrateError } from '../../../core/errors.ts';
import type { Workload } from '../../../core/model/index.ts';
import { planContext, workloadReport } from '../aws-lambda/common/report.ts';
import { APP_DEFAULTS } from './defaults.ts';

export interface AzureConfig {
  plan: 'flex' | 'premium';
  sku: PremiumSku | null;
  instanceMemoryMb: number;
  cpuMillis: number;
  /** HTTP requests one instance serves at once. */
  concurrency: number;
  /** Flex maximumInstanceCount, Premium maximumElasticWorkerCount. */
  maxInstances: number;
  /** Flex `http` always-ready instances, Premium minimumElasticInstanceCount. */
  alwaysReady: number;
  /** Premium preWarmedInstanceCount; null when the template leaves it to the platform. */
  prewarmed: number | null;
  timeoutSeconds: number;
  source: string;
  defaulted: string[];
}

/** What `migrate convert --target azure-functions` would emit for the workload when given no traffic. */
export function plannedAzureConfig(workload: Workload): AzureConfig {
  const plan = planApp(workloadReport(workload), planContext());
  if ('blocked' in plan)
    throw new MigrateError(`${workload.id} has no Azure Functions plan to replay: ${plan.blocked}`, {
      hint: 'the analysis blocks such workloads for azure-functions; replay the other targets with --targets',
    });
  const hosting = plan.hosting;
  return {
    plan: hosting.kind,
    sku: hosting.kind === 'premium' ? hosting.sku : null,
    instanceMemoryMb: hosting.memoryMb,
    cpuMillis: hosting.cpuMillis,
    concurrency: plan.concurrency,
    maxInstances: plan.maxInstances,
    alwaysReady: plan.alwaysReady,
    prewarmed: null,
    timeoutSeconds: plan.timeoutSeconds,
    source:
      'planned by converters/azure-functions as `migrate convert` would without --traffic (pass --config-dir to replay a converted template)',
    defaulted: [],
  };
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** azuredeploy.json (the plan and the site) and host.json (functionTimeout, the HTTP concurrency). */
export function parseArmTemplate(text: string, file: string, hostJson: string | null): AzureConfig {
  const fail = (why: string) =>
    new MigrateError(`${file}: ${why}`, {
      hint: 'pass the folder `migrate convert --out` wrote (azure-functions/azuredeploy.json and host.json)',
    });
  const root = json(text, fail);
  const host = hostJson === null ? {} : json(hostJson, fail);
  const parameters = isNode(root.parameters) ? root.parameters : {};
  const resources = Array.isArray(root.resources) ? root.resources.filter(isNode) : [];
  const farm = resources.find((resource) => resource.type === 'Microsoft.Web/serverfarms');
  const site = resources.find((resource) => resource.type === 'Microsoft.Web/sites');
  if (!farm || !site) throw fail('no Microsoft.Web/serverfarms and Microsoft.Web/sites resources');
  const value = (raw: unknown): unknown => {
    const match = typeof raw === 'string' ? /^\[parameters\('([^']+)'\)\]$/.exec(raw) : null;
    if (!match) return raw;
    const parameter = parameters[match[1]!];
    if (isNode(parameter) && parameter.defaultValue !== undefined) return parameter.defaultValue;
    throw fail(`${raw} has no defaultValue: the value is only known at deploy time`);
  };
  const number = (raw: unknown, name: string): number | undefined => {
    const resolved = value(raw);
    if (resolved === undefined || resolved === null) return undefined;
    const parsed = Number(resolved);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw fail(`${name} must be a number, got ${JSON.stringify(resolved)}`);
    return parsed;
  };
  const defaulted: string[] = [];
  const pick = (given: number | undefined, name: string, fallback: { value: number; source: string }) => {
    if (given !== undefined) return given;
    defaulted.push(`${name} ${fallback.value} (${fallback.source})`);
    return fallback.value;
  };
  const skuName = String(value(isNode(farm.sku) ? farm.sku.name : undefined) ?? '');
  const farmProps = isNode(farm.properties) ? farm.properties : {};
  const siteProps = isNode(site.properties) ? site.properties : {};
  const siteConfig = isNode(siteProps.siteConfig) ? siteProps.siteConfig : {};
  const extensions = isNode(host.extensions) && isNode(host.extensions.http) ? host.extensions.http : {};
  const timeout = typeof host.functionTimeout === 'string' ? seconds(host.functionTimeout, fail) : undefined;
  const timeoutSeconds = pick(timeout, 'functionTimeout', APP_DEFAULTS.timeoutSeconds);
  const premium = PREMIUM_SKUS.find((entry) => entry.sku === skuName);
  if (premium) {
    return {
      plan: 'premium',
      sku: premium.sku,
      instanceMemoryMb: premium.memoryMb,
      cpuMillis: premium.cpuMillis,
      concurrency: pick(
        number(extensions.maxConcurrentRequests, 'maxConcurrentRequests'),
        'host.json maxConcurrentRequests',
        APP_DEFAULTS.concurrency,
      ),
      maxInstances: pick(
        number(farmProps.maximumElasticWorkerCount, 'maximumElasticWorkerCount'),
        'maximumElasticWorkerCount',
        APP_DEFAULTS.premiumMaxBurst,
      ),
      alwaysReady: Math.max(
        1,
        pick(
          number(siteConfig.minimumElasticInstanceCount, 'minimumElasticInstanceCount'),
          'minimumElasticInstanceCount',
          APP_DEFAULTS.premiumMinimum,
        ),
      ),
      prewarmed: number(siteConfig.preWarmedInstanceCount, 'preWarmedInstanceCount') ?? null,
      timeoutSeconds,
      source: `${file} (Premium ${premium.sku})`,
      defaulted,
    };
  }
  if (skuName !== 'FC1')
    throw fail(`plan SKU ${JSON.stringify(skuName)} is neither Flex Consumption (FC1) nor Premium (EP1–EP3)`);
  const config = isNode(siteProps.functionAppConfig) ? siteProps.functionAppConfig : {};
  const scale = isNode(config.scaleAndConcurrency) ? config.scaleAndConcurrency : {};
  const triggers = isNode(scale.triggers) && isNode(scale.triggers.http) ? scale.triggers.http : {};
  const memoryMb = pick(
    number(scale.instanceMemoryMB, 'instanceMemoryMB'),
    'instanceMemoryMB',
    APP_DEFAULTS.flexMemoryMb,
  );
  const size = FLEX_SIZES.find((entry) => entry.memoryMb === memoryMb);
  if (!size)
    throw fail(
      `instanceMemoryMB ${memoryMb} is not a Flex Consumption size (${FLEX_SIZES.map((entry) => entry.memoryMb).join(', ')})`,
    );
  const http = Array.isArray(scale.alwaysReady)
    ? scale.alwaysReady.filter(isNode).find((entry) => entry.name === 'http')
    : undefined;
  return {
    plan: 'flex',
    sku: null,
    instanceMemoryMb: memoryMb,
    cpuMillis: size.cpuMillis,
    concurrency: pick(
      number(triggers.perInstanceConcurrency, 'perInstanceConcurrency'),
      'perInstanceConcurrency',
      APP_DEFAULTS.concurrency,
    ),
    maxInstances: pick(
      number(scale.maximumInstanceCount, 'maximumInstanceCount'),
      'maximumInstanceCount',
      APP_DEFAULTS.flexMaxInstances,
    ),
    alwaysReady: number(http?.instanceCount, 'alwaysReady http') ?? 0,
    prewarmed: null,
    timeoutSeconds,
    source: `${file} (Flex Consumption)`,
    defaulted,
  };
}

function json(text: string, fail: (why: string) => Error): Node {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isNode(parsed)) return parsed;
  } catch (error) {
    throw fail(`not valid JSON: ${(error as Error).message}`);
  }
  throw fail('not a JSON object');
}

/** host.json functionTimeout: `HH:MM:SS`, or `-1` (unbounded, Premium). */
function seconds(text: string, fail: (why: string) => Error): number {
  if (text.trim() === '-1') return Number.POSITIVE_INFINITY;
  const match = /^(\d+):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw fail(`functionTimeout ${JSON.stringify(text)} is not HH:MM:SS`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
