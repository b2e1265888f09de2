import type { SourceRef } from '../../core/model/index.ts';
import { at, commandLine, inComponent, podShapes, prose, reporter, sourceOf } from './format.ts';
import type { Rule } from './types.ts';

/** `torchrun --nnodes 2`, `--nnodes=2:4`: the node count (the maximum of a range). */
const NNODES = /--nnodes[=\s]+(?:\d+:)?(\d+)/;
/** vLLM `--pipeline-parallel-size 2` / `-pp 2`: stages on separate GPUs, usually hosts. */
const PIPELINE = /(?:--pipeline-parallel-size|\s-pp)[=\s]+(\d+)/;

/**
 * One model spread over several GPUs or hosts: LeaderWorkerSet groups, multi-node torchrun, Ray GPU worker
 * groups, tensor or pipeline parallelism. A serverless instance is one host with at most one GPU
 * (Cloud Run, platform-facts.md f), and decision-rules.md keeps GPU-dominated workloads on the cluster.
 */
export const multiHost: Rule = {
  id: 'multi-host',
  title: 'Multi-host or multi-GPU serving',
  description: 'Models sharded over several hosts or GPUs stay on the cluster.',
  check(workload) {
    const reasons: string[] = [];
    const sources: (SourceRef | null)[] = [];
    const add = (what: string, source = sourceOf(workload)) => {
      reasons.push(`${what}${at(source)}`);
      sources.push(source);
    };
    if (workload.ml.multiHost) add(`the ${workload.kind} runs one model across several hosts`);
    const parallel = workload.ml.tensorParallel ?? 1;
    if (parallel > 1)
      add(`tensor parallelism over ${parallel} GPUs`, sourceOf(workload, workload.ml.model?.source));
    for (const shape of podShapes(workload)) {
      for (const container of shape.pod.containers) {
        const line = ` ${commandLine(container)}`;
        const nodes = Number(NNODES.exec(line)?.[1] ?? 0);
        if (nodes > 1) add(`torchrun spans ${nodes} nodes (container ${container.name})`, container.source);
        const stages = Number(PIPELINE.exec(line)?.[1] ?? 0);
        if (stages > 1)
          add(`pipeline parallelism over ${stages} stages (container ${container.name})`, container.source);
      }
      const gpus = shape.resources.gpu.count;
      if (gpus > 1 && parallel <= 1)
        add(`${gpus} GPUs per pod${inComponent(shape)}`, sourceOf(workload, shape.resources.gpu.source));
      const pods = Math.max(shape.replicas ?? 0, shape.maxReplicas ?? 0);
      if (shape.component !== null && gpus > 0 && pods > 1) {
        add(
          `GPU worker group ${shape.component} runs up to ${pods} pods`,
          sourceOf(workload, shape.resources.gpu.source),
        );
      }
    }
    if (reasons.length === 0) return [];
    const message = `multi-host or multi-GPU serving: ${prose(reasons)}; a serverless instance is one host with at most one GPU, so it stays on the cluster`;
    return [reporter(this.id).block(message, sources[0] ?? null)];
  },
};
