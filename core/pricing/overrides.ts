/**
 * `--prices FILE`: a YAML or JSON file with the same keys as the price data modules, merged over them.
 *
 *   aws-lambda:                    # AWS_LAMBDA_PRICING (core/pricing/aws-lambda.ts)
 *     durationX86UsdPerGbSecond: 0.0000166667
 *   cloud-run:                     # CLOUD_RUN_PRICING
 *     instanceMemoryUsdPerGibSecond: 0.000002
 *     gpuUsdPerHour: { nvidia-l4: 0.71 }      # GPU types are open: new ones may be added
 *   azure-functions:               # AZURE_FUNCTIONS_PRICING
 *     alwaysReadyBaselineUsdPerGbSecond: 0.000004
 *   nodeTypes:                     # NODE_TYPES (core/pricing/nodes.ts), by id
 *     - { id: g6.xlarge, hourlyUsd: 0.7048, priceSource: "our EDP rate, 2026-05" }
 *     - { id: g6.2xlarge, hourlyUsd: 0.9776 }  # a new type needs hourlyUsd
 *
 * Only keys the data has are accepted (a typo is an error naming its line); prices are numbers ≥ 0; a
 * list (price tiers, sizes) is replaced as a whole. Each replaced field is remembered with its file and
 * line, and the lines priced with it say so. Pure: the CLI reads the file and passes the text.
 */

import { DEFAULT_PRICE_BOOK, type NodePrice, type PriceBook } from './calculate-common.ts';
import { type FieldPath, YamlFields } from './usage-file.ts';

const HINT =
  'see docs/price.md#overriding-prices: the keys are those of core/pricing/{aws-lambda,cloud-run,azure-functions,nodes}.ts';
const PLATFORM_KEYS = ['aws-lambda', 'cloud-run', 'azure-functions'] as const;
/** Maps whose keys are open: a --prices file may add entries (a GPU type the data does not list). */
const OPEN_MAPS = ['cloud-run.gpuUsdPerHour'];
/** Identity of a data module: a --prices file cannot change what it is about. */
const FIXED_KEYS = ['target', 'currency', 'plan'];

export function parsePriceOverrides(
  text: string,
  file: string,
  base: PriceBook = DEFAULT_PRICE_BOOK,
): PriceBook {
  const f = YamlFields.parse(text, file, 'the --prices file', HINT);
  f.map([]);
  f.onlyKeys([], [...PLATFORM_KEYS, 'nodeTypes']);
  const overrides: Record<string, string> = { ...base.overrides };
  const where = (path: FieldPath) => `${file}:${f.lineOf(path)}`;
  const book: PriceBook = { ...base, overrides };
  for (const platform of PLATFORM_KEYS) {
    if (f.get([platform]) === undefined) continue;
    const merged = merge(base[platform], [platform], f, (path) => {
      overrides[dotted(path)] = where(path);
    });
    Object.assign(book, { [platform]: merged });
  }
  if (f.get(['nodeTypes']) !== undefined)
    book.nodeTypes = mergeNodeTypes(base.nodeTypes, f, overrides, where);
  return book;
}

function dotted(path: FieldPath): string {
  return path.filter((part) => typeof part === 'string').join('.');
}

function merge(
  baseValue: unknown,
  path: FieldPath,
  f: YamlFields,
  record: (path: FieldPath) => void,
): unknown {
  const value = f.get(path);
  const key = path[path.length - 1];
  if (baseValue === null || typeof baseValue === 'number') {
    if (value === null && baseValue === null) return null;
    const number = f.number(path, { min: 0 });
    record(path);
    return number;
  }
  if (typeof baseValue === 'string') {
    const text = f.string(path);
    if (typeof key === 'string' && FIXED_KEYS.includes(key) && text !== baseValue)
      throw f.fail(path, `cannot be changed (it is ${JSON.stringify(baseValue)})`);
    record(path);
    return text;
  }
  if (Array.isArray(baseValue)) {
    const items = f.list(path);
    const result = items.map((_, index) => mergeListItem(baseValue, [...path, index], f));
    record(path);
    return result;
  }
  if (typeof baseValue === 'object') {
    const base = baseValue as Record<string, unknown>;
    const given = f.map(path);
    const open = OPEN_MAPS.includes(dotted(path));
    if (!open) f.onlyKeys(path, Object.keys(base));
    const result: Record<string, unknown> = { ...base };
    for (const entry of Object.keys(given))
      result[entry] = merge(base[entry] ?? null, [...path, entry], f, record);
    return result;
  }
  throw f.fail(path, 'cannot be overridden');
}

/** One element of a replaced list, shaped like the data's elements; a price in it may be null (not known). */
function mergeListItem(baseList: readonly unknown[], path: FieldPath, f: YamlFields): unknown {
  const template = baseList[0];
  if (typeof template === 'number') return f.number(path, { above: 0 });
  const keys = [...new Set(baseList.flatMap((item) => Object.keys(item as object)))];
  f.onlyKeys(path, keys);
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const value = f.get([...path, key]);
    if (value === undefined) throw f.fail([...path, key], `is missing: each entry needs ${keys.join(', ')}`);
    result[key] = value === null ? null : f.number([...path, key], { min: 0 });
  }
  return result;
}

function mergeNodeTypes(
  base: readonly NodePrice[],
  f: YamlFields,
  overrides: Record<string, string>,
  where: (path: FieldPath) => string,
): NodePrice[] {
  const result = [...base];
  f.list(['nodeTypes']).forEach((_, index) => {
    const at = ['nodeTypes', index];
    f.onlyKeys(at, ['id', 'hourlyUsd', 'minimumBilledSeconds', 'priceSource']);
    const id = f.string([...at, 'id']);
    const existing = result.findIndex((type) => type.id === id);
    const given = f.map(at);
    if (existing < 0 && given.hourlyUsd === undefined)
      throw f.fail(
        [...at, 'hourlyUsd'],
        `is needed for node type ${JSON.stringify(id)}, which the data does not have`,
      );
    const previous = existing >= 0 ? result[existing]! : null;
    const source = where(given.hourlyUsd === undefined ? at : [...at, 'hourlyUsd']);
    const minimumBilledSeconds = f.number(
      [...at, 'minimumBilledSeconds'],
      { min: 0 },
      previous?.minimumBilledSeconds ?? 60,
    );
    const stated = given.priceSource === undefined ? null : f.string([...at, 'priceSource']);
    // A price given here is the user's own figure (their bill, their contract): it counts as primary.
    const node: NodePrice =
      given.hourlyUsd === undefined && previous
        ? { ...previous, minimumBilledSeconds }
        : {
            id,
            hourlyUsd: f.number([...at, 'hourlyUsd'], { min: 0 }),
            minimumBilledSeconds,
            priceSource: stated ? `${stated} (--prices ${source})` : `--prices ${source}`,
            priceConfidence: 'primary',
          };
    overrides[`nodeTypes.${id}`] = source;
    if (existing >= 0) result[existing] = node;
    else result.push(node);
  });
  return result;
}
