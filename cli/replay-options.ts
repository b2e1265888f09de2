import { NODE_TYPES } from '../core/pricing/nodes.ts';
import { TARGET_IDS } from '../loadtests/platforms/index.ts';
import type { OptionSpec } from './options.ts';

/** The flags of `migrate replay`, declared once for the parser, `--help` and the docs. */

/** Client timeout when neither --timeout-ms nor the workload's own request timeout says. */
export const DEFAULT_TIMEOUT_MS = 60_000;

const seconds = (name: string, what: string): OptionSpec => ({
  name,
  type: 'string',
  value: 's',
  description: what,
});

export const REPLAY_OPTIONS: OptionSpec[] = [
  {
    name: 'workload',
    type: 'string',
    value: 'ID',
    description:
      'The workload to replay, as namespace/Kind/name (needed when there is more than one model server).',
  },
  {
    name: 'traffic',
    type: 'string',
    value: 'file',
    description: 'A trace file (CSV, TSV, JSON Lines, counts, a ServeGen folder).',
  },
  {
    name: 'targets',
    type: 'string',
    value: 'list',
    multiple: true,
    description: `Targets to replay on (default all: ${TARGET_IDS.join(', ')}).`,
  },
  {
    name: 'service-ms',
    type: 'string',
    value: 'dist',
    description:
      'Service time per request: fixed:MS, exp:MEAN_MS or lognormal:p50=MS,p99=MS (when the trace has none).',
  },
  {
    name: 'calibration',
    type: 'string',
    value: 'file',
    description:
      'A JSON file of measured numbers: serviceMs, coldStartMs, pod start-up, node types (docs/replay.md).',
  },
  {
    name: 'timeout-ms',
    type: 'string',
    value: 'ms',
    description: `Client timeout (default: the workload's request timeout, else ${DEFAULT_TIMEOUT_MS}).`,
  },
  {
    name: 'slo-ms',
    type: 'string',
    value: 'ms',
    description: 'Queueing-delay SLO for the time to recover (default: the migrate.dev/slo-ms annotation).',
  },
  {
    name: 'pod-concurrency',
    type: 'string',
    value: 'N',
    description:
      'Requests one pod serves at once (default: containerConcurrency, else 1 on kubernetes, unlimited on knative).',
  },
  {
    name: 'lb',
    type: 'string',
    value: 'policy',
    choices: ['least-outstanding', 'random'],
    default: 'least-outstanding',
    description: 'Kubernetes load balancing: one shared queue, or a random pod with its own queue.',
  },
  {
    name: 'node-type',
    type: 'string',
    value: 'id',
    description: `Node type for the cluster (default by accelerator; known: ${NODE_TYPES.map((type) => type.id).join(', ')}).`,
  },
  {
    name: 'max-nodes',
    type: 'string',
    value: 'N',
    description: 'Largest size of the node group (default unbounded).',
  },
  {
    name: 'initial-nodes',
    type: 'string',
    value: 'N',
    description:
      'Nodes up at the start and the smallest size of the node group (default: what the initial pods need).',
  },
  seconds(
    'provisioning-seconds',
    "Node provisioning: from the autoscaler's request to a schedulable node (default per node type).",
  ),
  {
    name: 'node-price',
    type: 'string',
    value: 'usd-per-hour',
    description: 'Hourly price of a node (default from the node table).',
  },
  seconds('scheduling-seconds', 'Pod start: binding to sandbox (default 2).'),
  seconds(
    'image-pull-seconds',
    'Pod start: image pull on a node without the image (default 20 CPU, 90 GPU).',
  ),
  seconds('model-load-seconds', 'Pod start: model load after the container starts (default 10 CPU, 60 GPU).'),
  seconds(
    'readiness-delay-seconds',
    'Pod start: fixed delay from model loaded to Ready, instead of the probes.',
  ),
  {
    name: 'config-dir',
    type: 'string',
    value: 'dir',
    description:
      'The folder `migrate convert --out` wrote: replay the serverless targets as configured there (default: as the converter would plan them without traffic).',
  },
  {
    name: 'retries',
    type: 'string',
    value: 'N',
    description:
      'Serverless clients retry a throttled (429) request N times, with exponential backoff (default 0).',
  },
  seconds(
    'keep-alive-seconds',
    'Serverless idle instances are kept this long (default 600 on aws-lambda and cloud-run, 1200 on azure-functions).',
  ),
  {
    name: 'window',
    type: 'string',
    value: 'START..END',
    description: 'Replay only this part of the traffic, e.g. 10m..25m (durations from its start).',
  },
  {
    name: 'max-seconds',
    type: 'string',
    value: 'N',
    description: 'Replay only the first N seconds of the traffic.',
  },
  {
    name: 'sweep',
    type: 'string',
    value: 'NAME=FROM..TO[:STEP]',
    description:
      'Replay once per setting and report the cheapest meeting --slo-p99-ms: provisioned (aws-lambda), memory (aws-lambda MB), min-instances (cloud-run), always-ready (azure-functions); or NAME=v1,v2,….',
  },
  {
    name: 'slo-p99-ms',
    type: 'string',
    value: 'ms',
    description: 'With --sweep: the p99 latency a setting must stay within.',
  },
  {
    name: 'error-budget',
    type: 'string',
    value: 'fraction',
    description:
      'With --sweep: the largest share of requests timed out, throttled or dropped (default 0.01).',
  },
  {
    name: 'format',
    short: 'f',
    type: 'string',
    value: 'format',
    choices: ['table', 'json', 'md'],
    description: 'Output format. Default: table on a terminal, json otherwise.',
  },
  {
    name: 'out',
    short: 'o',
    type: 'string',
    value: 'file',
    description: 'Write the output to this file (atomically) instead of stdout.',
  },
];
