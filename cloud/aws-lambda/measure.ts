/**
 * Cold starts as Lambda itself reports them: Invoke (RequestResponse, LogType Tail) in bursts of
 * `concurrency`, and the REPORT line of each invocation's log tail. A burst of C against an idle
 * function meets C new execution environments; each new environment's first invocation carries
 * `Init Duration`, the Init phase that ran before the handler: that is the cold start. Warm
 * invocations' `Duration` is the service time. Unqualified invokes run $LATEST on on-demand
 * environments; a `--qualifier` alias with provisioned concurrency would be served warm.
 */

import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  InvokeCommand,
} from '@aws-sdk/client-lambda';
import { MB_PER_VCPU } from '../../converters/aws-lambda/sizing.ts';
import type { MeasureOptions, MeasureSamples } from '../types.ts';
import type { LambdaSession } from './client.ts';
import { errorName, isThrottled, statusOf, toMigrateError } from './errors.ts';
import { decodeLogResult, parseReportLine, type ReportLine } from './report-line.ts';

type Outcome = { report: ReportLine; version: string | undefined } | { failure: string };

export async function measure(
  session: LambdaSession,
  name: string,
  options: MeasureOptions,
): Promise<MeasureSamples> {
  const qualifier = session.qualifier;
  const target = qualifier ? `${name}:${qualifier}` : name;
  let config: GetFunctionConfigurationCommandOutput;
  try {
    config = await session.client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: name,
        ...(qualifier ? { Qualifier: qualifier } : {}),
      }),
    );
  } catch (error) {
    throw toMigrateError(error, 'lambda:GetFunctionConfiguration', target);
  }
  const payload = new TextEncoder().encode(options.payload ?? '{}');
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const samples: MeasureSamples = {
    coldStartMs: [],
    serviceMs: [],
    failures: {},
    cpuMillis: null,
    method: '',
    facts: {},
  };
  const versions = new Set<string>();
  let memoryMb = config.MemorySize ?? null;
  let done = 0;
  let cold = 0;
  let warm = 0;
  for (let start = 0; start < options.requests; start += concurrency) {
    const burst = Math.min(concurrency, options.requests - start);
    await Promise.all(
      Array.from({ length: burst }, async () => {
        const outcome = await invokeOnce(session, name, qualifier, payload);
        if ('failure' in outcome)
          samples.failures[outcome.failure] = (samples.failures[outcome.failure] ?? 0) + 1;
        else {
          if (outcome.version) versions.add(outcome.version);
          memoryMb ??= outcome.report.memorySizeMb;
          if (outcome.report.initDurationMs !== null) {
            cold += 1;
            samples.coldStartMs.push(outcome.report.initDurationMs);
          } else {
            warm += 1;
            samples.serviceMs.push(outcome.report.durationMs);
          }
        }
        done += 1;
        options.progress(done, options.requests);
      }),
    );
  }
  samples.cpuMillis = memoryMb === null ? null : Math.round((memoryMb / MB_PER_VCPU) * 1000);
  samples.method = `Invoked ${target} ${options.requests} times (RequestResponse, LogType Tail) in bursts of ${concurrency}; a request was cold when its REPORT line had Init Duration (a new execution environment), and that Init Duration is its cold start; serviceMs is the REPORT Duration of warm requests (handler time inside Lambda, without the network, Lambda's front end or Init; cold requests' Duration is left out).`;
  samples.facts = {
    FunctionArn: config.FunctionArn ?? name,
    region: session.region,
    memoryMb: memoryMb ?? 'unknown',
    architecture: config.Architectures?.[0] ?? 'x86_64',
    qualifier: qualifier ?? '$LATEST (unqualified: on-demand environments)',
    executedVersion: [...versions].sort().join(', ') || 'unknown',
    coldRequests: cold,
    warmRequests: warm,
  };
  return samples;
}

/** One invocation: its REPORT line, or why it counts as failed. Errors a user must fix end the run. */
async function invokeOnce(
  session: LambdaSession,
  name: string,
  qualifier: string | null,
  payload: Uint8Array,
): Promise<Outcome> {
  try {
    const response = await session.client.send(
      new InvokeCommand({
        FunctionName: name,
        InvocationType: 'RequestResponse',
        LogType: 'Tail',
        Payload: payload,
        ...(qualifier ? { Qualifier: qualifier } : {}),
      }),
    );
    if (response.FunctionError) return { failure: `FunctionError: ${response.FunctionError}` };
    const report = parseReportLine(decodeLogResult(response.LogResult));
    // The tail is the last 4 KB of the log: a REPORT line cut off (or missing) gives no figures.
    if (!report) return { failure: 'no REPORT line' };
    return { report, version: response.ExecutedVersion };
  } catch (error) {
    // Throttling is a result here (the SDK has already retried): the function or account ran out of concurrency.
    if (isThrottled(error)) return { failure: 'throttled' };
    const status = statusOf(error);
    if (status !== undefined && status >= 500) return { failure: `HTTP ${status} ${errorName(error)}` };
    if (['TimeoutError', 'RequestTimeout'].includes(errorName(error))) return { failure: 'timeout' };
    throw toMigrateError(error, 'lambda:InvokeFunction', qualifier ? `${name}:${qualifier}` : name);
  }
}
