/**
 * The converter contract. A converter turns one analysed workload (a `WorkloadReport`, as
 * `migrate analyze --format json` prints it) into the files of one target, or says why it cannot.
 * It is a pure function: no fs, no network, no clock. The framework (`converters/common/run.ts`)
 * honours the analysis' blockers, renders MIGRATION.md from the result and hands files to the CLI.
 *
 * A new target is one folder `converters/<target>/` exporting a `Converter` and one line in
 * `converters/index.ts`. Copy `converters/aws-lambda/` and keep its shape.
 */
import type { WorkloadReport } from '../analyzers/report.ts';
import type { RelatedObject, SourceRef, TargetId } from '../core/model/index.ts';
import type { TrafficProfile } from '../core/traffic/index.ts';
import type { WarmPrice } from './cold-start/price.ts';
import type { WarmCapacity } from './cold-start/size.ts';

export type { TargetId };

export type ConversionStatus = 'converted' | 'blocked' | 'not-implemented';

/** A file to write, relative to `<out>/<workload-slug>/<target>/`. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/**
 * One emitted setting and where its value came from: a manifest field (file:line), a traffic
 * statistic, a platform default or limit with its source. These are the rows of MIGRATION.md's table.
 */
export interface SettingRow {
  /** As the emitted config spells it: `MemorySize`, `Environment.Variables.HF_TOKEN`. */
  name: string;
  value: string;
  source: string;
  /** Where the value sits in the main template, so the YAML can carry the source as a comment. */
  path?: (string | number)[];
}

/** Something the pod had that the target does not get, and what to do about it. */
export interface NotCarried {
  what: string;
  source: SourceRef | null;
  action: string;
}

export interface Recommendation {
  /** Stable id: `quantize-onnx`, `efs-for-model`, `snapstart`, `cache-layer`, … */
  id: string;
  title: string;
  /** Why it applies to this workload, naming the evidence. */
  reason: string;
}

/** Why a target is blocked: an analysis finding (rule id) or the converter's own check. */
export interface BlockReason {
  rule: string;
  message: string;
  source: SourceRef | null;
}

/** A name made valid for the target, with the original kept for the reviewer. */
export interface NameMapping {
  /** What the name is: `Lambda function name`, `CloudFormation logical ID`, … */
  kind: string;
  original: string;
  emitted: string;
  /** The rule it had to satisfy, with its source. */
  rule: string;
}

/** Warm capacity as the target calls it, how many, why, and what it costs. */
export interface WarmResult {
  /** `provisioned concurrency`, `min instances`, `always-ready instances`. */
  term: string;
  capacity: WarmCapacity;
  price: WarmPrice | null;
}

export interface ConversionResult {
  status: ConversionStatus;
  /** Files of the target (template.yaml, serverless.yml, …); MIGRATION.md is added by the framework. */
  files: GeneratedFile[];
  settings: SettingRow[];
  names: NameMapping[];
  /** Warm capacity (provisioned concurrency, min instances, always-ready), sized by converters/cold-start. */
  warm: WarmResult | null;
  notCarried: NotCarried[];
  recommendations: Recommendation[];
  /** Blocked or not implemented: why. */
  reasons: BlockReason[];
  /** Blocked: what to do instead. */
  alternatives: string[];
  /** Things the reviewer must know that are not a setting (image rebuild, secrets to create, …). */
  notes: string[];
  /** Converted: how to deploy and roll back, as commands or steps. */
  deploy: { steps: string[]; rollback: string[] } | null;
}

/**
 * Handler scaffolds from converters/cold-start/scaffolds (an onnxruntime-node handler per target): the
 * files of a package that serves the ONNX model at `modelUri`. The CLI passes null when that module is
 * not in the build, and converters say so in their notes.
 */
export type ScaffoldHook = (target: TargetId, options: { modelUri?: string }) => GeneratedFile[];

export interface ConvertContext {
  /** Objects the analysis linked to this workload: Services, autoscalers, Secrets and ConfigMaps (key names only), PVCs. */
  related: RelatedObject[];
  /** The workload's traffic (`--traffic`, `--spike`, `--prometheus`), or null. */
  traffic: TrafficProfile | null;
  /** `--service-ms`: service time per request when the traffic carries none. */
  serviceMs: number | null;
  /** `--warm-quantile`: the quantile of the 1-minute request rates that warm capacity covers. */
  warmQuantile: number;
  scaffolds: ScaffoldHook | null;
  /** migrate's version, for file headers. */
  version: string;
}

export interface Converter {
  id: TargetId;
  title: string;
  /** The docs page of the target: every mapping in one table. */
  docs: string;
  /** Only called for workloads the analysis does not block for this target. */
  convert(workload: WorkloadReport, context: ConvertContext): ConversionResult;
}
