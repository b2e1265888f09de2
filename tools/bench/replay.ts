/**
 * Benchmark: the replay engine on a synthetic constant profile (counts per second, so arrivals are
 * generated lazily step by step) for a CPU model server (examples/k8s fraud-scoring: 8 requests per
 * pod, HPA on CPU on the kubernetes target, KPA on knative), against merely generating the same
 * arrivals and service times in the same run. Prints requests simulated per second per target, the
 * ratio of simulation time to generation time, and the peak RSS, then one JSON line with them.
 *
 * BENCH_REQUESTS (default 50,000,000) and BENCH_RATE (requests per second, default 5,000) set the size;
 * BENCH_TARGETS the targets (default kubernetes,knative; the 50-M memory figure is the kubernetes run).
 */

import { buildInventory } from '../../analyzers/inventory.ts';
import { loadInputs } from '../../analyzers/sources/index.ts';
import { NODE_TYPES } from '../../core/pricing/nodes.ts';
import { buildTrafficProfile, type TrafficProfile } from '../../core/traffic/index.ts';
import { runReplay } from '../../loadtests/engine/replay.ts';
import { type ServiceTimeSpec, serviceSampler } from '../../loadtests/engine/service-time.ts';
import { randomStream } from '../../loadtests/engine/streams.ts';
import type { ReplaySettings, ReplayTargetId } from '../../loadtests/platforms/types.ts';
import { createArrivals } from '../../loadtests/traffic/arrivals.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 5_000);
const TARGETS = (process.env.BENCH_TARGETS ?? 'kubernetes,knative').split(',') as ReplayTargetId[];
const SERVICE: ServiceTimeSpec = { kind: 'exp', meanMs: 20 };
const SEED = 1;

function constantProfile(requests: number, ratePerSecond: number): TrafficProfile {
  const seconds = Math.ceil(requests / ratePerSecond);
  const counts = new Array<number>(seconds).fill(ratePerSecond);
  counts[seconds - 1] = requests - ratePerSecond * (seconds - 1);
  return buildTrafficProfile({
    series: { startMs: 0, timeBase: 'relative', stepSeconds: 1, requests: counts, missingSteps: [] },
    origin: { kind: 'synthetic', spec: `constant counts ${ratePerSecond}/s × ${seconds} s`, seed: SEED },
  });
}

/** The floor: the same lazily generated arrivals and the same service-time draws, nothing simulated. */
function generateOnly(
  profile: TrafficProfile,
  window: { startMs: number; endMs: number },
): { seconds: number; count: number } {
  const start = cpuSeconds();
  const arrivals = createArrivals(profile, window, randomStream(SEED, 'arrivals'));
  const draw = serviceSampler(SERVICE, randomStream(SEED, 'service'));
  let count = 0;
  let checksum = 0;
  for (; arrivals.nextMs !== Number.POSITIVE_INFINITY; arrivals.advance()) {
    checksum += arrivals.nextMs + draw();
    count += 1;
  }
  if (Number.isNaN(checksum)) throw new Error('unreachable: keeps the generated values observable');
  return { seconds: cpuSeconds() - start, count };
}

/**
 * CPU time of this process: the machines this runs on are shared, and wall time there measures the
 * neighbours as much as the code.
 */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const settings: ReplaySettings = {
  podConcurrency: null,
  lb: 'least-outstanding',
  nodeType: null,
  nodeTypes: NODE_TYPES,
  maxNodes: null,
  initialNodes: null,
  pod: {},
  nodeProvisioningSeconds: null,
  nodeHourlyUsd: null,
  calibration: null,
  timeoutMs: 30_000,
};

async function main() {
  const loaded = await loadInputs(['examples/k8s/fraud-scoring'], {
    maxFileBytes: 1 << 24,
    maxAliasCount: 100,
    which: () => null,
    readStdin: async () => '',
  });
  const workload = buildInventory(loaded, { defaultNamespace: 'default' }).workloads[0]!;
  const profile = constantProfile(REQUESTS, RATE);
  const window = { startMs: 0, endMs: profile.series.requests.length * 1000 };
  // The better of two passes: the first also pays for compiling the generator.
  const passes = [generateOnly(profile, window), generateOnly(profile, window)];
  const generated = passes[0]!.seconds <= passes[1]!.seconds ? passes[0]! : passes[1]!;
  console.log(
    `generating ${generated.count.toLocaleString('en')} arrivals and service times: ${generated.seconds.toFixed(2)} CPU-s (${Math.round(generated.count / generated.seconds).toLocaleString('en')}/s)`,
  );
  const perTarget: Record<string, { seconds: number; requestsPerSecond: number; ratio: number }> = {};
  for (const target of TARGETS) {
    const start = cpuSeconds();
    const wallStart = process.hrtime.bigint();
    const report = runReplay({
      workload,
      blocked: {},
      profile,
      window,
      targets: [target],
      seed: SEED,
      service: { spec: SERVICE, source: 'benchmark' },
      settings,
      sloMs: 150,
      version: 'bench',
    });
    const seconds = cpuSeconds() - start;
    const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
    const run = report.runs[0]!;
    const total = run.status === 'ok' ? run.requests.total : 0;
    perTarget[target] = {
      seconds: round(seconds),
      requestsPerSecond: Math.round(total / seconds),
      ratio: round(seconds / generated.seconds),
    };
    const summary =
      run.status === 'ok' ? `p99 ${run.latencyMs.p99} ms, max pods ${run.instances.max}` : run.status;
    console.log(
      `${target}: ${total.toLocaleString('en')} requests in ${seconds.toFixed(2)} CPU-s (${wallSeconds.toFixed(2)} s wall) = ${perTarget[target]!.requestsPerSecond.toLocaleString('en')} requests/s, ${perTarget[target]!.ratio}× generation (${summary})`,
    );
  }
  // maxRSS is the process's high-water mark in KiB (getrusage), so no sampling can miss the peak.
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS ${peakRssMiB} MiB`);
  const ratio = Math.max(...Object.values(perTarget).map((entry) => entry.ratio));
  console.log(
    JSON.stringify({
      bench: 'replay',
      requests: generated.count,
      generateSeconds: round(generated.seconds),
      targets: perTarget,
      ratio,
      peakRssMiB,
    }),
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

await main();
