/**
 * `migrate run --emit-job FILE`: the same run as a Kubernetes Indexed Job of N pods. Pod i runs
 * `migrate run … --shard $(JOB_COMPLETION_INDEX)/N` (Kubernetes sets JOB_COMPLETION_INDEX in each pod
 * of an Indexed Job and expands $(VAR) in args); all pods write into one shared volume, and
 * `migrate report --from` merges their results afterwards. Pure: flags in, YAML out.
 */

import { stringify } from 'yaml';
import { usageError } from '../../core/errors.ts';

export interface JobOptions {
  /** The `migrate run` arguments, without the job flags; they are passed to every pod as they are. */
  runArgs: string[];
  shards: number;
  image: string;
  name: string;
  namespace: string | null;
  /** A ReadWriteMany PersistentVolumeClaim holding the inputs and receiving the results. */
  claim: string;
  /** Where the claim is mounted; the pods' working directory, so relative paths resolve inside it. */
  mountPath: string;
  /** CPU per pod: the worker threads of one shard. */
  cpu: string;
  memory: string;
}

export function renderJob(options: JobOptions): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(options.name))
    throw usageError(
      `--job-name ${JSON.stringify(options.name)} is not a valid Kubernetes name (lower case, digits, -; 63 at most)`,
    );
  if (!options.image)
    throw usageError('--emit-job needs --image: the container image with migrate installed');
  const labels = {
    'app.kubernetes.io/name': 'migrate',
    'app.kubernetes.io/component': 'run',
    'app.kubernetes.io/instance': options.name,
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: options.name, ...(options.namespace ? { namespace: options.namespace } : {}), labels },
    spec: {
      completionMode: 'Indexed',
      completions: options.shards,
      parallelism: options.shards,
      // A failed pod is retried; each shard rewrites only its own files, atomically.
      backoffLimit: options.shards * 2,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'migrate',
              image: options.image,
              workingDir: options.mountPath,
              command: ['migrate'],
              args: ['run', ...options.runArgs, '--shard', `$(JOB_COMPLETION_INDEX)/${options.shards}`],
              resources: { requests: { cpu: options.cpu, memory: options.memory } },
              volumeMounts: [{ name: 'work', mountPath: options.mountPath }],
            },
          ],
          volumes: [{ name: 'work', persistentVolumeClaim: { claimName: options.claim } }],
        },
      },
    },
  };
  const header = [
    `# migrate run as ${options.shards} shards: kubectl apply -f this file, wait for the Job to complete`,
    `#   kubectl wait --for=condition=complete job/${options.name}${options.namespace ? ` -n ${options.namespace}` : ''} --timeout=1h`,
    `# then merge the shards from the volume ${options.claim}: migrate report --from <the --out folder on it>`,
  ];
  return `${header.join('\n')}\n${stringify(job, { lineWidth: 0 })}`;
}

/** The run's own arguments minus the flags that only make the Job (and a --shard, which the Job sets). */
export function runArgsForJob(argv: readonly string[], jobFlags: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const [flag, inline] = arg.startsWith('--')
      ? [arg.slice(2).split('=')[0]!, arg.includes('=')]
      : [null, false];
    if (flag && (jobFlags.includes(flag) || flag === 'shard')) {
      if (!inline) index += 1;
      continue;
    }
    args.push(arg);
  }
  return args;
}
