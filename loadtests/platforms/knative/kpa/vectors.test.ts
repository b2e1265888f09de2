/**
 * Every case of ../shared/vectors/knative-kpa.json (transcribed from knative/serving tests), one `it` per
 * case. VECTORS_DIR overrides the vector directory.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  configFromMap,
  configToMap,
  DEFAULT_KNATIVE_AUTOSCALER_CONFIG,
  type KnativeAutoscalerConfig,
  resolveMetricTarget,
} from './config.ts';
import { type DeciderState, defaultKpaSpec, newDeciderState, scaleOnce } from './decider.ts';
import type { KpaSpec } from './decider-types.ts';

interface VectorCase {
  name: string;
  kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: vector inputs are heterogeneous JSON, checked per kind below.
  inputs: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  expected: any;
}

interface VectorFile {
  defaults: { configMapDefaults: Record<string, unknown> };
  cases: VectorCase[];
}

const vectorsDir =
  process.env.VECTORS_DIR ?? fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
const vectors: VectorFile = JSON.parse(readFileSync(join(vectorsDir, 'knative-kpa.json'), 'utf8'));

/** The vector file's ConfigMap defaults, keyed like configToMap (the rps utilisation has no key). */
function vectorDefaults(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(vectors.defaults.configMapDefaults).filter(([key]) => !key.startsWith('(')),
  );
}

interface Step {
  tSeconds: number;
  readyPods?: number;
  readyPodsError?: string;
  observedStable: number;
  observedPanic: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the construction block of a case.
function constructState(spec: KpaSpec, inputs: any): DeciderState {
  const construction = inputs.construction;
  // A pod-count error at construction counts as 0 ready pods.
  const readyPods = construction.readyPodsError === undefined ? construction.readyPods : 0;
  const state = newDeciderState(spec, readyPods, construction.tSeconds ?? 0);
  const before = inputs.stateBeforeFirstStep;
  if (before !== undefined) {
    const firstStepSeconds: number = inputs.steps[0].tSeconds;
    state.panicStartSeconds = firstStepSeconds - before.panicStartedSecondsAgo;
    state.maxPanicPods = before.maxPanicPods;
  }
  return state;
}

const checks: Record<string, (c: VectorCase) => void> = {
  scaleSequence: ({ inputs, expected }) => {
    const spec = defaultKpaSpec(inputs.spec);
    const state = constructState(spec, inputs);
    inputs.steps.forEach((step: Step, i: number) => {
      const decision = scaleOnce(spec, state, {
        nowSeconds: step.tSeconds,
        readyPods: step.readyPodsError === undefined ? (step.readyPods ?? 0) : null,
        observedStable: step.observedStable,
        observedPanic: step.observedPanic,
      });
      const { desiredPodCount, excessBurstCapacity, scaleValid } = decision;
      expect({ step: i, desiredPodCount, excessBurstCapacity, scaleValid }).toEqual({
        step: i,
        ...expected.steps[i],
      });
      if (expected.inPanicModeAfterStep !== undefined) {
        expect({ step: i, inPanicMode: decision.inPanicMode }).toEqual({
          step: i,
          inPanicMode: expected.inPanicModeAfterStep[i],
        });
      }
    });
  },
  construction: ({ inputs, expected }) => {
    const state = constructState(defaultKpaSpec(inputs.spec), inputs);
    expect({ inPanicMode: state.panicStartSeconds !== null, maxPanicPods: state.maxPanicPods }).toEqual(
      expected,
    );
  },
  configFromMap: ({ inputs, expected }) => {
    const result = configFromMap(inputs.configMap);
    if (expected.error === true) {
      expect(result.ok).toBe(false);
      return;
    }
    if (!result.ok) throw new Error(result.error);
    expect(configToMap(result.config)).toEqual({ ...vectorDefaults(), ...expected.overridesFromDefault });
    expect(result.config.targetUtilization).toBe(DEFAULT_KNATIVE_AUTOSCALER_CONFIG.targetUtilization);
  },
  resolveMetricTarget: ({ inputs, expected }) => {
    const test = inputs.testConfig;
    const config: KnativeAutoscalerConfig = {
      ...DEFAULT_KNATIVE_AUTOSCALER_CONFIG,
      containerConcurrencyTargetFraction: test['container-concurrency-target-percentage'],
      containerConcurrencyTargetDefault: test['container-concurrency-target-default'],
      rpsTargetDefault: test['requests-per-second-target-default'],
      targetUtilization: test['target-utilization(rps)'],
    };
    const { targetValue, totalValue } = resolveMetricTarget(inputs.podAutoscaler, config);
    expect(targetValue).toBeCloseTo(expected.targetValue, 9);
    expect(totalValue).toBe(expected.totalValue);
  },
};

describe('vectors: knative-kpa.json', () => {
  it('defaults match the ConfigMap defaults of the vector file', () => {
    expect(configToMap(DEFAULT_KNATIVE_AUTOSCALER_CONFIG)).toEqual(vectorDefaults());
  });

  for (const vectorCase of vectors.cases) {
    it(vectorCase.name, () => {
      const check = checks[vectorCase.kind];
      if (check === undefined) throw new Error(`no check for case kind ${vectorCase.kind}`);
      check(vectorCase);
    });
  }
});
