import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MigrateError, usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { DEFAULT_PRICE_BOOK, priceUsage } from '../core/pricing/calculator.ts';
import { parsePriceOverrides } from '../core/pricing/overrides.ts';
import { parseUsageFile } from '../core/pricing/usage-file.ts';
import { priceJson } from '../reports/price/json.ts';
import { priceTable } from '../reports/price/table.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { parseVerbArgs, stringOption, type VerbSpec } from './options.ts';

export const priceSpec: VerbSpec = {
  name: 'price',
  summary:
    'price a usage file (Lambda, Cloud Run, Azure Functions or Kubernetes nodes), line by line, with sources',
  usage: 'migrate price --usage FILE [--format json|table] [--prices FILE] [--out FILE]',
  description:
    'Prices what a platform was used for over a period — invocations and their duration, provisioned concurrency, ' +
    'vCPU- and GiB-seconds, executions, always-ready instances, node-hours — with the price data in core/pricing ' +
    "(each price with its source and date) and each provider's billing rules: rounding, minimums, free tiers. " +
    'Prints {platform, currency, totalUsd, lines: [{item, quantity, unit, unitPriceUsd, usd}]} and notes. A price ' +
    'that is not confirmed is never guessed: its line is left out and a note says how much usage it would have priced. ' +
    '--prices merges a YAML or JSON file with the same keys as the price data over it. The file format is in docs/price.md.',
  positionals: null,
  options: [
    {
      name: 'usage',
      short: 'u',
      type: 'string',
      value: 'file',
      description: 'The usage file (YAML or JSON; `-` reads stdin). Required.',
    },
    {
      name: 'prices',
      type: 'string',
      value: 'file',
      description:
        'A YAML or JSON file of prices merged over the built-in ones (same keys as core/pricing/*.ts).',
    },
    {
      name: 'format',
      short: 'f',
      type: 'string',
      value: 'format',
      choices: ['table', 'json'],
      description: 'Output format. Default: table on a terminal, json otherwise.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the output to this file (atomically) instead of stdout.',
    },
  ],
  examples: [
    {
      command: 'migrate price --usage examples/usage/aws-lambda-provisioned.yaml',
      explanation: "The Lambda pricing page's provisioned-concurrency example 1: $19.96.",
    },
    {
      command: 'migrate price --usage usage.yaml --prices my-prices.yaml --format json',
      explanation: 'With your own prices (a contract rate, a GPU price) merged over the built-in ones.',
    },
  ],
};

export async function runPrice(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(priceSpec, argv);
  const usageFile = stringOption(values, 'usage');
  if (!usageFile)
    throw usageError(
      '--usage FILE is required',
      'see docs/price.md#the-usage-file for the format and examples',
    );
  const pricesFile = stringOption(values, 'prices') ?? null;
  const book = pricesFile
    ? parsePriceOverrides(await readText(pricesFile, io), pricesFile, DEFAULT_PRICE_BOOK)
    : DEFAULT_PRICE_BOOK;
  const usage = parseUsageFile(await readText(usageFile, io), usageFile, {
    nodeTypeIds: book.nodeTypes.map((type) => type.id),
    flexInstanceMemoryMb: book['azure-functions'].flexInstanceMemoryMb,
  });
  const result = priceUsage(usage, book);
  const format = stringOption(values, 'format') ?? (io.stdout.isTTY ? 'table' : 'json');
  const rendered =
    format === 'json'
      ? `${JSON.stringify(priceJson(result, { usageFile, pricesFile }), null, 2)}\n`
      : priceTable(result);
  const out = stringOption(values, 'out');
  if (out) await writeFileAtomic(out, rendered);
  else io.stdout.write(rendered);
  return ExitCode.ok;
}

async function readText(path: string, io: CliIo): Promise<string> {
  if (path === '-') return io.readStdin();
  return readFile(resolve(io.cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new MigrateError(
      `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
}
