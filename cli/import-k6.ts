import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { importK6 } from '../loadtests/k6/import.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { parseVerbArgs, stringOption, type VerbSpec } from './options.ts';

export const importK6Spec: VerbSpec = {
  name: 'import-k6',
  summary: "turn k6's summary or JSON output into migrate's live run results",
  usage: 'migrate import-k6 summary.json | points.json [--target NAME] [--out results.json]',
  description:
    'Reads what k6 wrote after running a `migrate k6` script — the --summary-export file, the data a handleSummary wrote, or ' +
    'NDJSON from --out json=FILE — and writes the run-result JSON of `migrate loadtest` (kind "live", runs[] per target tag with ' +
    'requests and latencyMs), so a k6 run and a simulated replay can be compared side by side (docs/k6.md#importing-k6-results).',
  positionals: 'file',
  options: [
    {
      name: 'target',
      type: 'string',
      value: 'NAME',
      default: 'k6',
      description: 'Name of the run when the results carry no target tag.',
    },
    { name: 'out', short: 'o', type: 'string', value: 'file', description: 'Write here (default: stdout).' },
  ],
  examples: [
    {
      command: 'k6 run --summary-export=summary.json script.js && migrate import-k6 summary.json',
      explanation: 'One run per target with p50…p99 from the summary (migrate k6 scripts ask k6 for p(99)).',
    },
    {
      command: 'k6 run --out json=points.json script.js && migrate import-k6 points.json --out live.json',
      explanation: 'Exact quantiles, status codes and drops per target from every sample.',
    },
  ],
};

export async function runImportK6(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs(importK6Spec, argv);
  if (positionals.length !== 1) throw usageError('migrate import-k6 takes one file', importK6Spec.usage);
  const path = resolve(io.cwd, positionals[0]!);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new MigrateError(
      `cannot read ${positionals[0]}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  const results = importK6(text, positionals[0]!, { defaultTarget: stringOption(values, 'target') ?? 'k6' });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const out = stringOption(values, 'out');
  if (out) {
    await writeFileAtomic(resolve(io.cwd, out), json);
    io.stderr.write(`wrote ${out} (${results.runs.length} run(s))\n`);
  } else io.stdout.write(json);
  for (const note of results.notes) io.stderr.write(`note: ${note}\n`);
  return ExitCode.ok;
}
