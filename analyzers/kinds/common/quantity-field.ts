import { parseQuantityValue, QuantityError } from '../../../core/quantity.ts';
import type { ManifestObject } from '../../sources/index.ts';
import type { ReadContext } from '../types.ts';
import { text } from './fields.ts';

/** A metric target (`7000000m`, `80`, `"1.5"`) as a number, or null with the bad value reported. */
export function metricValue(
  raw: unknown,
  object: ManifestObject,
  path: readonly (string | number)[],
  context: ReadContext,
): number | null {
  const value = text(raw);
  if (value === null) return null;
  try {
    return parseQuantityValue(value);
  } catch (error) {
    if (!(error instanceof QuantityError)) throw error;
    context.reportError(object.locate(path), `${path.join('.')}: ${error.message}`);
    return null;
  }
}
