/**
 * Every converter, one line each. A target without a line here is still listed in every run, as
 * `not-implemented` with the reason (converters/common/run.ts): nothing goes missing silently.
 * Adding a target: copy converters/aws-lambda/ to converters/<target>/, keep its shape, add it here.
 */
import { awsLambda } from './aws-lambda/index.ts';
import { azureFunctions } from './azure-functions/index.ts';
import { cloudRun } from './cloud-run/index.ts';
import type { Converter } from './types.ts';

export const CONVERTERS: readonly Converter[] = [awsLambda, cloudRun, azureFunctions];

export { loadScaffoldHook } from './cold-start/scaffold-hook.ts';
export { DEFAULT_WARM_QUANTILE } from './cold-start/size.ts';
export {
  type Artifact,
  type ConvertRun,
  type ConvertRunOptions,
  convertReport,
  MIGRATION_FILE,
} from './common/run.ts';
export type * from './types.ts';
