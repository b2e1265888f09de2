import type { WorkloadReport } from '../../analyzers/report.ts';
import { modelFramework } from '../cold-start/recommendations.ts';
import { mainContainers } from '../common/environment.ts';
import type { ConvertContext, GeneratedFile } from '../types.ts';
import { type ModelPlacement, scaffoldModelUri } from './model.ts';
import { FACTS } from './sizing.ts';

/**
 * What the function app runs, and so its runtime (`functionAppConfig.runtime` on Flex, linuxFxVersion
 * on Premium):
 * - `node`: the ONNX handler scaffold (converters/cold-start/scaffolds), when the model is ONNX and the
 *   scaffold can read it (a path on the Azure Files mount, or https://);
 * - `python`: a Python model server: its model moves into a Python function app the reviewer writes;
 * - `custom`: any other server, started by the Functions host as a custom handler that receives the
 *   HTTP requests as they came (enableForwardingHttpRequest).
 * Flex Consumption runs code packages only (no containers), so the pod's image is not used as such.
 */
export type RuntimeName = 'node' | 'python' | 'custom';
export type ScaffoldState = 'missing' | 'not-onnx' | 'unreachable' | 'empty';

export interface Runtime {
  name: RuntimeName;
  version: string;
  /** Premium on Linux names the stack in siteConfig.linuxFxVersion ('' for a custom handler). */
  linuxFxVersion: string;
  source: string;
}

export type Packaging =
  | { kind: 'scaffold'; runtime: Runtime; files: GeneratedFile[]; modelUri: string; original: string | null }
  | {
      kind: 'code';
      runtime: Runtime;
      scaffold: ScaffoldState;
      original: string | null;
      /** Custom handler: the executable and its arguments, from the pod's command. */
      executable: string | null;
      arguments: string[];
      executableSource: string;
    };

/** Microsoft's Flex sample template lists the runtime versions it accepts; the facts list none. */
const SAMPLE =
  'a version the Flex Consumption sample template allows (Azure-Samples/azure-functions-flex-consumption-samples IaC/armtemplate; runtime versions are not in platform-facts.md g)';

export const PYTHON_SERVERS = new Set([
  'kserve-sklearn',
  'kserve-xgboost',
  'kserve-lightgbm',
  'kserve-huggingface',
  'kserve-pmml',
  'mlserver',
  'bentoml',
  'ray-serve',
  'seldon',
]);

/** The executable of servers whose images start it with the pod's flags (the pod often passes flags only). */
const EXECUTABLES: Record<string, string> = {
  triton: 'tritonserver',
  'tf-serving': 'tensorflow_model_server',
  torchserve: 'torchserve',
};

/** The HTTP-port flag of servers whose flags are known: the custom handler must listen where the host forwards. */
const PORT_FLAGS: Record<string, string> = {
  triton: '--http-port',
  'tf-serving': '--rest_api_port',
};

export function packagingFor(
  workload: WorkloadReport,
  model: ModelPlacement,
  context: ConvertContext,
): Packaging {
  const original = mainContainers(workload)[0]?.image ?? null;
  const code = (scaffold: ScaffoldState): Packaging => codePackage(workload, scaffold, original);
  if (!context.scaffolds) return code('missing');
  if (modelFramework(workload) !== 'onnx') return code('not-onnx');
  const modelUri = scaffoldModelUri(model);
  if (modelUri === null) return code('unreachable');
  // The scaffold's host.json is replaced by the converter's, which keeps its extension bundle.
  const files = context
    .scaffolds('azure-functions', { modelUri })
    .filter((file) => file.path !== 'host.json');
  if (files.length === 0) return code('empty');
  return {
    kind: 'scaffold',
    runtime: {
      name: 'node',
      version: '20',
      linuxFxVersion: 'Node|20',
      source: `the ONNX handler scaffold written beside this page (converters/cold-start/scaffolds, docs/scaffolds.md) is a Node.js v4-model function app requiring Node 20 or later (its package.json engines); 20 is ${SAMPLE}`,
    },
    files,
    modelUri,
    original,
  };
}

function codePackage(workload: WorkloadReport, scaffold: ScaffoldState, original: string | null): Packaging {
  const main = mainContainers(workload)[0];
  const server = workload.ml.server ?? 'unknown';
  const python =
    (workload.ml.server !== null && PYTHON_SERVERS.has(workload.ml.server)) ||
    /python/.test(main?.command[0] ?? '');
  if (python)
    return {
      kind: 'code',
      runtime: {
        name: 'python',
        version: '3.11',
        linuxFxVersion: 'Python|3.11',
        source: `the pod runs ${PYTHON_SERVERS.has(server) ? `a Python model server (${server})` : `Python (\`${main?.command.join(' ')}\`)`}: its model moves into a Python function app; 3.11 is ${SAMPLE}`,
      },
      scaffold,
      original,
      executable: null,
      arguments: [],
      executableSource: '',
    };
  const command = customCommand(workload);
  return {
    kind: 'code',
    runtime: {
      name: 'custom',
      version: '1.0',
      linuxFxVersion: '',
      source: `the pod runs ${server === 'unknown' ? 'a server' : server}${original ? ` (${original})` : ''}, neither Node.js nor Python: the Functions host starts it as a custom handler and forwards each HTTP request to it; version 1.0 as Flex custom-handler templates set it (a secondary source; not in ${FACTS}); an empty linuxFxVersion on Premium, as the Functions stack data for custom handlers has it`,
    },
    scaffold,
    original,
    ...command,
  };
}

/** The executable and arguments of the custom handler: the pod's command line, listening where the host forwards. */
function customCommand(workload: WorkloadReport): {
  executable: string;
  arguments: string[];
  executableSource: string;
} {
  const main = mainContainers(workload)[0];
  const line = main ? [...main.command, ...main.args] : [];
  const fromPod = Boolean(main?.command.length) || (line[0] !== undefined && !line[0].startsWith('-'));
  const known = workload.ml.server ? EXECUTABLES[workload.ml.server] : undefined;
  const [executable, ...rest] = fromPod ? line : [known ?? 'start.sh', ...line];
  const flag = workload.ml.server ? PORT_FLAGS[workload.ml.server] : undefined;
  const args = flag
    ? [...rest.filter((arg) => !arg.startsWith(`${flag}=`)), `${flag}=%FUNCTIONS_CUSTOMHANDLER_PORT%`]
    : rest;
  const where = main ? ` (${main.source.file}:${main.source.line})` : '';
  const base = fromPod
    ? `the pod's command line${where}`
    : known
      ? `${known}, the executable ${workload.ml.server} images start, with the pod's flags${where}`
      : `start.sh, a script you add that starts what the image's entrypoint ran (the pod names no executable${where})`;
  return {
    executable: executable!,
    arguments: args,
    executableSource: `${base}${flag ? `; ${flag} set to the port the host forwards requests to (FUNCTIONS_CUSTOMHANDLER_PORT)` : ''}`,
  };
}
