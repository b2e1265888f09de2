import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statisticsBins, trafficStatsJson } from '../../../core/traffic/index.ts';
import { readTraceFile } from './read.ts';

const traces = (path: string) =>
  fileURLToPath(new URL(`../../../../shared/corpus/traces/${path}`, import.meta.url));

// Figures from corpus/traces/SOURCES.md ("Summary of burstiness"), which defines how they are computed.
const EXPECTED = [
  {
    trace: 'azure-llm-code-2023/AzureLLMInferenceTrace_code.csv',
    durationSeconds: 3436,
    requests: 8819,
    meanRatePerSecond: 2.567,
    peakToMean1m: 4.16,
    largestIncreasePerMinute: 632,
    resolutionSeconds: 60,
    label: 'spiky',
  },
  {
    trace: 'azure-llm-conv-2023/AzureLLMInferenceTrace_conv.csv',
    durationSeconds: 3502,
    requests: 19366,
    meanRatePerSecond: 5.53,
    peakToMean1m: 1.54,
    largestIncreasePerMinute: 74,
    resolutionSeconds: 60,
    label: 'steady',
  },
  {
    trace: 'mooncake-conversation-2025/conversation_trace.jsonl',
    durationSeconds: 3537,
    requests: 12031,
    meanRatePerSecond: 3.401,
    peakToMean1m: 1.21,
    largestIncreasePerMinute: 68,
    resolutionSeconds: 60,
    label: 'steady',
  },
  {
    trace: 'servegen-language-m-small',
    durationSeconds: 1_209_600,
    requests: 1_420_558_786,
    meanRatePerSecond: 1174.4,
    peakToMean1m: 3.3,
    largestIncreasePerMinute: 123_805,
    resolutionSeconds: 600,
    label: 'spiky',
  },
  {
    trace: 'servegen-reason-deepseek-r1',
    durationSeconds: 86_400,
    requests: 1_383_669,
    meanRatePerSecond: 16.02,
    peakToMean1m: 2.66,
    largestIncreasePerMinute: 868,
    resolutionSeconds: 600,
    label: 'steady',
  },
  {
    trace: 'servegen-multimodal-mm-image',
    durationSeconds: 86_400,
    requests: 818_610,
    meanRatePerSecond: 9.475,
    peakToMean1m: 1.4,
    largestIncreasePerMinute: 194,
    resolutionSeconds: 600,
    label: 'steady',
  },
] as const;

/**
 * Within one unit of the last digit SOURCES.md prints. Not half a unit: its deepseek-r1 mean rate reads
 * 16.02 where 1,383,669 / 86,400 s = 16.0147, so the table rounds loosely in places.
 */
function expectAsPrinted(actual: number, printed: number) {
  const text = String(printed);
  const digits = text.includes('.') ? text.split('.')[1]!.length : 0;
  expect(Math.abs(actual - printed)).toBeLessThanOrEqual(10 ** -digits + 1e-12);
}

describe('every corpus trace matches corpus/traces/SOURCES.md', () => {
  it.each(EXPECTED)('$trace', async (expected) => {
    const profile = await readTraceFile(traces(expected.trace));
    const stats = trafficStatsJson(profile);

    expect(Math.round(stats.durationSeconds)).toBe(expected.durationSeconds);
    expect(Math.round(stats.requests)).toBe(expected.requests);
    expectAsPrinted(profile.stats.meanRatePerSecond, expected.meanRatePerSecond);
    expectAsPrinted(profile.stats.peakToMean1m, expected.peakToMean1m);
    expect(Math.round(stats.largestIncreasePerMinute)).toBe(expected.largestIncreasePerMinute);
    expect(stats.resolutionSeconds).toBe(expected.resolutionSeconds);
    expect(stats.label).toBe(expected.label);
    expect(profile.origin.kind === 'file' && profile.origin.badRows).toBe(0);
  });

  it('reads the code trace per minute, idle gaps and all, with its 67-request second', async () => {
    const profile = await readTraceFile(traces('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv'));

    const bins = statisticsBins(profile);

    expect(bins.requests.slice(0, 19)).toEqual([
      63, 0, 0, 531, 187, 130, 15, 42, 38, 476, 421, 63, 0, 0, 632, 299, 0, 20, 396,
    ]);
    expect(bins.requests).toHaveLength(58);
    expect(profile.stats.peakRequestsIn1s).toBe(67);
    expect(profile.stats.idleFraction).toBeCloseTo(12 / 58, 10);
    expect(profile.origin).toMatchObject({
      schema: 'azure-llm-2023',
      timeFormat: 'iso',
      dataRows: 8819,
      lines: 8820,
    });
    expect(profile.series.startMs).toBeCloseTo(Date.UTC(2023, 10, 16, 18, 17, 3, 979) + 0.96, 3);
  });

  it('matches the shapes SOURCES.md describes for the conversation traces', async () => {
    const conv = await readTraceFile(traces('azure-llm-conv-2023/AzureLLMInferenceTrace_conv.csv'));
    const mooncake = await readTraceFile(traces('mooncake-conversation-2025/conversation_trace.jsonl'));

    const convBins = statisticsBins(conv).requests;

    expect(convBins[0]).toBe(191);
    expect(Math.max(...convBins)).toBe(507);
    expect(convBins[convBins.length - 1]).toBe(37);
    expect(conv.stats.peakRequestsIn1s).toBe(16);
    expect(mooncake.origin).toMatchObject({ schema: 'mooncake', timeFormat: 'relative-ms' });
    expect(mooncake.series.timeBase).toBe('relative');
  });

  it('sums ServeGen clients as rate × 600 s per window', async () => {
    const profile = await readTraceFile(traces('servegen-reason-deepseek-r1'));

    expect(profile.series.stepSeconds).toBe(600);
    expect(profile.series.requests).toHaveLength(144);
    expect(profile.origin.kind === 'file' && profile.origin.files).toHaveLength(73);
    expect(profile.origin.kind === 'file' && profile.origin.dataRows).toBe(73 * 144);
    expect(profile.stats.peakRequestsIn1s).toBeNull();
  });

  it('gives the same statistics when streaming without keeping arrivals', async () => {
    for (const trace of EXPECTED.slice(0, 3)) {
      const kept = await readTraceFile(traces(trace.trace));
      const streamed = await readTraceFile(traces(trace.trace), { keepArrivals: false });

      expect(streamed.arrivalOffsetsMs).toBeUndefined();
      expect(trafficStatsJson(streamed)).toEqual(trafficStatsJson(kept));
    }
  });
});
