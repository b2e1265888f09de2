import { basename, dirname, join } from 'node:path';
import { usageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import {
  CONFIGMAP_LIMIT_BYTES,
  DEFAULT_MERGE_TOLERANCE,
  generateK6Script,
  isSecretHeader,
  testRunYaml,
  urlHasSecret,
} from '../loadtests/k6/index.ts';
import { parseHeader, parseTargets, validateMethod } from '../loadtests/live/index.ts';
import { type CliIo, writeFileAtomic } from './io.ts';
import { LIVE_TARGET_OPTIONS, readBody, speedupOption, urlValues } from './loadtest.ts';
import { numberOption, parseVerbArgs, stringOption, type VerbSpec } from './options.ts';
import {
  loadProfile,
  PROMETHEUS_OPTIONS,
  parseWorkloadRef,
  SPIKE_OPTIONS,
  seedOption,
  TRACE_OPTIONS,
} from './traffic-options.ts';

export const k6Spec: VerbSpec = {
  name: 'k6',
  summary: 'write a k6 script (and a k6-operator TestRun) that replays traffic as an open model',
  usage:
    'migrate k6 --traffic FILE | --spike NAME[:k=v,…] --url [name=]URL … [--speedup N] [--slo-p99-ms N] [--error-budget 0.01] [--distributed N] --out script.js',
  description:
    "Writes a k6 script whose ramping-arrival-rate scenario follows the traffic's rate series: a stage per run of steps, flat stretches merged " +
    '(within --merge-tolerance or Poisson noise, see docs/k6.md), so k6 starts requests on the schedule whether or not earlier ones returned. ' +
    "VUs come from Little's law: peak rate × expected latency × 1.5. Thresholds: p(99) below --slo-p99-ms and the failure rate below " +
    '--error-budget. Several --url name=URL give one scenario per target, tagged target:<name>, with thresholds per tag (A/B). --distributed N ' +
    'also writes a k6-operator TestRun on N pods with the script in a ConfigMap. Credentials in headers or URLs are read from the environment ' +
    'at run time, never written. k6 itself is not needed here; `migrate loadtest` replays without it.',
  positionals: null,
  options: [
    ...LIVE_TARGET_OPTIONS,
    {
      name: 'slo-p99-ms',
      type: 'string',
      value: 'ms',
      description: "Threshold on each target's p(99) of http_req_duration.",
    },
    {
      name: 'error-budget',
      type: 'string',
      value: 'fraction',
      default: '0.01',
      description: 'Threshold on the share of failed requests (http_req_failed).',
    },
    {
      name: 'expected-latency-ms',
      type: 'string',
      value: 'ms',
      description: "Mean latency for Little's law (default: the trace's own latency, else 250).",
    },
    {
      name: 'merge-tolerance',
      type: 'string',
      value: 'fraction',
      default: String(DEFAULT_MERGE_TOLERANCE),
      description:
        "Merge adjacent steps within this share of the run's mean (or Poisson noise) into one stage.",
    },
    { name: 'method', type: 'string', value: 'METHOD', default: 'POST', description: 'HTTP method.' },
    {
      name: 'body',
      type: 'string',
      value: 'file',
      description: 'Request body (default: seeded samples {"inputs":[[4 floats]]}).',
    },
    {
      name: 'header',
      type: 'string',
      value: 'Name: value',
      multiple: true,
      description: 'Extra request header; credentials (Authorization, *token*, *key*…) become env variables.',
    },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'Request timeout (k6 default: 60 s).' },
    {
      name: 'distributed',
      type: 'string',
      value: 'N',
      description: 'Also write <out>.testrun.yaml: a ConfigMap and a k6-operator TestRun with parallelism N.',
    },
    {
      name: 'name',
      type: 'string',
      value: 'name',
      default: 'migrate-replay',
      description: 'Name of the TestRun and ConfigMap.',
    },
    {
      name: 'namespace',
      type: 'string',
      value: 'ns',
      description: 'Namespace of the TestRun and ConfigMap.',
    },
    {
      name: 'out',
      short: 'o',
      type: 'string',
      value: 'file',
      description: 'Write the script here (atomically); default stdout.',
    },
    ...TRACE_OPTIONS,
    ...SPIKE_OPTIONS,
    ...PROMETHEUS_OPTIONS,
  ],
  examples: [
    {
      command:
        'migrate k6 --traffic traces/requests.csv --url https://api.example.com/predict --slo-p99-ms 800 --out replay.js',
      explanation: 'A recorded trace as a k6 script with a p99 threshold; run it with `k6 run replay.js`.',
    },
    {
      command:
        'migrate k6 --spike trending:baseline=5,peak=10 --speedup 4 --url https://api.example.com/predict -o spike.js',
      explanation: 'A synthetic trending-topic burst, four times faster.',
    },
    {
      command:
        'migrate k6 --spike trending --url k8s=https://k8s.example.com/predict --url lambda=https://fn.example.com/predict -o ab.js',
      explanation:
        'A/B: one scenario per target on the same schedule, tagged target:k8s and target:lambda, thresholds per tag.',
    },
    {
      command:
        'migrate k6 --traffic counts.csv --step 60 --url https://api.example.com/predict --distributed 4 -o replay.js',
      explanation: 'Also writes replay.testrun.yaml for the k6-operator: the load split over 4 pods.',
    },
  ],
};

export async function runK6(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseVerbArgs(k6Spec, argv);
  // The script is run elsewhere, against the endpoints under test: no loopback restriction applies here.
  const targets = parseTargets(urlValues(values), { allowRemote: true });
  const workload = stringOption(values, 'workload');
  const profile = await loadProfile(
    values,
    stringOption(values, 'traffic'),
    io,
    workload ? parseWorkloadRef(workload) : null,
  );
  const errorBudget = numberOption(values, 'error-budget', { min: 0 }) ?? 0.01;
  if (errorBudget > 1) throw usageError('--error-budget is a fraction between 0 and 1, e.g. 0.01 for 1 %');
  const bodyFile = stringOption(values, 'body');
  const script = generateK6Script(profile, {
    targets,
    speedup: speedupOption(values),
    mergeTolerance: numberOption(values, 'merge-tolerance', { min: 0 }) ?? DEFAULT_MERGE_TOLERANCE,
    sloP99Ms: numberOption(values, 'slo-p99-ms', { min: 0.001 }) ?? null,
    errorBudget,
    expectedLatencyMs: numberOption(values, 'expected-latency-ms', { min: 0.001 }) ?? null,
    method: validateMethod(stringOption(values, 'method') ?? 'POST'),
    headers: ((values.header as string[] | undefined) ?? []).map((header) => parseHeader(header)),
    body: bodyFile ? { bytes: await readBody(bodyFile), file: basename(bodyFile) } : null,
    seed: seedOption(values),
    timeoutMs: numberOption(values, 'timeout-ms', { min: 1 }) ?? null,
    command: redactedCommand(argv),
  });
  const out = stringOption(values, 'out');
  const parallelism = numberOption(values, 'distributed', { integer: true, min: 1 });
  if (parallelism !== undefined && !out)
    throw usageError('--distributed needs --out: the TestRun is written beside the script');
  if (!out) {
    io.stdout.write(script.text);
    return ExitCode.ok;
  }
  await writeFileAtomic(out, script.text);
  const lines = [
    `wrote ${out}: ${script.plan.holds} holds from ${script.plan.steps} steps, peak ${script.plan.peakRatePerSecond.toFixed(2)} req/s, ${script.vus.preAllocatedVUs}–${script.vus.maxVUs} VUs per target`,
  ];
  if (parallelism !== undefined) lines.push(await writeTestRun(out, script, parallelism, values, io));
  if (script.requiredEnv.length > 0)
    lines.push(
      `credentials kept out of the script; give them at run time: ${script.requiredEnv.map((name) => `-e ${name}=…`).join(' ')}`,
    );
  io.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

async function writeTestRun(
  out: string,
  script: { text: string; requiredEnv: string[] },
  parallelism: number,
  values: Record<string, unknown>,
  io: CliIo,
): Promise<string> {
  const name = (values.name as string | undefined) ?? 'migrate-replay';
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name))
    throw usageError(
      `--name ${JSON.stringify(name)} is not a Kubernetes name (lowercase letters, digits and -)`,
    );
  const manifestFile = join(dirname(out), `${basename(out).replace(/\.[cm]?[jt]s$/, '')}.testrun.yaml`);
  const namespace = (values.namespace as string | undefined) ?? null;
  const scriptFile = basename(out);
  await writeFileAtomic(
    manifestFile,
    testRunYaml({
      name,
      namespace,
      parallelism,
      scriptFile,
      script: script.text,
      requiredEnv: script.requiredEnv,
    }),
  );
  if (Buffer.byteLength(script.text) > CONFIGMAP_LIMIT_BYTES)
    io.stderr.write(
      `warning: the script is ${Buffer.byteLength(script.text)} bytes, over a ConfigMap's 1 MiB: raise --merge-tolerance or --step to merge more stages\n`,
    );
  return `wrote ${manifestFile}: ConfigMap ${name} and TestRun ${name} (parallelism ${parallelism})`;
}

/** The command for the script's header, with credentials (secret headers, URLs, tokens) elided. */
export function redactedCommand(argv: readonly string[]): string {
  const quote = (arg: string) => (/[\s'"]/.test(arg) ? `'${arg.replace(/'/g, "'\\''")}'` : arg);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^(--[a-z0-9-]+)=(.*)$/s.exec(arg);
    if (inline) out.push(`${inline[1]}=${quote(redactValue(inline[1]!, inline[2]!))}`);
    else out.push(quote(i > 0 ? redactValue(argv[i - 1]!, arg) : arg));
  }
  return ['migrate k6', ...out].join(' ');
}

function redactValue(flag: string, value: string): string {
  if (flag === '--prometheus-token') return '…';
  if (flag === '--header') {
    const name = value.split(':', 1)[0]!.trim();
    return isSecretHeader(name) ? `${name}: …` : value;
  }
  if (flag === '--url') {
    const named = /^([A-Za-z][A-Za-z0-9_-]*)=(.*)$/s.exec(value);
    try {
      if (urlHasSecret(new URL(named ? named[2]! : value))) return named ? `${named[1]}=…` : '…';
    } catch {
      return value;
    }
  }
  return value;
}
