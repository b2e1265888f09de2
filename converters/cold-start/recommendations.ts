import type { WorkloadReport } from '../../analyzers/report.ts';
import { formatSource } from '../../core/model/index.ts';
import type { Recommendation } from '../types.ts';

/**
 * Cold-start recommendations every target shares, from the catalogue in decision-rules.md
 * ("Cold-start mitigation catalogue"). Each applies only when the workload's evidence says so, and its
 * reason names that evidence. Target-specific ones (EFS, SnapStart, startup CPU boost…) live with
 * their converter.
 */

/** The model framework as far as the manifests tell: the server, the model format, the image. */
export function modelFramework(workload: WorkloadReport): 'pytorch' | 'tensorflow' | 'onnx' | null {
  const format = (workload.ml.model?.format ?? '').toLowerCase();
  const images = workload.containers.map((container) => (container.image ?? '').toLowerCase()).join(' ');
  const uri = (workload.ml.model?.uri ?? '').toLowerCase();
  if (format.includes('onnx') || uri.endsWith('.onnx')) return 'onnx';
  if (
    ['pytorch', 'torchscript', 'pt'].some((name) => format.includes(name)) ||
    workload.ml.server === 'torchserve' ||
    workload.ml.server === 'kserve-huggingface' ||
    images.includes('torchserve') ||
    uri.includes('torchscript') ||
    uri.includes('torchserve') ||
    // A Hugging Face id run by sentence-transformers or transformers: PyTorch weights by default.
    /(^|\/)sentence-transformers\//.test(uri)
  )
    return 'pytorch';
  if (
    ['tensorflow', 'savedmodel', 'keras'].some((name) => format.includes(name)) ||
    workload.ml.server === 'tf-serving'
  )
    return 'tensorflow';
  return null;
}

/**
 * Quantization or ONNX conversion for PyTorch and TensorFlow models that are large, or whose size is
 * unknown: the article reports quantized models 4–8× smaller and optimised models loading ~10× faster
 * (decision-rules.md; article figures, not measured here).
 */
export function quantizeOrOnnx(
  workload: WorkloadReport,
  large: { bytes: number; label: string },
): Recommendation | null {
  const framework = modelFramework(workload);
  if (framework === null || framework === 'onnx') return null;
  const size = workload.ml.model?.sizeBytes ?? null;
  if (size !== null && size < large.bytes) return null;
  const name = framework === 'pytorch' ? 'PyTorch' : 'TensorFlow';
  const evidence = workload.ml.model?.source ? ` (${formatSource(workload.ml.model.source)})` : '';
  const sized =
    size === null
      ? `its size is unknown${evidence}; if it is over ${large.label}`
      : `it is ${mb(size)}${evidence}, over ${large.label}`;
  return {
    id: 'quantize-onnx',
    title: 'Quantize the model or convert it to ONNX',
    reason: `a ${name} model (server ${workload.ml.server ?? 'unknown'}): ${sized}, an int8 or ONNX Runtime build loads faster and needs less memory — the article behind decision-rules.md reports 4–8× smaller quantized models and ~10× faster loading; measure the accuracy before switching`,
  };
}

/** Load the model once per instance, in start-up code, never per request (decision-rules.md). */
export function loadOnce(initLabel: string): Recommendation {
  return {
    id: 'load-once',
    title: 'Load the model once per instance',
    reason: `load it in module scope (${initLabel}) or lazily into a global, keep a layered cache (memory → local disk → object store), never per request (decision-rules.md, cold-start catalogue)`,
  };
}

const GENERATIVE_SERVERS = new Set(['vllm', 'tgi', 'ollama', 'nim', 'kaito']);

/**
 * A cache in front of the model for inputs that recur. Generative servers are skipped: sampled
 * outputs rarely repeat. The 40 % is the article's claim, not a measurement.
 */
export function cacheLayer(workload: WorkloadReport, how: string): Recommendation | null {
  if (workload.ml.server && GENERATIVE_SERVERS.has(workload.ml.server)) return null;
  return {
    id: 'cache-layer',
    title: 'Cache repeated inputs',
    reason: `${workload.ml.server ?? 'this'} model server returns the same prediction for the same input: if inputs recur, ${how} answers them without running the model (decision-rules.md: the article claims such a layer absorbed 40 % of requests — check your own hit rate)`,
  };
}

export function mb(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20).toLocaleString('en-US')} MB`;
}
