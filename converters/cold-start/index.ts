/**
 * Cold-start mitigation shared by every target: warm capacity sized from traffic (Little's law) and
 * priced, the recommendations of decision-rules.md's catalogue, and the seam to the handler scaffolds.
 */
export { HOURS_PER_MONTH, type WarmPrice, type WarmSize, warmCapacityPrice } from './price.ts';
export { cacheLayer, loadOnce, mb, modelFramework, quantizeOrOnnx } from './recommendations.ts';
export { checkedFiles, loadScaffoldHook } from './scaffold-hook.ts';
export {
  DEFAULT_WARM_QUANTILE,
  minuteRates,
  quantileOf,
  sizeWarmCapacity,
  type WarmCapacity,
  type WarmInput,
} from './size.ts';
