/**
 * AWS Lambda for `migrate verify`, `migrate apply` and `migrate measure` (docs/cloud/aws-lambda.md):
 * the SAM template `migrate convert --target aws-lambda` wrote, against the function the Lambda API
 * (@aws-sdk/client-lambda v3) reports.
 */

import type { CloudTarget } from '../types.ts';
import { connectLambda, type LambdaSession, type LambdaTargetOptions } from './client.ts';
import { CONFIG_FILE, readDesired } from './desired.ts';
import { execute } from './execute.ts';
import { readLive } from './live.ts';
import { measure } from './measure.ts';
import { planApply } from './plan.ts';

export type { LambdaSession, LambdaTargetOptions } from './client.ts';

/** The target with its own retry and wait options (tests shorten them; the CLI uses awsLambdaCloud). */
export function createAwsLambdaTarget(options: LambdaTargetOptions = {}): CloudTarget<LambdaSession> {
  return {
    id: 'aws-lambda',
    configFile: CONFIG_FILE,
    readDesired,
    connect: (flags) => connectLambda(flags, options),
    readLive,
    resolved: (session) => ({ region: session.region }),
    planApply,
    execute,
    measure,
    close: (session) => session.client.destroy(),
  };
}

export const awsLambdaCloud: CloudTarget<LambdaSession> = createAwsLambdaTarget();
