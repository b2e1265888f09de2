import { MigrateError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { analyzeSpec, runAnalyze } from './analyze.ts';
import { applySpec, runApply } from './apply.ts';
import { calibrateSpec, runCalibrate } from './calibrate.ts';
import { convertSpec, runConvert } from './convert.ts';
import { importK6Spec, runImportK6 } from './import-k6.ts';
import { type CliIo, processIo } from './io.ts';
import { k6Spec, runK6 } from './k6.ts';
import { loadtestSpec, runLoadtestVerb } from './loadtest.ts';
import { measureSpec, runMeasure } from './measure.ts';
import { formatVerbHelp, type VerbSpec } from './options.ts';
import { priceSpec, runPrice } from './price.ts';
import { replaySpec, runReplayVerb } from './replay.ts';
import { reportSpec, runReport } from './report.ts';
import { runRun, runSpec } from './run.ts';
import { runServeLocal, serveLocalSpec } from './serve-local.ts';
import { runTraffic, trafficSpec } from './traffic.ts';
import { runVerify, verifySpec } from './verify.ts';
import { VERSION } from './version.ts';

interface Verb {
  spec: VerbSpec;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Every verb, one line each. A verb is one file in cli/: its spec (flags, help) and its run function. */
const VERBS: Verb[] = [
  { spec: analyzeSpec, run: runAnalyze },
  { spec: convertSpec, run: runConvert },
  { spec: trafficSpec, run: runTraffic },
  { spec: replaySpec, run: runReplayVerb },
  { spec: loadtestSpec, run: runLoadtestVerb },
  { spec: k6Spec, run: runK6 },
  { spec: calibrateSpec, run: runCalibrate },
  { spec: importK6Spec, run: runImportK6 },
  { spec: serveLocalSpec, run: runServeLocal },
  { spec: priceSpec, run: runPrice },
  { spec: runSpec, run: runRun },
  { spec: reportSpec, run: runReport },
  { spec: verifySpec, run: runVerify },
  { spec: applySpec, run: runApply },
  { spec: measureSpec, run: runMeasure },
];

export function formatMainHelp(): string {
  const width = Math.max(...VERBS.map((verb) => verb.spec.name.length)) + 2;
  return [
    `migrate ${VERSION} — move model-serving workloads from Kubernetes to serverless, with evidence`,
    '',
    'Usage: migrate <verb> [options]',
    '',
    'Verbs:',
    ...VERBS.map((verb) => `  ${verb.spec.name.padEnd(width)}${verb.spec.summary}`),
    '',
    "Run `migrate <verb> --help` for a verb's flags and examples. Docs: docs/README.md.",
    'Start here:  migrate analyze examples/k8s',
    '',
    'Exit codes: 0 success, 1 a --fail-on condition met, 2 bad input or usage, 3 internal error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? VERBS.find((verb) => verb.spec.name === rest[0]) : undefined;
    io.stdout.write(topic ? formatVerbHelp(topic.spec) : formatMainHelp());
    return name === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const verb = VERBS.find((entry) => entry.spec.name === name);
  if (!verb) {
    io.stderr.write(
      `migrate: unknown verb ${JSON.stringify(name)}. Verbs: ${VERBS.map((entry) => entry.spec.name).join(', ')}. Run \`migrate --help\`.\n`,
    );
    return ExitCode.badInput;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(formatVerbHelp(verb.spec));
    return ExitCode.ok;
  }
  try {
    return await verb.run(rest, io);
  } catch (error) {
    if (error instanceof MigrateError) {
      io.stderr.write(`migrate ${name}: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
      return error.exitCode;
    }
    io.stderr.write(
      `migrate ${name}: internal error: ${(error as Error).stack ?? String(error)}\nThis is a bug in migrate; please report it with the command you ran.\n`,
    );
    return ExitCode.internal;
  }
}
