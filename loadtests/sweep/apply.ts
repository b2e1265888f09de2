/**
 * One sweep setting applied to its target's configuration. The models take their configuration
 * whole (`config` in their options, what --config-dir parses), so the override point is here: the
 * converter's plan for the workload, with the swept value written over it last. The model then
 * reports the changed value in its first assumption, with a source naming --sweep.
 */

import type { Workload } from '../../core/model/index.ts';
import { plannedLambdaConfig } from '../platforms/aws-lambda/config.ts';
import { createLambdaModule } from '../platforms/aws-lambda/index.ts';
import { plannedAzureConfig } from '../platforms/azure-functions/config.ts';
import { createAzureModule } from '../platforms/azure-functions/index.ts';
import { plannedCloudRunConfig } from '../platforms/cloud-run/config.ts';
import { createCloudRunModule } from '../platforms/cloud-run/index.ts';
import type { PlatformModule } from '../platforms/types.ts';
import type { SweepName } from './spec.ts';

/** The serverless flags every model takes (`--retries`, `--keep-alive-seconds`). */
export interface SweepCommon {
  retries: number;
  keepAliveMs?: number;
}

export function sweptModule(
  workload: Workload,
  name: SweepName,
  value: number,
  common: SweepCommon,
): PlatformModule {
  const because = (source: string) => `${source}; ${name} = ${value} set by --sweep`;
  switch (name) {
    case 'provisioned':
    case 'memory': {
      const base = plannedLambdaConfig(workload);
      return createLambdaModule({
        ...common,
        config: {
          ...base,
          ...(name === 'provisioned' ? { provisionedConcurrency: value } : { memoryMb: value }),
          source: because(base.source),
        },
      });
    }
    case 'min-instances': {
      const base = plannedCloudRunConfig(workload);
      return createCloudRunModule({
        ...common,
        // As the converter writes it (converters/cloud-run/plan.ts): min instances need instance-based
        // billing, so a swept value above zero switches it on — otherwise idle min instances would
        // be unpriced under request-based billing and look cheaper than scaling from zero.
        config: {
          ...base,
          minScale: value,
          instanceBilling: base.gpu !== null || value > 0,
          source: because(base.source),
        },
      });
    }
    case 'always-ready': {
      const base = plannedAzureConfig(workload);
      return createAzureModule({
        ...common,
        config: { ...base, alwaysReady: value, source: because(base.source) },
      });
    }
  }
}
