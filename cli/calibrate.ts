import { cpus } from 'node:os';
import { basename, resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import {
  calibrationFile,
  measureModel,
  parseInputShape,
  parseThreads,
} from '../loadtests/calibrate/index.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { listOption, numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import { VERSION } from './version.ts';

export const calibrateSpec: VerbSpec = {
  name: 'calibrate',
  summary: 'measure an ONNX model with onnxruntime-node and write a calibration file for replay',
  usage:
    'migrate calibrate model.onnx [--threads 1,2,4] [--input-shape 1x4] [--runs 200] [--cold-runs 5] [--out calibration.json]',
  description:
    'Times the model on this machine with onnxruntime-node, once per intraOpNumThreads setting: session creation and the first ' +
    'inference on a fresh session (together the cold start an instance adds), then --runs warm inferences (the service time). ' +
    'Writes a calibration file `migrate replay --calibration` reads: serviceMs samples, coldStartMs p50/p99 and measuredAtCpuMillis ' +
    'from the first --threads value, every setting under `measurements` (docs/calibrate.md). The input is synthetic float32 data of ' +
    '--input-shape (default: the model input with symbolic dimensions set to 1).',
  positionals: 'model.onnx',
  options: [
    {
      name: 'threads',
      type: 'string',
      value: 'list',
      default: '1',
      description: 'intraOpNumThreads settings to measure; the first is what replay uses.',
    },
    {
      name: 'input-shape',
      type: 'string',
      value: 'AxB…',
      description: 'Shape of the float32 input, e.g. 1x4.',
    },
    { name: 'runs', type: 'string', value: 'N', default: '200', description: 'Warm inferences per setting.' },
    {
      name: 'cold-runs',
      type: 'string',
      value: 'N',
      default: '5',
      description: 'Fresh sessions (creation + first inference) per setting.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the calibration file here (default: stdout).',
    },
  ],
  examples: [
    {
      command: 'migrate calibrate model.onnx --threads 1,2,4 --out calibration.json',
      explanation: 'Measure at 1, 2 and 4 threads; replay with --calibration calibration.json uses 1 thread.',
    },
  ],
};

export async function runCalibrate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(calibrateSpec, argv);
  if (positionals.length !== 1)
    throw usageError('migrate calibrate takes one model file', 'migrate calibrate model.onnx');
  const model = resolve(io.cwd, positionals[0]!);
  const threads = parseThreads(listOption(values, 'threads'));
  if (threads.length === 0) throw usageError('--threads is empty', 'for example --threads 1,2,4');
  const shapeText = stringOption(values, 'input-shape');
  const runs = numberOption(values, 'runs', { min: 1, integer: true }) ?? 200;
  const coldRepetitions = numberOption(values, 'cold-runs', { min: 1, integer: true }) ?? 5;
  const measured = await measureModel({
    model,
    threads,
    ...(shapeText ? { inputShape: parseInputShape(shapeText) } : {}),
    runs,
    coldRepetitions,
  });
  const host = cpus();
  const file = calibrationFile(measured.measurements, {
    model: basename(model),
    inputShape: measured.inputShape,
    runs,
    coldRepetitions,
    tool: `migrate ${VERSION}`,
    host: {
      cpus: host.length,
      cpuModel: host[0]?.model.trim() ?? 'unknown',
      platform: `${process.platform}-${process.arch}`,
      node: process.version,
    },
    measuredAt: new Date().toISOString(),
  });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const out = stringOption(values, 'out');
  if (out) {
    await writeFileAtomic(resolve(io.cwd, out), text);
    for (const row of file.measurements)
      io.stderr.write(
        `threads ${row.threads}: cold start p50 ${row.coldStartMs.p50} ms (session ${row.sessionCreateMs.p50} + first run ${row.firstInferenceMs.p50}), warm p50 ${row.serviceMs.p50} ms p99 ${row.serviceMs.p99} ms\n`,
      );
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
  return ExitCode.ok;
}
