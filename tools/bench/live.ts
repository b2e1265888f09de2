/**
 * Benchmark: the live replayer's requests per second against a local node:http server, beside
 * autocannon's on the same server in the same run. autocannon runs closed-loop (each of C connections
 * sends its next request when the last one returns: as fast as the server allows); the replayer then
 * gets an open-model schedule (Poisson arrivals) at 1.5× the best rate autocannon reached so far, over the same C
 * connections with at most C requests in flight, so what it serves per second is its ceiling (the
 * excess is dropped and counted, never queued, so latency still counts from the schedule). The server runs in its own process so the two clients share it, not
 * an event loop. Prints figures, then one JSON line with them and `ratio`: the median over rounds of
 * the replayer's served/s ÷ the mean of the autocannon runs before and after it.
 *
 * It also times the AWS Lambda handler scaffold warm (converters/cold-start/scaffolds/templates/aws-lambda,
 * imported in this process on the tiny ONNX model) beside a bare `session.run` on the same model with
 * the same session options, in the same run: `scaffoldWarmRatio` in the JSON line is the handler's
 * median per-call time ÷ the bare run's (aim ≤ 1.1×: the scaffold should add little to inference).
 *
 * BENCH_CONNECTIONS, BENCH_SECONDS and BENCH_ROUNDS override the defaults (64, 3, 5).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { encodeLinearModel } from '../../converters/cold-start/scaffolds/testing/tiny-onnx.ts';
import { spikeProfile } from '../../core/traffic/index.ts';
import { buildTemplate, parseTargets, runLoadTest } from '../../loadtests/live/index.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const OVERLOAD = 1.5;

/** A model-server stand-in: reads the body, answers a small JSON document, keeps connections alive. */
const SERVER = `
const http = require('node:http');
const body = Buffer.from('{"outputs":[[0.5]]}');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/v1/models/m:predict`, child };
}

async function autocannonRate(
  url: string,
  body: string,
  seconds: number,
): Promise<{ rate: number; p99Ms: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  return { rate: result.requests.total / seconds, p99Ms: result.latency.p99 };
}

/**
 * Offered 1.5× what autocannon reached, with at most C requests in flight over C connections: a
 * request leaves at its scheduled time if a connection is free and is dropped (and counted) if not, so
 * nothing queues and what is served per second is the most this open-model client can push.
 */
async function replayerRun(url: string, ratePerSecond: number) {
  const profile = spikeProfile(
    `constant:rate=${Math.round(ratePerSecond * OVERLOAD)},duration=${SECONDS}s`,
    1,
  );
  const results = await runLoadTest(profile, {
    targets: parseTargets([url]),
    template: buildTemplate({ method: 'POST', headers: [], body: null, seed: 1 }),
    bodyDescription: 'sample',
    seed: 1,
    window: { startMs: 0, endMs: SECONDS * 1000 },
    speedup: 1,
    maxInFlight: CONNECTIONS,
    connections: CONNECTIONS,
    timeoutMs: 30_000,
  });
  return results.runs[0]!;
}

interface Round {
  autocannonBefore: number;
  autocannonAfter: number;
  replayerScheduled: number;
  replayerSent: number;
  replayerServed: number;
  replayerP99Ms: number;
  sendLagP99Ms: number;
  dropped: number;
  ratio: number;
}

const SCAFFOLD_CALLS = 2000;
const SCAFFOLD_ROUNDS = 7;

interface ScaffoldFigures {
  handlerWarmUs: number;
  sessionRunUs: number;
  ratio: number;
}

/**
 * The handler scaffold warm versus a bare `session.run` on the same tiny model: the handler loads the
 * model at import (MODEL_URI, its own cache dir), then each call parses a Function URL event's JSON
 * body, validates it, runs the model and serialises the answer. The bare side creates its session
 * with the scaffold's options (cpu, graph optimisation "all") and runs the same one-row input. Rounds
 * alternate the two, so drift on a shared machine hits both; each side's figure is the median of its
 * per-round mean per call.
 */
async function scaffoldWarm(): Promise<ScaffoldFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'migrate-bench-scaffold-'));
  try {
    const model = join(dir, 'tiny.onnx');
    writeFileSync(model, encodeLinearModel());
    process.env.MODEL_URI = model;
    process.env.MODEL_CACHE_DIR = join(dir, 'cache');
    const { handler } = await import('../../converters/cold-start/scaffolds/templates/aws-lambda/handler.ts');
    const session = await InferenceSession.create(model, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
    });
    const row = [1, 2, 3, 4];
    const event = { body: JSON.stringify({ inputs: [row] }), requestContext: { http: { method: 'POST' } } };
    const inputName = session.inputNames[0]!;
    const viaHandler = async () => {
      const result = await handler(event);
      if (result.statusCode !== 200) throw new Error(`handler answered ${result.statusCode}: ${result.body}`);
    };
    const bare = async () => {
      const feeds = { [inputName]: new Tensor('float32', Float32Array.from(row), [1, row.length]) };
      const outputs = await session.run(feeds);
      void (outputs[session.outputNames[0]!]!.data as Float32Array)[0];
    };
    const timeCalls = async (call: () => Promise<void>) => {
      const started = performance.now();
      for (let i = 0; i < SCAFFOLD_CALLS; i++) await call();
      return ((performance.now() - started) * 1000) / SCAFFOLD_CALLS;
    };
    await timeCalls(viaHandler); // warm up both paths' JIT
    await timeCalls(bare);
    const handlerUs: number[] = [];
    const bareUs: number[] = [];
    for (let round = 0; round < SCAFFOLD_ROUNDS; round++) {
      handlerUs.push(await timeCalls(viaHandler));
      bareUs.push(await timeCalls(bare));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const handlerWarmUs = Math.round(median(handlerUs) * 10) / 10;
    const sessionRunUs = Math.round(median(bareUs) * 10) / 10;
    return {
      handlerWarmUs,
      sessionRunUs,
      ratio: Math.round((median(handlerUs) / median(bareUs)) * 1000) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rounds alternate autocannon and the replayer, and each replayer run is compared with the autocannon
 * runs on both sides of it: on a shared machine the server's speed drifts, and a single pair would
 * measure the drift as much as the clients.
 */
async function main(): Promise<void> {
  const { url, child } = await startServer();
  const body = buildTemplate({ method: 'POST', headers: [], body: null, seed: 1 }).bodies[0]!.toString();
  try {
    await autocannonRate(url, body, 1); // warm up the server's JIT and the sockets
    const rounds: Round[] = [];
    let before = await autocannonRate(url, body, SECONDS);
    let fastest = before.rate;
    for (let round = 1; round <= ROUNDS; round++) {
      const open = await replayerRun(url, fastest);
      const after = await autocannonRate(url, body, SECONDS);
      const reference = (before.rate + after.rate) / 2;
      const figures: Round = {
        autocannonBefore: Math.round(before.rate),
        autocannonAfter: Math.round(after.rate),
        replayerScheduled: Math.round(open.scheduledRatePerSecond),
        replayerSent: Math.round(open.achievedRatePerSecond),
        replayerServed: Math.round(open.servedRatePerSecond),
        replayerP99Ms: open.latencyMs.p99 ?? 0,
        sendLagP99Ms: open.sendLagMs.p99 ?? 0,
        dropped: open.requests.dropped,
        ratio: Math.round((open.servedRatePerSecond / reference) * 1000) / 1000,
      };
      rounds.push(figures);
      console.log(
        `round ${round}: autocannon ${figures.autocannonBefore} → ${figures.autocannonAfter} req/s (closed, ${CONNECTIONS} connections, p99 ${before.p99Ms}/${after.p99Ms} ms); ` +
          `replayer scheduled ${figures.replayerScheduled}/s, sent ${figures.replayerSent}/s, served ${figures.replayerServed}/s ` +
          `(p99 ${figures.replayerP99Ms} ms from schedule, send lag p99 ${figures.sendLagP99Ms} ms, dropped ${figures.dropped}): ${figures.ratio}×`,
      );
      before = after;
      fastest = Math.max(fastest, after.rate);
    }
    const ratios = rounds.map((round) => round.ratio).sort((a, b) => a - b);
    const ratio = ratios[Math.floor((ratios.length - 1) / 2)]!;
    const replayer = Math.round(rounds.reduce((sum, round) => sum + round.replayerServed, 0) / rounds.length);
    const reference = Math.round(
      rounds.reduce((sum, round) => sum + (round.autocannonBefore + round.autocannonAfter) / 2, 0) /
        rounds.length,
    );
    console.log(
      `median ratio ${ratio}× (aim ≥ 0.9×); mean replayer ${replayer} req/s, autocannon ${reference} req/s`,
    );
    const scaffold = await scaffoldWarm();
    console.log(
      `handler scaffold warm ${scaffold.handlerWarmUs} µs/call vs bare session.run ${scaffold.sessionRunUs} µs/call ` +
        `on the tiny model: ${scaffold.ratio}× (aim ≤ 1.1×)`,
    );
    console.log(
      JSON.stringify({
        bench: 'live',
        connections: CONNECTIONS,
        seconds: SECONDS,
        rounds,
        replayerRequestsPerSecond: replayer,
        autocannonRequestsPerSecond: reference,
        ratio,
        handlerWarmUs: scaffold.handlerWarmUs,
        sessionRunUs: scaffold.sessionRunUs,
        scaffoldWarmRatio: scaffold.ratio,
      }),
    );
  } finally {
    child.kill();
  }
}

await main();
