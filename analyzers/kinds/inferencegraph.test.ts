import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, relatedById } from './common/testing.ts';

const corpus = (path: string) => new URL(`../../../shared/corpus/k8s/${path}`, import.meta.url);

describe('inferencegraph', () => {
  it('corpus ensemble.yaml: the graph attaches to both InferenceServices its steps name', () => {
    const analysed = analyseFile(corpus('kserve__kserve/docs/samples/graph/ensemble.yaml'));
    expect(accounting(analysed)).toEqual({
      workloads: ['default/InferenceService/sklearn-iris', 'default/InferenceService/xgboost-iris'],
      related: ['default/InferenceGraph/ensemble-model'],
      skipped: [],
      lost: 0,
    });
    expect(relatedById(analysed, 'default/InferenceGraph/ensemble-model')).toMatchObject({
      role: 'routing',
      attachedTo: ['default/InferenceService/sklearn-iris', 'default/InferenceService/xgboost-iris'],
    });
  });

  it('stays unattached, with the names it looked for, when its services are elsewhere; URL steps are not followed', () => {
    const analysed = analyseText(`
apiVersion: serving.kserve.io/v1alpha1
kind: InferenceGraph
metadata: { name: g }
spec:
  nodes:
    root:
      routerType: Sequence
      steps:
        - serviceName: missing
        - serviceUrl: http://elsewhere/v1/models/x:predict
        - nodeName: next
    next:
      routerType: Switch
      steps: [{ serviceName: missing }]
`);
    expect(relatedById(analysed, 'default/InferenceGraph/g')).toMatchObject({
      attachedTo: [],
      link: 'names InferenceService/missing, none of them in the input',
    });
  });
});
