import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { findHandler, startServeLocal } from '../loadtests/serve-local/index.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';

export const serveLocalSpec: VerbSpec = {
  name: 'serve-local',
  summary: 'run a Lambda handler scaffold on 127.0.0.1 with a real serverless instance lifecycle',
  usage:
    'migrate serve-local --dir DIR --model model.onnx [--port 0] [--concurrency 1] [--keep-alive-seconds 60] [--min-instances 0] [--max-instances 10] [--out stats.json]',
  description:
    'Serves the aws-lambda handler of a converted target folder (or scaffold dir) on 127.0.0.1. Each instance is a child process that ' +
    'loads the model with onnxruntime-node, so a cold start is a real process start and model load. A request takes a free slot of a warm ' +
    'instance, else starts a new one; at --max-instances it gets 429. Idle instances are reclaimed after --keep-alive-seconds; ' +
    '--min-instances start ahead of traffic. GET /_migrate/stats gives cold starts, instance counts and latency in the run-result ' +
    'format of `migrate loadtest`; the same JSON is written on exit (Ctrl-C). Point `migrate loadtest --url` at it (docs/serve-local.md).',
  positionals: null,
  options: [
    {
      name: 'dir',
      type: 'string',
      value: 'DIR',
      description: 'Folder with src/handler.ts (converted aws-lambda target or scaffold).',
    },
    {
      name: 'model',
      type: 'string',
      value: 'file',
      description: 'The ONNX model each instance loads (MODEL_URI).',
    },
    {
      name: 'port',
      type: 'string',
      value: 'N',
      default: '0',
      description: 'Port on 127.0.0.1; 0 picks a free one.',
    },
    {
      name: 'concurrency',
      type: 'string',
      value: 'N',
      default: '1',
      description: 'Requests one instance serves at once (Lambda: 1).',
    },
    {
      name: 'keep-alive-seconds',
      type: 'string',
      value: 's',
      default: '60',
      description: 'Idle time before an instance is reclaimed.',
    },
    {
      name: 'min-instances',
      type: 'string',
      value: 'N',
      default: '0',
      description: 'Instances started ahead of traffic and kept.',
    },
    {
      name: 'max-instances',
      type: 'string',
      value: 'N',
      default: '10',
      description: 'Instance limit; beyond it requests get 429.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the final stats here on exit (default: stdout).',
    },
  ],
  examples: [
    {
      command: 'migrate serve-local --dir out/aws-lambda --model model.onnx --port 8080 --max-instances 5',
      explanation:
        'Then: migrate loadtest --spike flash --url http://127.0.0.1:8080/ and read GET /_migrate/stats.',
    },
  ],
};

export async function runServeLocal(argv: string[], io: CliIo, stop?: Promise<void>): Promise<number> {
  const { values } = parseVerbArgs(serveLocalSpec, argv);
  const dir = stringOption(values, 'dir');
  const model = stringOption(values, 'model');
  if (!dir || !model) throw usageError('--dir and --model are required', serveLocalSpec.usage);
  const modelPath = resolve(io.cwd, model);
  if (!existsSync(modelPath)) throw usageError(`no model at ${model}`, 'give the .onnx file with --model');
  const minInstances = numberOption(values, 'min-instances', { min: 0, integer: true }) ?? 0;
  const maxInstances = numberOption(values, 'max-instances', { min: 1, integer: true }) ?? 10;
  if (minInstances > maxInstances)
    throw usageError(`--min-instances ${minInstances} is above --max-instances ${maxInstances}`);
  const server = await startServeLocal({
    handler: findHandler(resolve(io.cwd, dir)),
    model: modelPath,
    port: numberOption(values, 'port', { min: 0, integer: true }) ?? 0,
    concurrency: numberOption(values, 'concurrency', { min: 1, integer: true }) ?? 1,
    keepAliveMs: (numberOption(values, 'keep-alive-seconds', { min: 0 }) ?? 60) * 1000,
    minInstances,
    maxInstances,
  });
  io.stderr.write(
    `serve-local: listening on ${server.url}/ (stats: ${server.url}/_migrate/stats); Ctrl-C to stop\n`,
  );
  await (stop ??
    new Promise<void>((resolveStop) => {
      process.once('SIGINT', () => resolveStop());
      process.once('SIGTERM', () => resolveStop());
    }));
  const stats = await server.close();
  const text = `${JSON.stringify(stats, null, 2)}\n`;
  const out = stringOption(values, 'out');
  if (out) await writeFileAtomic(resolve(io.cwd, out), text);
  else io.stdout.write(text);
  return ExitCode.ok;
}
