import { LineCounter, parseDocument } from 'yaml';
import type { SourceRef, Workload } from '../../../core/model/index.ts';
import type { ManifestObject } from '../../sources/index.ts';
import { integer, type Json, list, record, stringMap, text } from './fields.ts';
import { getPath } from './resources.ts';

type Path = readonly (string | number)[];

export interface ServeDeployment {
  app: string;
  name: string;
  autoscaling: Json | null;
  maxOngoingRequests: number | null;
  numGpus: number | null;
  tensorParallel: number | null;
  source: SourceRef;
}

export interface ServeConfig {
  applications: { name: string; importPath: string | null }[];
  deployments: ServeDeployment[];
  model: { uri: string; source: SourceRef } | null;
  notes: Workload['notes'];
}

/** Env vars of a Serve app's runtime_env that name the model it loads. */
const MODEL_ENV = ['MODEL_ID', 'MODEL_NAME', 'HF_MODEL_ID', 'MODEL'];
/** Embedded YAML is small; this bounds alias expansion like the outer parser does. */
const MAX_ALIAS_COUNT = 100;

/**
 * A RayService's `serveConfigV2` is a Ray Serve config held as a YAML string. It is parsed here; a broken
 * string becomes a note, never an exception. Lines inside a block scalar map one-to-one to file lines.
 */
export function readServeConfig(object: ManifestObject, path: Path): ServeConfig | null {
  const raw = text(getPath(object.obj, path));
  if (raw === null) return null;
  const keySource = object.locate(path);
  const result: ServeConfig = { applications: [], deployments: [], model: null, notes: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(raw, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = keySource.line + (first.linePos?.[0].line ?? 0);
    result.notes.push({
      message: `serveConfigV2 is not valid YAML (${first.code}: ${first.message.split('\n')[0]}); its applications were not read`,
      source: { ...keySource, line },
    });
    return result;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    result.notes.push({
      message: `serveConfigV2 could not be read: ${(error as Error).message}`,
      source: keySource,
    });
    return result;
  }
  const multiline = raw.includes('\n');
  const locate = (inner: Path): SourceRef => {
    const node = doc.getIn(inner, true) as { range?: [number, number, number] } | undefined;
    const offset = multiline ? node?.range?.[0] : undefined;
    const line = offset === undefined ? keySource.line : keySource.line + lineCounter.linePos(offset).line;
    return { file: keySource.file, line, field: `${path.join('.')} → ${inner.join('.')}` };
  };
  list(record(value).applications).forEach((entry, index) => {
    readApplication(record(entry), ['applications', index], locate, result);
  });
  return result;
}

function readApplication(
  app: Json,
  path: Path,
  locate: (inner: Path) => SourceRef,
  result: ServeConfig,
): void {
  const name = text(app.name) ?? `app-${String(path[path.length - 1])}`;
  result.applications.push({ name, importPath: text(app.import_path) });
  const env = stringMap(record(app.runtime_env).env_vars);
  const envModel = MODEL_ENV.find((key) => env[key]);
  if (envModel && !result.model)
    result.model = { uri: env[envModel]!, source: locate([...path, 'runtime_env', 'env_vars', envModel]) };
  const args = record(app.args);
  for (const key of ['model_id', 'model', 'model_name']) {
    if (text(args[key]) && !result.model)
      result.model = { uri: text(args[key])!, source: locate([...path, 'args', key]) };
  }
  // Ray Serve LLM apps (ray.serve.llm) describe each model in args.llm_configs.
  list(args.llm_configs).forEach((entry, index) => {
    const config = record(entry);
    const loading = record(config.model_loading_config);
    const configPath = [...path, 'args', 'llm_configs', index];
    const source = text(loading.model_source) ?? text(loading.model_id);
    if (source && !result.model) {
      result.model = {
        uri: source,
        source: locate([
          ...configPath,
          'model_loading_config',
          loading.model_source ? 'model_source' : 'model_id',
        ]),
      };
    }
    const deployment = record(config.deployment_config);
    result.deployments.push({
      app: name,
      name: text(loading.model_id) ?? `llm-${index}`,
      autoscaling: deployment.autoscaling_config ? record(deployment.autoscaling_config) : null,
      maxOngoingRequests: integer(deployment.max_ongoing_requests),
      numGpus: null,
      tensorParallel: integer(record(config.engine_kwargs).tensor_parallel_size),
      source: locate([...configPath, 'deployment_config']),
    });
  });
  list(app.deployments).forEach((entry, index) => {
    const deployment = record(entry);
    result.deployments.push({
      app: name,
      name: text(deployment.name) ?? `deployment-${index}`,
      autoscaling: deployment.autoscaling_config ? record(deployment.autoscaling_config) : null,
      // max_concurrent_queries is the pre-2.10 name of max_ongoing_requests.
      maxOngoingRequests:
        integer(deployment.max_ongoing_requests) ?? integer(deployment.max_concurrent_queries),
      numGpus: integer(record(deployment.ray_actor_options).num_gpus),
      tensorParallel: null,
      source: locate([...path, 'deployments', index]),
    });
  });
}
