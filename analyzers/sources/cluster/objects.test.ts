import { describe, expect, it } from 'vitest';
import { planResources } from './discovery.ts';
import { listSource, objectSource, toClusterObjects } from './objects.ts';
import { CLUSTER_RESOURCES, type ClusterResource } from './resources.ts';

const resource = (kind: string, group = ''): ClusterResource =>
  CLUSTER_RESOURCES.find((entry) => entry.kind === kind && entry.group === group)!;
const readKinds = new Set(CLUSTER_RESOURCES.map((entry) => `${entry.group}/${entry.kind}`));

describe('toClusterObjects', () => {
  it('sets apiVersion and kind from the resource asked for (built-in list items carry neither)', () => {
    const { objects } = toClusterObjects(
      [{ metadata: { name: 'llm', namespace: 'ml' }, spec: { replicas: 2 } }],
      resource('Deployment', 'apps'),
      'v1',
      'prod',
      readKinds,
    );
    expect(objects).toHaveLength(1);
    expect(objects[0]!.obj).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'llm', namespace: 'ml' },
      spec: { replicas: 2 },
    });
    expect(objects[0]!.file).toBe('cluster:prod/ml/Deployment/llm');
    expect(objects[0]!.line).toBe(1);
    expect(objects[0]!.locate(['spec', 'replicas'])).toEqual({
      file: 'cluster:prod/ml/Deployment/llm',
      line: 1,
      field: 'spec.replicas',
    });
    expect(objects[0]!.locate([])).toEqual({ file: 'cluster:prod/ml/Deployment/llm', line: 1 });
  });

  it('drops what the cluster adds and a manifest never has: managedFields, the last-applied copy', () => {
    const { objects } = toClusterObjects(
      [
        {
          metadata: {
            name: 'a',
            namespace: 'ml',
            managedFields: [{ manager: 'kubectl' }],
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
          },
        },
        {
          metadata: {
            name: 'b',
            namespace: 'ml',
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
          },
        },
      ],
      resource('ConfigMap'),
      'v1',
      'prod',
      readKinds,
    );
    expect(objects.map((object) => object.obj.metadata)).toEqual([
      { name: 'a', namespace: 'ml', annotations: { keep: 'me' } },
      { name: 'b', namespace: 'ml' },
    ]);
  });

  it('keeps nothing of a Secret but its metadata, even when the server sent the values', () => {
    const lastApplied = JSON.stringify({ stringData: { password: 'hunter2' } });
    const { objects } = toClusterObjects(
      [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'db',
            namespace: 'ml',
            annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
          },
          data: { password: Buffer.from('hunter2').toString('base64') },
          stringData: { password: 'hunter2' },
          type: 'Opaque',
        },
      ],
      resource('Secret'),
      'v1',
      'prod',
      readKinds,
    );
    expect(objects[0]!.obj).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'ml' },
    });
    expect(JSON.stringify(objects)).not.toMatch(/hunter2|aHVudGVyMg/);
  });

  it('replaces PartialObjectMetadata with the kind that was listed', () => {
    const { objects } = toClusterObjects(
      [
        {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { name: 's', namespace: 'x' },
        },
      ],
      resource('Secret'),
      'v1',
      'c',
      readKinds,
    );
    expect(objects[0]!.obj.kind).toBe('Secret');
    expect(objects[0]!.obj.apiVersion).toBe('v1');
  });

  it('lists objects a controller created as skipped, naming the owner', () => {
    const owned = (kind: string, name: string, apiVersion: string) => ({
      metadata: {
        name: `${name}-x`,
        namespace: 'ml',
        ownerReferences: [{ apiVersion, kind, name, controller: true, uid: '1' }],
      },
    });
    const replicaSets = toClusterObjects(
      [owned('Deployment', 'llm', 'apps/v1')],
      resource('ReplicaSet', 'apps'),
      'v1',
      'prod',
      readKinds,
    );
    expect(replicaSets.objects).toEqual([]);
    expect(replicaSets.skipped).toEqual([
      {
        source: { file: 'cluster:prod/ml/ReplicaSet/llm-x', line: 1 },
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        name: 'llm-x',
        reason:
          'created by its controller Deployment llm (metadata.ownerReferences): the owner is analysed instead',
      },
    ]);
    const deployments = toClusterObjects(
      [owned('Revision', 'hello-00001', 'serving.knative.dev/v1')],
      resource('Deployment', 'apps'),
      'v1',
      'prod',
      readKinds,
    );
    expect(deployments.skipped[0]!.reason).toMatch(
      /Revision hello-00001 .*Revision \(serving\.knative\.dev\/v1\) is not a kind migrate reads/,
    );
  });

  it('keeps objects whose owner references are not controllers (garbage-collection only)', () => {
    const { objects, skipped } = toClusterObjects(
      [{ metadata: { name: 'cm', namespace: 'ml', ownerReferences: [{ kind: 'Foo', name: 'f' }] } }],
      resource('ConfigMap'),
      'v1',
      'prod',
      readKinds,
    );
    expect(objects).toHaveLength(1);
    expect(skipped).toEqual([]);
  });

  it('names cluster-scoped objects without a namespace, and grouped kinds with their group', () => {
    expect(objectSource('prod', null, 'PersistentVolume', 'pv-1')).toBe('cluster:prod/PersistentVolume/pv-1');
    const { objects } = toClusterObjects(
      [
        {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: { name: 'hello', namespace: 'web' },
        },
      ],
      resource('Service', 'serving.knative.dev'),
      'v1',
      'prod',
      readKinds,
    );
    expect(objects[0]!.file).toBe('cluster:prod/web/Service.serving.knative.dev/hello');
    expect(listSource('prod', null, 'Deployment', true)).toBe('cluster:prod/*/Deployment');
    expect(listSource('prod', 'ml', 'Namespace', false)).toBe('cluster:prod/Namespace');
  });
});

describe('planResources', () => {
  const inferenceService = resource('InferenceService', 'serving.kserve.io');

  it('reads a resource at the first of its versions the cluster serves it at', () => {
    const plan = planResources([inferenceService], {
      groups: new Map([['serving.kserve.io', ['v1beta1', 'v1alpha2']]]),
      resources: new Map([
        ['serving.kserve.io/v1beta1', new Set(['inferenceservices'])],
        ['serving.kserve.io/v1alpha2', new Set(['inferenceservices'])],
      ]),
    });
    expect(plan).toEqual({ planned: [{ resource: inferenceService, version: 'v1beta1' }], notes: [] });
  });

  it('notes a CRD group that is not there as not installed', () => {
    const plan = planResources([inferenceService], { groups: new Map(), resources: new Map() });
    expect(plan).toEqual({
      planned: [],
      notes: ['CRD not installed: KServe InferenceService (serving.kserve.io/v1beta1)'],
    });
  });

  it('notes a resource served only at a version no reader knows', () => {
    const plan = planResources([inferenceService], {
      groups: new Map([['serving.kserve.io', ['v2']]]),
      resources: new Map([['serving.kserve.io/v2', new Set(['inferenceservices'])]]),
    });
    expect(plan.planned).toEqual([]);
    expect(plan.notes[0]).toMatch(/served only as serving\.kserve\.io\/v2, which migrate does not read/);
  });

  it('still lists a resource whose group-version document could not be read', () => {
    const plan = planResources([inferenceService], {
      groups: new Map([['serving.kserve.io', ['v1beta1']]]),
      resources: new Map(),
    });
    expect(plan.planned).toEqual([{ resource: inferenceService, version: 'v1beta1' }]);
  });
});
