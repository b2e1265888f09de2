/**
 * A real Prometheus server holding metrics made from corpus traces, for integration tests.
 *
 * The OpenMetrics file mimics what a cluster serving those traces would have exported: Istio request
 * counters split across pods and response codes (with a container restart resetting one counter), an
 * Istio latency histogram, kube-state-metrics replicas, DCGM GPU utilisation per pod, and vLLM
 * counters for a second workload, plus decoys that the label selectors must exclude. It is backfilled
 * with `promtool tsdb create-blocks-from openmetrics` and served by `prometheus` on a loopback port.
 *
 * Timestamps are placed two days ago, aligned to the minute, so retention keeps the blocks and the
 * 60-s query grid lines up with 15-s scrapes; each trace's first request lands 0.5 ms after `base`.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readTraceFile } from '../../analyzers/metrics/trace/read.ts';
import { createRandom } from '../../core/random.ts';

export const SCRAPE_SECONDS = 15;
export const LATENCY_BUCKETS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];
const RESET_AFTER_SECONDS = 1200;
const REQUESTS_PER_REPLICA_PER_SECOND = 2;
const MAX_REPLICAS = 6;
const CODE_PODS = [
  'llm-code-7d9f8b6c5d-x2x4q',
  'llm-code-7d9f8b6c5d-kq8vz',
  'llm-code-7d9f8b6c5d-m3n7p',
  'llm-code-7d9f8b6c5d-t6w2r',
  'llm-code-7d9f8b6c5d-b9c4d',
  'llm-code-7d9f8b6c5d-h5j8f',
];
const CHAT_PODS = ['chat-5c8d7f9b4-abcde', 'chat-5c8d7f9b4-fghij'];

export const traceFile = (path: string) =>
  fileURLToPath(new URL(`../../../shared/corpus/traces/${path}`, import.meta.url));

/** What the server was loaded with, for tests to compare against. */
export interface Truth {
  /** Epoch seconds of the minute the traces start in. */
  baseSeconds: number;
  code: { arrivals: number[]; perMinute: number[]; total: number; errors: number; latenciesMs: number[] };
  chat: { arrivals: number[]; perMinute: number[]; total: number };
  replicasAt(seconds: number): number;
  gpuUtilPercentAt(seconds: number): number;
}

function perMinute(arrivals: number[], base: number): number[] {
  const bins = new Array<number>(Math.floor((arrivals[arrivals.length - 1]! - base) / 60) + 1).fill(0);
  for (const t of arrivals) bins[Math.floor((t - base) / 60)]! += 1;
  return bins;
}

/** Number of sorted values ≤ limit. */
function countUpTo(sorted: number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function loadTruth(nowSeconds: number): Promise<Truth> {
  const baseSeconds = Math.floor((nowSeconds - 2 * 86_400) / 60) * 60;
  const shift = (offsets: number[]) => offsets.map((ms) => baseSeconds + 0.0005 + ms / 1000);
  const code = shift(
    (await readTraceFile(traceFile('azure-llm-code-2023/AzureLLMInferenceTrace_code.csv'))).arrivalOffsetsMs!,
  );
  const chat = shift(
    (await readTraceFile(traceFile('azure-llm-conv-2023/AzureLLMInferenceTrace_conv.csv'))).arrivalOffsetsMs!,
  );
  const random = createRandom(2023);
  const latenciesMs = code.map(() => {
    // Log-normal service times (median ≈ 400 ms) drawn by Box–Muller from the seeded generator.
    const z = Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
    return Math.round(400 * Math.exp(0.9 * z) * 1000) / 1000;
  });
  const lastMinute = (s: number) => countUpTo(code, s) - countUpTo(code, s - 60);
  const replicasAt = (s: number) =>
    Math.min(MAX_REPLICAS, Math.max(1, Math.ceil(lastMinute(s) / 60 / REQUESTS_PER_REPLICA_PER_SECOND)));
  const gpuUtilPercentAt = (s: number) =>
    Math.min(100, Math.round((100 * lastMinute(s)) / 60 / (replicasAt(s) * REQUESTS_PER_REPLICA_PER_SECOND)));
  const errors = code.filter((_, i) => i % 50 === 7).length;
  return {
    baseSeconds,
    code: {
      arrivals: code,
      perMinute: perMinute(code, baseSeconds),
      total: code.length,
      errors,
      latenciesMs,
    },
    chat: { arrivals: chat, perMinute: perMinute(chat, baseSeconds), total: chat.length },
    replicasAt,
    gpuUtilPercentAt,
  };
}

const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** OpenMetrics text: `# TYPE` per family, timestamps in seconds, `# EOF` at the end. */
export function openMetrics(truth: Truth): string {
  const from = truth.baseSeconds - 600;
  const to = truth.baseSeconds + 3600 + 600;
  const scrapes: number[] = [];
  for (let s = from; s <= to; s += SCRAPE_SECONDS) scrapes.push(s);
  const out: string[] = [];
  istioCounters(out, truth, scrapes);
  istioHistogram(out, truth, scrapes);
  clusterGauges(out, truth, scrapes);
  vllmMetrics(out, truth, scrapes);
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}

function istioCounters(out: string[], truth: Truth, scrapes: number[]) {
  const common = {
    reporter: 'destination',
    destination_workload_namespace: 'ml',
    destination_workload: 'llm-code',
  };
  const resetAt = truth.baseSeconds + RESET_AFTER_SECONDS;
  out.push('# TYPE istio_requests counter');
  for (const [p, pod] of CODE_PODS.slice(0, 2).entries()) {
    for (const code of ['200', '503']) {
      const mine = truth.code.arrivals.filter((_, i) => i % 2 === p && (i % 50 === 7) === (code === '503'));
      const tags = labels({ ...common, pod, response_code: code, source_workload: 'istio-ingressgateway' });
      for (const s of scrapes) {
        // The first pod's 200 counter restarts from zero just after a scrape (a container restart).
        const restarted = p === 0 && code === '200' && s > resetAt;
        const value = countUpTo(mine, s) - (restarted ? countUpTo(mine, resetAt) : 0);
        out.push(`istio_requests_total${tags} ${value} ${s}`);
      }
    }
  }
  // Decoys: same workload name in another namespace, and a longer name in the same namespace.
  for (const decoy of [
    { ...common, destination_workload_namespace: 'staging' },
    { ...common, destination_workload: 'llm-code-canary' },
  ]) {
    const tags = labels({ ...decoy, pod: 'other', response_code: '200', source_workload: 'x' });
    for (const s of scrapes) out.push(`istio_requests_total${tags} ${Math.max(0, s - scrapes[0]!)} ${s}`);
  }
}

function istioHistogram(out: string[], truth: Truth, scrapes: number[]) {
  const common = {
    reporter: 'destination',
    destination_workload_namespace: 'ml',
    destination_workload: 'llm-code',
  };
  const { arrivals, latenciesMs } = truth.code;
  out.push('# TYPE istio_request_duration_milliseconds histogram');
  const bounds = [...LATENCY_BUCKETS_MS.map(String), '+Inf'];
  for (const [b, le] of bounds.entries()) {
    const limit = b < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[b]! : Number.POSITIVE_INFINITY;
    const inBucket = arrivals.filter((_, i) => latenciesMs[i]! <= limit);
    const tags = labels({ ...common, le });
    for (const s of scrapes)
      out.push(`istio_request_duration_milliseconds_bucket${tags} ${countUpTo(inBucket, s)} ${s}`);
  }
  let sum = 0;
  let seen = 0;
  for (const s of scrapes) {
    for (; seen < arrivals.length && arrivals[seen]! <= s; seen++) sum += latenciesMs[seen]!;
    out.push(`istio_request_duration_milliseconds_count${labels(common)} ${seen} ${s}`);
    out.push(`istio_request_duration_milliseconds_sum${labels(common)} ${sum.toFixed(3)} ${s}`);
  }
}

function clusterGauges(out: string[], truth: Truth, scrapes: number[]) {
  out.push('# TYPE kube_deployment_status_replicas gauge');
  const inTrace = (s: number) => s >= truth.baseSeconds && s <= truth.baseSeconds + 3600;
  for (const s of scrapes) {
    out.push(
      `kube_deployment_status_replicas${labels({ namespace: 'ml', deployment: 'llm-code' })} ${truth.replicasAt(s)} ${s}`,
    );
    out.push(`kube_deployment_status_replicas${labels({ namespace: 'ml', deployment: 'chat' })} 2 ${s}`);
  }
  out.push('# TYPE DCGM_FI_DEV_GPU_UTIL gauge');
  for (const [k, pod] of [...CODE_PODS, 'llm-code-canary-6b7c8d9e5f-zzzzz'].entries()) {
    const tags = labels({
      gpu: String(k % 4),
      UUID: `GPU-0000-${k}`,
      Hostname: `gpu-node-${k >> 2}`,
      modelName: 'NVIDIA L4',
      namespace: 'ml',
      pod,
      container: 'server',
    });
    for (const s of scrapes) {
      // A pod's GPU exists only while the pod does: replica k is up when k < replicas.
      const decoy = k >= CODE_PODS.length;
      if (decoy || (k < truth.replicasAt(s) && inTrace(s)))
        out.push(`DCGM_FI_DEV_GPU_UTIL${tags} ${decoy ? 100 : truth.gpuUtilPercentAt(s)} ${s}`);
    }
  }
}

function vllmMetrics(out: string[], truth: Truth, scrapes: number[]) {
  out.push('# TYPE vllm:request_success counter');
  for (const [p, pod] of CHAT_PODS.entries()) {
    for (const reason of ['stop', 'length']) {
      const mine = truth.chat.arrivals.filter(
        (_, i) => i % 2 === p && (i % 7 === 0) === (reason === 'length'),
      );
      const tags = labels({ namespace: 'ml', pod, model_name: 'chat-8b', finished_reason: reason });
      for (const s of scrapes) out.push(`vllm:request_success_total${tags} ${countUpTo(mine, s)} ${s}`);
    }
  }
  out.push('# TYPE vllm:num_requests_running gauge');
  for (const [p, pod] of CHAT_PODS.entries()) {
    const mine = truth.chat.arrivals.filter((_, i) => i % 2 === p);
    const tags = labels({ namespace: 'ml', pod, model_name: 'chat-8b' });
    // As if every request took 10 s.
    for (const s of scrapes)
      out.push(`vllm:num_requests_running${tags} ${countUpTo(mine, s) - countUpTo(mine, s - 10)} ${s}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface BackfilledPrometheus {
  baseUrl: string;
  truth: Truth;
  stop(): Promise<void>;
}

/** Backfill a TSDB from the traces and start Prometheus on 127.0.0.1; call `stop()` in afterAll. */
export async function startBackfilledPrometheus(): Promise<BackfilledPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-prometheus-'));
  const truth = await loadTruth(Math.floor(Date.now() / 1000));
  const metricsFile = join(dir, 'metrics.om.txt');
  const dataDir = join(dir, 'data');
  writeFileSync(metricsFile, openMetrics(truth));
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', metricsFile, dataDir], {
    maxBuffer: 16 << 20,
  });
  const port = await freePort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=3650d',
      `--web.listen-address=127.0.0.1:${port}`,
      // Backfilled series carry no staleness markers: a short lookback makes a vanished pod's GPU
      // disappear at the next scrape, as it would on a live server.
      '--query.lookback-delta=10s',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(baseUrl, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, truth, stop };
}

async function waitReady(baseUrl: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr()}`);
    const ready = await fetch(`${baseUrl}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prometheus was not ready within 60 s: ${stderr()}`);
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
