/**
 * `migrate replay --config-dir DIR`: the serverless models built from what `migrate convert --out DIR`
 * wrote for the workload (`DIR/<workload-slug>/<target>/`), with the client and idle-retention flags.
 * The files are read through `read` (the CLI passes the file system), so this stays testable.
 */

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { workloadSlug } from '../../../../converters/common/names.ts';
import { MigrateError } from '../../../../core/errors.ts';
import type { Workload } from '../../../../core/model/index.ts';
import { parseArmTemplate } from '../../azure-functions/config.ts';
import { createAzureModule } from '../../azure-functions/index.ts';
import { parseServiceYaml } from '../../cloud-run/config.ts';
import { createCloudRunModule } from '../../cloud-run/index.ts';
import type { PlatformModule, ReplayTargetId } from '../../types.ts';
import { parseSamTemplate } from '../config.ts';
import { createLambdaModule } from '../index.ts';

export interface ServerlessFlags {
  /** `--config-dir`: the folder `migrate convert --out` wrote, or null. */
  configDir: string | null;
  /** `--retries`. */
  retries: number;
  /** `--keep-alive-seconds`, or null for each model's default. */
  keepAliveSeconds: number | null;
}

const SERVERLESS: readonly ReplayTargetId[] = ['aws-lambda', 'cloud-run', 'azure-functions'];

/** Reads a file, or returns null when it does not exist. */
export type ReadOptional = (path: string) => Promise<string | null>;

export async function serverlessModules(
  workload: Workload,
  flags: ServerlessFlags,
  targets: readonly ReplayTargetId[],
  read: ReadOptional,
): Promise<PlatformModule[]> {
  const common = {
    retries: flags.retries,
    ...(flags.keepAliveSeconds !== null ? { keepAliveMs: flags.keepAliveSeconds * 1000 } : {}),
  };
  if (flags.configDir === null)
    return [createLambdaModule(common), createCloudRunModule(common), createAzureModule(common)];
  if (!SERVERLESS.some((target) => targets.includes(target))) return [];
  const folder = await workloadFolder(flags.configDir, workload, read);
  const file = (target: string, name: string) => join(folder, target, name);
  const missing = (path: string) =>
    `${path} not found (the target was not converted, or was blocked): planned by the converter as \`migrate convert\` would without --traffic`;
  const modules: PlatformModule[] = [];
  if (targets.includes('aws-lambda')) {
    const path = file('aws-lambda', 'template.yaml');
    const text = await read(path);
    modules.push(
      createLambdaModule(
        text === null
          ? { ...common, plannedBecause: missing(path) }
          : { ...common, config: parseSamTemplate(text, path) },
      ),
    );
  }
  if (targets.includes('cloud-run')) {
    const path = file('cloud-run', 'service.yaml');
    const text = await read(path);
    modules.push(
      createCloudRunModule(
        text === null
          ? { ...common, plannedBecause: missing(path) }
          : { ...common, config: parseServiceYaml(text, path) },
      ),
    );
  }
  if (targets.includes('azure-functions')) {
    const path = file('azure-functions', 'azuredeploy.json');
    const text = await read(path);
    modules.push(
      createAzureModule(
        text === null
          ? { ...common, plannedBecause: missing(path) }
          : {
              ...common,
              config: parseArmTemplate(text, path, await read(file('azure-functions', 'host.json'))),
            },
      ),
    );
  }
  return modules;
}

/**
 * `DIR/<workload-slug>`, or the slug with the short hash `migrate convert` appends when two workloads
 * fold to the same slug (converters/common/run.ts); DIR itself when it already is the workload's folder.
 */
async function workloadFolder(dir: string, workload: Workload, read: ReadOptional): Promise<string> {
  const slug = workloadSlug(workload);
  const hashed = `${slug}-${createHash('sha256').update(workload.id).digest('hex').slice(0, 6)}`;
  for (const candidate of [join(dir, slug), join(dir, hashed), dir]) {
    for (const probe of ['aws-lambda/MIGRATION.md', 'cloud-run/MIGRATION.md', 'azure-functions/MIGRATION.md'])
      if ((await read(join(candidate, probe))) !== null) return candidate;
  }
  throw new MigrateError(`--config-dir ${dir}: nothing converted for ${workload.id}`, {
    hint: `expected ${join(dir, slug)}/<target>/ as written by migrate convert --out ${dir}`,
  });
}
