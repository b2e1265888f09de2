import { AZURE_FLEX_MAX_MEMORY_BYTES, STAY_THRESHOLDS } from '../../core/limits/targets.ts';
import { type Finding, MODEL_SIZE_ANNOTATION, type SourceRef } from '../../core/model/index.ts';
import { parseBytes, QuantityError } from '../../core/quantity.ts';
import { at, bytes, count, possessive, reporter, sourceOf, targetIds } from './format.ts';
import type { Rule } from './types.ts';

export { MODEL_SIZE_ANNOTATION };

/** "…-70B-…", "gemma-7b": a parameter count in the model name, for the hint in the unknown-size message. */
const PARAMETERS = /(?:^|[-_/.])(\d+(?:\.\d+)?)[bB](?:$|[-_/.])/;

/**
 * Models over 5 GB stay on the cluster (decision-rules.md); smaller ones must still fit each target's
 * artifact and memory limits (platform-facts.md e.1, f, g). A PVC's requested size is only an upper bound.
 */
export const modelSize: Rule = {
  id: 'model-size',
  title: 'Model size',
  description:
    'Compares the model size with the 5 GB stay threshold and each target’s artifact and memory limits.',
  check(workload, context) {
    const say = reporter(this.id);
    const model = workload.ml.model;
    const raw = workload.annotations[MODEL_SIZE_ANNOTATION];
    const field = `metadata.annotations.${MODEL_SIZE_ANNOTATION}`;
    const annotated: SourceRef | null = workload.sources[0] ? { ...workload.sources[0], field } : null;
    let size = model?.sizeBytes ?? null;
    let source = sourceOf(workload, model?.sizeSource, model?.source);
    let upperBound = model?.sizeEvidence === 'pvc';
    if (raw !== undefined && (size === null || upperBound)) {
      try {
        [size, source, upperBound] = [parseBytes(raw), annotated, false];
      } catch (error) {
        if (!(error instanceof QuantityError)) throw error;
        return [
          say.info(`${field}: "${raw}"${at(annotated)} is not a size; write it like 3Gi or 500M`, annotated),
        ];
      }
    }
    if (!workload.ml.isModelServer && raw === undefined) return [];
    const name = model?.uri ? `model ${model.uri}` : 'the model';
    if (size === null) {
      const parameters = model?.uri ? PARAMETERS.exec(model.uri)?.[1] : undefined;
      const hint = parameters
        ? `; its name suggests ${parameters}B parameters, about ${Number(parameters) * 2} GB at 16 bits each`
        : '';
      const message = `size of ${name}${at(source)} is unknown${hint}; state it with the annotation ${MODEL_SIZE_ANNOTATION} (e.g. "3Gi")`;
      return [say.info(message, source)];
    }
    const what = upperBound
      ? `${name} lives on a PVC that requests ${bytes(size)}${at(source)}, an upper bound and not the model's size`
      : `${name} is ${bytes(size)}${at(source)}`;
    const severity = upperBound ? 'warn' : 'block';
    const restate = upperBound ? `; state the real size with ${MODEL_SIZE_ANNOTATION}` : '';
    if (size > STAY_THRESHOLDS.modelBytes) {
      // decision-rules.md: keep traditional deployment when the model exceeds 5 GB.
      return [
        say.with(severity)(
          `${what}; models over 5 GB stay on the cluster (decision-rules.md)${restate}`,
          source,
        ),
      ];
    }
    const findings: Finding[] = [];
    for (const target of targetIds(context.limits)) {
      const limits = context.limits[target];
      if (size > Math.min(limits.maxArtifactBytes, limits.maxMemoryBytes)) {
        const message = `${what}; ${limits.title} takes at most ${limits.labels.artifact} per artifact and ${limits.labels.memory} of memory${restate}`;
        findings.push(say.with(severity)(message, source, [target]));
      } else if (target === 'azure-functions' && size > AZURE_FLEX_MAX_MEMORY_BYTES) {
        // platform-facts.md g: Flex instances top out at 4,096 MB; Premium EP2/EP3 have 7/14 GB.
        const message = `${what}; over Flex Consumption's largest instance (4,096 MB): only Premium EP2/EP3 fit it`;
        findings.push(say.warn(message, source, [target]));
      } else if (limits.maxPackageBytes !== null && size > limits.maxPackageBytes) {
        // platform-facts.md e.1: zip 250 MB unzipped incl. layers; image 10 GB; /tmp up to 10,240 MB.
        const tmp =
          limits.maxScratchBytes === null
            ? ''
            : ` or load it into /tmp (up to ${count(limits.maxScratchBytes / 2 ** 20)} MB)`;
        const message = `${what}; over ${possessive(limits.title)} ${count(limits.maxPackageBytes / 2 ** 20)} MB zip package limit: ship a container image (up to ${limits.labels.artifact})${tmp}`;
        findings.push(say.info(message, source, [target]));
      }
    }
    return findings;
  },
};
