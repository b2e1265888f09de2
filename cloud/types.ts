/**
 * The contract every cloud target implements for `migrate verify`, `migrate apply` and `migrate measure`
 * (docs/verify.md, docs/apply.md, docs/measure.md). A target is one folder, cloud/<target>/, of the same
 * shape: desired.ts (what `migrate convert` wrote, pure), live.ts (what is deployed, through the SDK),
 * plan.ts (the API calls apply would make, pure), measure.ts (invocations and their timings), index.ts
 * (the CloudTarget below). The shared verbs never see an SDK type.
 */

export type CloudTargetId = 'aws-lambda' | 'cloud-run' | 'azure-functions';

export const CLOUD_TARGETS: readonly CloudTargetId[] = ['aws-lambda', 'cloud-run', 'azure-functions'];

/**
 * The settings verify compares and apply sets. Units are in the names; a target reads and writes the
 * ones its platform has and leaves the others out.
 */
export type SettingName =
  | 'memoryMb'
  | 'cpuMillis'
  | 'concurrency'
  | 'warmInstances'
  | 'maxInstances'
  | 'timeoutSeconds'
  | 'image'
  | 'ephemeralStorageMb'
  | 'architecture'
  | 'plan'
  | 'gpu';

/** `null`: the setting is absent (the platform's default applies). */
export type SettingValue = number | string | null;

export interface DesiredSetting {
  value: SettingValue;
  /** Where `migrate convert` wrote it: `path:line (field)`, so a finding points at the line to read. */
  source: string;
}

/** One workload's emitted configuration for one target, read back from `DIR/<workload>/<target>/`. */
export interface DesiredConfig {
  target: CloudTargetId;
  /** The name it deploys under: Lambda FunctionName, Cloud Run service name, Function App name. */
  name: string;
  /** The folder it was read from. */
  folder: string;
  /** The Kubernetes workload it came from (`namespace/Kind/name`) when the files say, else the folder name. */
  workload: string;
  settings: Partial<Record<SettingName, DesiredSetting>>;
  /**
   * Settings the files hold but apply will not set through the SDK, each with why (secret references
   * that only the deployment engine resolves, resources another tool must create). Listed, never dropped.
   */
  notApplied: { field: string; reason: string }[];
  /** The target's own parsed form, for its plan. Opaque to the shared code. */
  resource: unknown;
}

/** What is deployed now. */
export interface LiveConfig {
  name: string;
  /** ARN, resource name or resource id, as the platform names it. */
  id: string;
  settings: Partial<Record<SettingName, SettingValue>>;
  /** Facts about the deployment a reader wants beside the diff (region, state, URL). */
  facts: Record<string, string>;
  /** The target's own read of it (the API's object), for its plan. Opaque to the shared code. */
  resource?: unknown;
}

/**
 * What `connect` resolved from the SDK chain and the flags — the account the calls go to — so a pure
 * plan can name it in the calls it prints.
 */
export interface ResolvedAccount {
  region?: string;
  /** Google Cloud project. */
  project?: string;
  /** AWS account id. */
  accountId?: string;
  /** Azure subscription id. */
  subscription?: string;
}

/** One SDK call apply makes, printed before it is made. */
export interface ApiCall {
  /** `lambda:UpdateFunctionConfiguration`, `run.services.patch`, `web.sites.createOrUpdate`. */
  operation: string;
  /** One line for the reader: what changes. */
  summary: string;
  /** The request as sent. Secret references stay references; no secret value is ever in here. */
  input: Record<string, unknown>;
}

/** Flags common to the cloud verbs; each target uses what it needs and says which are missing. */
export interface CloudFlags {
  /** AWS region, Cloud Run location (region); default from the SDK chain where it has one. */
  region: string | null;
  /** Google Cloud project; default from the SDK chain (ADC, GOOGLE_CLOUD_PROJECT). */
  project: string | null;
  /** Azure subscription id; default AZURE_SUBSCRIPTION_ID. */
  subscription: string | null;
  /** Azure resource group. */
  resourceGroup: string | null;
  /**
   * `--endpoint URL`: the API endpoint instead of the public one (LocalStack, emulators, sovereign
   * clouds, and the tests' local servers).
   */
  endpoint: string | null;
  /** `--ca-file`: extra CA certificates (PEM) to trust for the API endpoint. */
  caFile: string | null;
  /** Per-call timeout. */
  requestTimeoutMs: number;
  /** apply only: values the files cannot supply (Lambda `--role`, `--image`). */
  extra: Record<string, string>;
}

export interface MeasureOptions {
  /** Requests to send in all. */
  requests: number;
  /** Requests in flight at once: each burst of this size from idle meets as many new instances. */
  concurrency: number;
  /** Request body (JSON text) for every request; null sends the target's empty default. */
  payload: string | null;
  /** HTTP path for HTTP targets (Cloud Run, Azure Functions); default the service root or the function route. */
  path: string | null;
  progress(done: number, total: number): void;
}

/** Raw figures from a measurement; the shared code turns them into the calibration file. */
export interface MeasureSamples {
  /** Per cold request: the time its new instance added (Lambda Init Duration; elsewhere first-request time minus the warm median). */
  coldStartMs: number[];
  /** Per warm request: service time (Lambda REPORT Duration; elsewhere client-measured time). */
  serviceMs: number[];
  /** Requests that failed, by reason (`throttled`, `FunctionError: Unhandled`, `HTTP 503`). */
  failures: Record<string, number>;
  /** CPU the instance had, when known (Lambda: memory ÷ 1,769 MB per vCPU), for measuredAtCpuMillis. */
  cpuMillis: number | null;
  /** One sentence: how cold and warm were told apart and what the times include. */
  method: string;
  /** Facts for the file's `source` (function ARN, region, memory, URL). */
  facts: Record<string, string | number>;
}

/**
 * A target. `Session` is the target's SDK clients, built once per run by `connect` from the SDK's
 * standard credential chain: nothing is read from or written to disk by us, nothing is printed.
 */
export interface CloudTarget<Session = unknown> {
  id: CloudTargetId;
  /** The file in `DIR/<workload>/<target>/` that holds the deployable configuration. */
  configFile: string;
  /** Parses the emitted files (read through `read`, null for a missing file). Pure; errors name file:line. */
  readDesired(folder: string, read: (path: string) => Promise<string | null>): Promise<DesiredConfig>;
  connect(flags: CloudFlags): Promise<Session>;
  /** The deployed configuration, or null when nothing of that name exists. */
  readLive(session: Session, name: string): Promise<LiveConfig | null>;
  /** The account `connect` resolved, for planApply. */
  resolved(session: Session): ResolvedAccount;
  /** The calls that make `live` match `desired` (create when `live` is null). Pure; never a delete. */
  planApply(
    desired: DesiredConfig,
    live: LiveConfig | null,
    flags: CloudFlags,
    /** What `resolved(session)` returned; apply always passes it, a plan made without a session has none. */
    resolved?: ResolvedAccount,
  ): ApiCall[];
  execute(session: Session, call: ApiCall): Promise<void>;
  measure(session: Session, name: string, options: MeasureOptions): Promise<MeasureSamples>;
  close(session: Session): void;
}
