/**
 * Google Cloud Run as a cloud target of `migrate verify`, `apply` and `measure` (docs/cloud/cloud-run.md):
 * service.yaml (Knative v1, as `migrate convert` writes it) against the Cloud Run Admin API v2 through
 * @google-cloud/run, on Application Default Credentials.
 */

import type { CloudTarget } from '../types.ts';
import { type CloudRunSession, closeCloudRun, connectCloudRun } from './client.ts';
import { CONFIG_FILE, readCloudRunDesired } from './desired.ts';
import { executeCloudRun } from './execute.ts';
import { readCloudRunLive } from './live.ts';
import { measureCloudRun } from './measure.ts';
import { planCloudRunApply } from './plan.ts';

export type { CloudRunSession };

export const cloudRunCloud: CloudTarget<CloudRunSession> = {
  id: 'cloud-run',
  configFile: CONFIG_FILE,
  readDesired: readCloudRunDesired,
  connect: (flags) => connectCloudRun(flags),
  readLive: readCloudRunLive,
  resolved: (session) => ({ project: session.project, region: session.region }),
  planApply: planCloudRunApply,
  execute: executeCloudRun,
  measure: measureCloudRun,
  close: closeCloudRun,
};
