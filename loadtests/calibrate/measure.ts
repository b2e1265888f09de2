/**
 * The I/O half of `migrate calibrate`: times onnxruntime-node on the real model. Each cold repetition
 * creates a fresh InferenceSession from the file and runs it once; the warm runs reuse the last session.
 */

import { readFile } from 'node:fs/promises';
import { MigrateError } from '../../core/errors.ts';
import { syntheticInput, type ThreadMeasurement } from './summary.ts';

export interface MeasureOptions {
  model: string;
  threads: readonly number[];
  /** Undefined: read from the model's first input, with symbolic dimensions set to 1. */
  inputShape?: readonly number[];
  runs: number;
  coldRepetitions: number;
}

export interface MeasureOutput {
  inputShape: number[];
  measurements: ThreadMeasurement[];
}

type Ort = typeof import('onnxruntime-node');

async function loadOrt(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new MigrateError(`cannot load onnxruntime-node: ${(error as Error).message}`, {
      hint: 'install it next to migrate: npm install onnxruntime-node',
    });
  }
}

export async function measureModel(options: MeasureOptions): Promise<MeasureOutput> {
  const bytes = await readFile(options.model).catch((error: NodeJS.ErrnoException) => {
    throw new MigrateError(
      `cannot read ${options.model}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  const ort = await loadOrt();
  const create = (threads: number) =>
    ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: threads,
    }).catch((error: Error) => {
      throw new MigrateError(`${options.model} is not a model onnxruntime can load: ${error.message}`);
    });

  // A first session outside the timings: it pays for loading the native library once per process.
  const probe = await create(1);
  const inputName = probe.inputNames[0];
  if (inputName === undefined) throw new MigrateError(`${options.model} has no inputs`);
  const inputShape = options.inputShape ? [...options.inputShape] : shapeFromMetadata(probe, options.model);
  await probe.release();
  const feeds = { [inputName]: new ort.Tensor('float32', syntheticInput(inputShape), inputShape) };

  const run = async (session: Awaited<ReturnType<typeof create>>) => {
    try {
      await session.run(feeds);
    } catch (error) {
      throw new MigrateError(`running ${options.model} failed: ${(error as Error).message}`, {
        hint: 'check --input-shape against the model input (float32 inputs only)',
      });
    }
  };

  const measurements: ThreadMeasurement[] = [];
  for (const threads of options.threads) {
    const sessionCreateMs: number[] = [];
    const firstInferenceMs: number[] = [];
    let session: Awaited<ReturnType<typeof create>> | undefined;
    for (let i = 0; i < options.coldRepetitions; i += 1) {
      if (session) await session.release();
      const t0 = performance.now();
      session = await create(threads);
      const t1 = performance.now();
      await run(session);
      const t2 = performance.now();
      sessionCreateMs.push(t1 - t0);
      firstInferenceMs.push(t2 - t1);
    }
    const warmMs: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      const t0 = performance.now();
      await run(session!);
      warmMs.push(performance.now() - t0);
    }
    await session!.release();
    measurements.push({ threads, sessionCreateMs, firstInferenceMs, warmMs });
  }
  return { inputShape, measurements };
}

function shapeFromMetadata(
  session: { inputMetadata?: readonly { isTensor: boolean; shape?: ReadonlyArray<number | string> }[] },
  model: string,
): number[] {
  const meta = session.inputMetadata?.[0];
  if (!meta?.isTensor || !meta.shape || meta.shape.length === 0)
    throw new MigrateError(`cannot tell the input shape of ${model}`, {
      hint: 'pass --input-shape, e.g. 1x4',
    });
  return meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
}
