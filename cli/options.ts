import { parseArgs } from 'node:util';
import { usageError } from '../core/errors.ts';

/**
 * One declaration per flag gives the parser its config, `--help` its text and docs their table, so the
 * three cannot drift apart.
 */
export interface OptionSpec {
  name: string;
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown as `--name <value>` in help. */
  value?: string;
  description: string;
  default?: string | boolean;
  choices?: readonly string[];
}

export interface VerbSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  options: OptionSpec[];
  examples: { command: string; explanation: string }[];
  /** Positional arguments: a short description for help; `null` means the verb takes none. */
  positionals: string | null;
}

export const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.' },
];

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseVerbArgs(spec: VerbSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const option of [...spec.options, ...COMMON_OPTIONS]) {
    options[option.name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(
      `${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}`,
      `run \`migrate ${spec.name} --help\` for the flags it takes`,
    );
  }
  const values = parsed.values as ParsedArgs['values'];
  for (const option of spec.options) {
    const value = values[option.name];
    if (option.choices && typeof value === 'string' && !option.choices.includes(value)) {
      throw usageError(
        `--${option.name} must be one of ${option.choices.join(', ')}; got ${JSON.stringify(value)}`,
      );
    }
    if (value === undefined && option.default !== undefined) values[option.name] = option.default;
  }
  if (spec.positionals === null && parsed.positionals.length > 0) {
    throw usageError(
      `migrate ${spec.name} takes no positional arguments; got ${parsed.positionals.join(' ')}`,
    );
  }
  return { values, positionals: parsed.positionals };
}

export function formatVerbHelp(spec: VerbSpec): string {
  const lines = [
    `migrate ${spec.name} — ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    wrap(spec.description, 100),
    '',
    'Options:',
  ];
  const rows = [...spec.options, ...COMMON_OPTIONS].map((option) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}--${option.name}${option.type === 'string' ? ` <${option.value ?? 'value'}>` : ''}`;
    const extra = [
      option.choices ? `one of: ${option.choices.join(', ')}` : null,
      option.default !== undefined && option.default !== false ? `default: ${option.default}` : null,
      option.multiple ? 'repeatable' : null,
    ].filter(Boolean);
    return [flag, `${option.description}${extra.length ? ` (${extra.join('; ')})` : ''}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  for (const [flag, text] of rows) {
    const wrapped = wrap(text, 100 - width - 2).split('\n');
    lines.push(`  ${flag.padEnd(width)}${wrapped[0]}`);
    for (const rest of wrapped.slice(1)) lines.push(`  ${' '.repeat(width)}${rest}`);
  }
  if (spec.examples.length) {
    lines.push('', 'Examples:');
    for (const example of spec.examples) lines.push(`  ${example.command}`, `      ${example.explanation}`);
  }
  lines.push(
    '',
    'Exit codes: 0 success, 1 a --fail-on condition met, 2 bad input or usage, 3 internal error.',
  );
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const words = paragraph.split(' ');
      const lines: string[] = [];
      let current = '';
      for (const word of words) {
        if (current && current.length + word.length + 1 > width) {
          lines.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

export function stringOption(values: ParsedArgs['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(values: ParsedArgs['values'], name: string): string[] {
  const value = values[name];
  if (Array.isArray(value))
    return value
      .flatMap((entry) => entry.split(','))
      .map((entry) => entry.trim())
      .filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  return [];
}

export function numberOption(
  values: ParsedArgs['values'],
  name: string,
  constraint: { min?: number; integer?: boolean } = {},
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    !Number.isFinite(value) ||
    (constraint.integer && !Number.isInteger(value)) ||
    (constraint.min !== undefined && value < constraint.min)
  ) {
    throw usageError(
      `--${name} must be a ${constraint.integer ? 'whole ' : ''}number${constraint.min !== undefined ? ` ≥ ${constraint.min}` : ''}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
