/**
 * What is deployed: `projects.locations.services.get` (Cloud Run Admin API v2) → LiveConfig, through
 * the same setting reader as the desired side (settings.ts). NOT_FOUND is "not deployed" (null).
 */

import type { protos } from '@google-cloud/run';
import type { LiveConfig } from '../types.ts';
import type { CloudRunSession } from './client.ts';
import { cloudRunError, isNotFound } from './errors.ts';
import { type TemplateLike, templateSettings } from './settings.ts';
import { parseServiceName, serviceName } from './v2.ts';

export type LiveService = protos.google.cloud.run.v2.IService;

export async function getService(session: CloudRunSession, name: string): Promise<LiveService | null> {
  const full = serviceName(session.project, session.region, name);
  try {
    const [service] = await session.client.getService({ name: full }, session.options.read);
    return service;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw cloudRunError(error, { operation: 'run.services.get', resource: full, endpoint: session.endpoint });
  }
}

export async function readCloudRunLive(session: CloudRunSession, name: string): Promise<LiveConfig | null> {
  const service = await getService(session, name);
  return service ? liveConfig(service, name) : null;
}

/** Pure: the decoded v2 Service → LiveConfig. */
export function liveConfig(service: LiveService, name: string): LiveConfig {
  const parts = parseServiceName(service.name ?? '');
  const facts: Record<string, string> = {};
  if (service.uri) facts.uri = service.uri;
  if (parts) {
    facts.region = parts.region;
    facts.project = parts.project;
  }
  if (service.latestReadyRevision) facts.latestReadyRevision = lastSegment(service.latestReadyRevision);
  // v2 can also keep instances warm for the service as a whole, beside the revision's own minimum.
  const serviceMin = Number(service.scaling?.minInstanceCount ?? 0);
  if (serviceMin > 0) facts.serviceMinInstances = String(serviceMin);
  const condition = service.terminalCondition;
  if (condition?.type)
    facts.terminalCondition = [condition.type, condition.state, condition.message].filter(Boolean).join(' ');
  return {
    name: parts?.service ?? name,
    id: service.name ?? name,
    settings: templateSettings(service.template as TemplateLike | null | undefined),
    facts,
    // the whole service, so the plan compares env, probes and billing too, not only these settings
    resource: service,
  };
}

const lastSegment = (name: string) => name.slice(name.lastIndexOf('/') + 1);
