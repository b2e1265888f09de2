import { describe, expect, it } from 'vitest';
import { accounting, analyseFile, analyseText, workloadById } from './common/testing.ts';

const WORKSPACE = new URL(
  '../../../shared/corpus/k8s/Azure__kaito/examples/inference/kaito_workspace_phi_3_with_adapters.yaml',
  import.meta.url,
);
const messages = (workload: { notes: { message: string }[] }) => workload.notes.map((note) => note.message);

describe('kaito-workspace', () => {
  it('corpus kaito_workspace_phi_3_with_adapters.yaml: no spec; Standard_NC6s_v3 means 1 V100 per node', () => {
    const analysed = analyseFile(WORKSPACE);
    expect(accounting(analysed)).toEqual({
      workloads: ['default/Workspace/workspace-phi-3-mini-adapter'],
      related: [],
      skipped: [],
      lost: 0,
    });
    const workload = workloadById(analysed, 'default/Workspace/workspace-phi-3-mini-adapter');
    expect(workload.resources.gpu).toMatchObject({
      count: 1,
      resource: 'nvidia.com/gpu',
      model: 'Standard_NC6s_v3',
      evidence: ['instance-type'],
      source: { line: 6, field: 'resource.instanceType' },
    });
    expect(workload.replicas).toBe(1);
    expect(workload.ml).toMatchObject({
      isModelServer: true,
      server: 'kaito',
      model: { uri: 'phi-3-mini-128k-instruct', format: 'kaito-preset' },
    });
    expect(workload.pod.labels).toEqual({ apps: 'phi-3-adapter' });
    expect(messages(workload)).toContain(
      'Standard_NC6s_v3: 1 × NVIDIA V100, 16 GB GPU memory per node (KAITO SKU table)',
    );
    expect(messages(workload)).toContain('LoRA adapters phi-3-adapter are pulled as images at start');
  });

  it('multi-GPU sizes come from the table; an unknown size is 1 GPU with a note; count is the node count', () => {
    const analysed = analyseText(`
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata: { name: big }
resource: { instanceType: Standard_NC96ads_A100_v4, count: 2 }
inference: { preset: { name: llama-3.3-70b-instruct } }
---
apiVersion: kaito.sh/v1alpha1
kind: Workspace
metadata: { name: unknown }
resource: { instanceType: Standard_NC80adis_H100_v5 }
inference: { preset: { name: falcon-7b } }
`);
    const big = workloadById(analysed, 'default/Workspace/big');
    expect(big.resources.gpu).toMatchObject({ count: 4, model: 'Standard_NC96ads_A100_v4' });
    expect(big.replicas).toBe(2);
    const unknown = workloadById(analysed, 'default/Workspace/unknown');
    expect(unknown.resources.gpu).toMatchObject({ count: 1, resource: null, evidence: ['instance-type'] });
    expect(messages(unknown)).toContain(
      "instance type Standard_NC80adis_H100_v5 is not in KAITO's Azure GPU size table: 1 GPU per node assumed",
    );
  });

  it('a custom inference template is read as the pod, and a tuning workspace is not a server', () => {
    const analysed = analyseText(`
apiVersion: kaito.sh/v1alpha1
kind: Workspace
metadata: { name: custom }
resource: { instanceType: Standard_NC24ads_A100_v4 }
inference:
  template:
    spec:
      containers: [{ name: server, image: vllm/vllm-openai:v0.6.0, resources: { requests: { cpu: 4x } } }]
---
apiVersion: kaito.sh/v1alpha1
kind: Workspace
metadata: { name: tune }
resource: { instanceType: Standard_NC6s_v3 }
tuning: { method: qlora }
`);
    expect(analysed.errors.map((error) => [error.line, error.message.split(':')[0]])).toEqual([
      [9, 'inference.template.spec.containers.0.resources.requests.cpu'],
    ]);
    const custom = workloadById(analysed, 'default/Workspace/custom');
    expect(custom.ml.server).toBe('kaito');
    expect(custom.pod.containers[0]?.image).toBe('vllm/vllm-openai:v0.6.0');
    expect(custom.resources.gpu).toMatchObject({ count: 1, evidence: ['instance-type'] });
    expect(workloadById(analysed, 'default/Workspace/tune').ml.isModelServer).toBe(false);
  });
});
