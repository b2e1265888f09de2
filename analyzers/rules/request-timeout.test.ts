import { describe, expect, it } from 'vitest';
import { requestTimeout } from './request-timeout.ts';
import { context, src, workload } from './test-helpers.ts';

const withTimeout = (timeoutSeconds: number | null) =>
  workload({ serving: { timeoutSeconds, source: src(15, 'spec.template.spec.timeoutSeconds') } });
const summary = (timeout: number) =>
  requestTimeout.check(withTimeout(timeout), context()).map((finding) => [finding.severity, finding.targets]);

describe('request-timeout', () => {
  it('blocks Lambda above 900 s and tells Azure which plans are too short', () => {
    const findings = requestTimeout.check(withTimeout(1_200), context());
    expect(findings.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['block', ['aws-lambda']],
      ['info', ['azure-functions']],
    ]);
    expect(findings[0]!.message).toBe(
      "requests may run 1,200 s (manifests/app.yaml:15 (spec.template.spec.timeoutSeconds)); AWS Lambda's maximum is 900 s (15 min)",
    );
    expect(findings[1]!.message).toContain(
      'longer than Consumption (legacy) (600 s) allows on Azure Functions',
    );
    expect(findings[1]!.message).toContain('Flex Consumption: limit not in our sources');
  });

  it('warns within 80 % of a maximum and blocks above it', () => {
    expect(summary(750)).toEqual([
      ['warn', ['aws-lambda']],
      ['info', ['azure-functions']],
    ]);
    const near = requestTimeout.check(withTimeout(3_000), context());
    expect(near.map((finding) => [finding.severity, finding.targets])).toEqual([
      ['block', ['aws-lambda']],
      ['warn', ['cloud-run']],
      ['warn', ['azure-functions']],
    ]);
    expect(near[1]!.message).toContain(
      "requests may run 3,000 s (manifests/app.yaml:15 (spec.template.spec.timeoutSeconds)), 83 % of Google Cloud Run's maximum 60 min (3,600 s)",
    );
    expect(summary(4_000)).toEqual([
      ['block', ['aws-lambda']],
      ['block', ['cloud-run']],
      ['block', ['azure-functions']],
    ]);
  });

  it('stays silent without a declared timeout or with a short one', () => {
    expect(requestTimeout.check(withTimeout(null), context())).toEqual([]);
    expect(summary(60)).toEqual([]);
  });
});
