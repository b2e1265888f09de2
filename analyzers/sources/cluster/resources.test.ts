import { describe, expect, it } from 'vitest';
import { findReader, KIND_READERS } from '../../kinds/index.ts';
import { apiVersionOf, CLUSTER_RESOURCES, NOT_LISTED, sourceKindOf } from './resources.ts';

describe('the resources --cluster lists', () => {
  it('are each read, at every version listed, by a kind reader', () => {
    for (const resource of CLUSTER_RESOURCES) {
      for (const version of resource.versions) {
        expect(
          findReader(apiVersionOf(resource.group, version), resource.kind)?.id,
          `${resource.title} at ${version}`,
        ).toBeTruthy();
      }
    }
  });

  it('cover every kind a reader reads, except those listed as deliberately left out', () => {
    const listed = new Set(CLUSTER_RESOURCES.map((resource) => `${resource.group}/${resource.kind}`));
    const left = new Set(NOT_LISTED.map((entry) => `${entry.group}/${entry.kind}`));
    const missing = KIND_READERS.flatMap((reader) => reader.matches)
      .map((match) => `${match.group}/${match.kind}`)
      .filter((key) => !listed.has(key) && !left.has(key));
    expect(missing).toEqual([]);
    for (const key of left) expect(listed.has(key)).toBe(false);
  });

  it('also cover every version a reader reads (so an older cluster is read too)', () => {
    for (const reader of KIND_READERS) {
      for (const match of reader.matches) {
        const resource = CLUSTER_RESOURCES.find(
          (entry) => entry.group === match.group && entry.kind === match.kind,
        );
        if (!resource) continue; // NOT_LISTED, checked above
        expect([...resource.versions].sort(), `${match.group}/${match.kind}`).toEqual(
          [...match.versions].sort(),
        );
      }
    }
  });

  it('name each object source unambiguously: no two resources share a source kind or a URL', () => {
    const kinds = CLUSTER_RESOURCES.map(sourceKindOf);
    expect(new Set(kinds).size).toBe(kinds.length);
    const urls = CLUSTER_RESOURCES.map((resource) => `${resource.group}/${resource.plural}`);
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('fetch Secrets as metadata only, and nothing else that way', () => {
    expect(CLUSTER_RESOURCES.filter((resource) => resource.metadataOnly).map((r) => r.kind)).toEqual([
      'Secret',
    ]);
  });

  it('name the CRDs of the issue with titles a note can use', () => {
    const titles = CLUSTER_RESOURCES.filter((resource) => resource.crd).map((resource) => resource.title);
    for (const title of [
      'KServe InferenceService',
      'KServe ServingRuntime',
      'KServe ClusterServingRuntime',
      'KServe LLMInferenceService',
      'KEDA ScaledObject',
      'KEDA TriggerAuthentication',
      'Knative Service',
      'Ray RayService',
      'Ray RayCluster',
      'Seldon SeldonDeployment',
      'LeaderWorkerSet',
      'vLLM production-stack VLLMRuntime',
      'NVIDIA NIMService',
      'KAITO Workspace',
    ]) {
      expect(titles).toContain(title);
    }
  });
});
