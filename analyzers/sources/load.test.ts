import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whichOnPath } from '../../cli/which.ts';
import { analyzeOptions } from '../../test/helpers/analyze.ts';
import { corpusK8sDir } from '../../test/helpers/paths.ts';
import { analyzePaths } from '../analyze.ts';
import { loadInputs } from './index.ts';

const options = analyzeOptions;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: good
spec:
  template:
    spec:
      containers:
        - name: app
          image: example/app:1
`;

let dir: string;
const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'migrate-sources-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad input gets a clear message with file and line, and the run goes on', () => {
  it('malformed YAML', async () => {
    const bad = write(
      'bad/malformed.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n',
    );
    const good = write('bad/good.yaml', DEPLOYMENT);
    const report = await analyzePaths([bad, good], options());
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: bad, message: expect.stringMatching(/YAML/) });
    expect(report.errors[0]!.line).toBeGreaterThanOrEqual(4);
    expect(report.workloads.map((workload) => workload.name)).toEqual(['good']);
  });

  it('a YAML bomb is refused after the alias limit, not expanded', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const bomb = write(
      'bomb.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${levels.join('\n  ')}\n`,
    );
    const started = Date.now();
    const report = await analyzePaths([bomb], options());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.errors).toEqual([{ file: bomb, line: 1, message: expect.stringMatching(/alias/i) }]);
  });

  it('a 50 MB file is refused without being parsed', async () => {
    const big = write('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'));
    const report = await analyzePaths([big], options());
    expect(report.errors).toEqual([
      { file: big, line: null, message: expect.stringMatching(/50\.0 MiB, over the 16 MiB limit/) },
    ]);
  });

  it('a binary file', async () => {
    const binary = write('model.yaml', Buffer.from([0x61, 0x3a, 0x0a, 0x00, 0xff, 0x10]));
    const report = await analyzePaths([binary], options());
    expect(report.errors).toEqual([{ file: binary, line: 2, message: expect.stringMatching(/binary file/) }]);
  });

  it('a path that does not exist', async () => {
    const report = await analyzePaths([join(dir, 'nope')], options());
    expect(report.errors).toEqual([
      { file: join(dir, 'nope'), line: null, message: 'no such file or directory' },
    ]);
  });

  it('a symlink loop neither hangs nor reads twice', async () => {
    const loopDir = join(dir, 'loop');
    write('loop/app.yaml', DEPLOYMENT);
    symlinkSync(loopDir, join(loopDir, 'again'));
    symlinkSync(join(loopDir, 'self.yaml'), join(loopDir, 'self.yaml'));
    const report = await analyzePaths([loopDir], options());
    expect(report.workloads).toHaveLength(1);
    expect(report.errors).toEqual([
      { file: join(loopDir, 'self.yaml'), line: null, message: expect.stringMatching(/symlink/) },
    ]);
    expect(report.notes.join('\n')).toMatch(/already read/);
  });

  it('an empty directory says so', async () => {
    mkdirSync(join(dir, 'empty'));
    const report = await analyzePaths([join(dir, 'empty')], options());
    expect(report.summary.objects).toBe(0);
    expect(report.notes).toEqual([`${join(dir, 'empty')}: no .yaml, .yml or .json files found`]);
  });

  it('an unknown kind is listed as skipped with its kind', async () => {
    const file = write('unknown.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const report = await analyzePaths([file], options());
    expect(report.skipped).toEqual([
      {
        source: { file, line: 1 },
        kind: 'Widget',
        apiVersion: 'example.com/v1',
        name: 'w',
        reason: 'kind Widget (example.com/v1) is not one migrate reads',
      },
    ]);
  });

  it('a malformed quantity names file, line and field; the workload is still read', async () => {
    const file = write(
      'quantity.yaml',
      DEPLOYMENT.replace(
        'image: example/app:1',
        'image: example/app:1\n          resources:\n            requests:\n              memory: 1.5.5Gi\n              cpu: 250m',
      ),
    );
    const report = await analyzePaths([file], options());
    expect(report.errors).toEqual([
      {
        file,
        line: 13,
        message:
          'spec.template.spec.containers.0.resources.requests.memory: invalid quantity "1.5.5Gi": expected a number with an optional suffix (m, k, M, G, Ki, Mi, Gi, …) or exponent (e3)',
      },
    ]);
    expect(report.workloads[0]!.resources).toMatchObject({ cpuMillis: 250, memoryBytes: null });
  });

  it('a duplicate key is reported, not silently resolved', async () => {
    const file = write('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    const report = await analyzePaths([file], options());
    expect(report.errors).toEqual([
      { file, line: 5, message: expect.stringMatching(/duplicate mapping key/) },
    ]);
    expect(report.skipped).toHaveLength(1);
    expect(report.summary.objects).toBe(1);
  });
});

describe('document shapes', () => {
  it('reads multi-document YAML, JSON, kind: List, and ignores empty and comment-only documents', async () => {
    const multi = write('shapes/multi.yaml', `---\n# only a comment\n---\n${DEPLOYMENT}---\n---\n`);
    const json = write(
      'shapes/list.json',
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } },
            { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { password: 'c2VjcmV0' } },
          ],
        },
        null,
        2,
      ),
    );
    const empty = write('shapes/empty.yml', '');
    const report = await analyzePaths([multi, json, empty], options());
    expect(report.errors).toEqual([]);
    expect(report.summary).toMatchObject({ files: 3, objects: 3, workloads: 1, related: 2 });
    expect(report.workloads[0]!.sources).toEqual([{ file: multi, line: 4 }]);
    expect(report.related.find((related) => related.kind === 'ConfigMap')!.source).toEqual({
      file: json,
      line: 5,
    });
  });

  it('never copies a secret value into the output', async () => {
    const file = write(
      'secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: c3VwZXJzZWNyZXQ=\nstringData:\n  token: plain-text-token\n',
    );
    const report = await analyzePaths([file], options());
    const text = JSON.stringify(report);
    expect(text).not.toContain('c3VwZXJzZWNyZXQ=');
    expect(text).not.toContain('plain-text-token');
    expect(report.related[0]!.keys).toEqual(['password', 'token']);
  });

  it('reads stdin when a path is -', async () => {
    const report = await analyzePaths(['-'], options({ readStdin: async () => DEPLOYMENT }));
    expect(report.workloads[0]!.sources).toEqual([{ file: '-', line: 1 }]);
  });

  it('skips a Helm template with the hint to render it, but not KServe {{.Name}} inside a string', async () => {
    const helm = write(
      'helm/templates.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: {{ .Values.port }}\n',
    );
    const kserve = write(
      'helm/runtime.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: runtime\ndata:\n  args: --model_name={{.Name}}\n  quoted: "{{ .Spec.Model.Name }}"\n',
    );
    const report = await analyzePaths([helm, kserve], options());
    expect(report.skipped).toEqual([
      {
        source: { file: helm, line: 1 },
        kind: 'Service',
        apiVersion: null,
        name: null,
        reason: expect.stringMatching(/Helm template.*helm template/),
      },
    ]);
    expect(report.related.map((related) => related.name)).toEqual(['runtime']);
  });

  it('the corpus Helm chart is listed object by object, values.yaml as a values file', async () => {
    const report = await analyzePaths([`${corpusK8sDir}pytorch__serve/kubernetes/Helm`], options());
    expect(
      report.skipped.map((skipped) => [
        skipped.source.file.replace(corpusK8sDir, ''),
        skipped.kind,
        skipped.reason.split(';')[0],
      ]),
    ).toEqual([
      ['pytorch__serve/kubernetes/Helm/Chart.yaml', null, 'Helm chart metadata (Chart.yaml)'],
      [
        'pytorch__serve/kubernetes/Helm/templates/torchserve.yaml',
        'Service',
        'Helm template (template actions outside YAML strings): render it with `helm template <chart>`',
      ],
      [
        'pytorch__serve/kubernetes/Helm/templates/torchserve.yaml',
        'Deployment',
        'Helm template (template actions outside YAML strings): render it with `helm template <chart>`',
      ],
      ['pytorch__serve/kubernetes/Helm/values.yaml', null, 'Helm values file'],
    ]);
    expect(report.skipped.every((skipped) => skipped.reason.includes('install helm to render it'))).toBe(
      true,
    );
    expect(report.summary).toMatchObject({ objects: 4, workloads: 0, errors: 0 });
  });
});

describe('kustomize directories', () => {
  const overlay = `${corpusK8sDir}GoogleCloudPlatform__kubernetes-engine-samples/ai-ml/llm-serving-gemma/vllm/vllm-7b-kvcache`;

  it('without kubectl: every object in it is skipped with the hint', async () => {
    const loaded = await loadInputs([overlay], {
      maxFileBytes: 1 << 24,
      maxAliasCount: 100,
      which: () => null,
      readStdin: async () => '',
    });
    expect(loaded.objects).toEqual([]);
    expect(loaded.skipped.map((skipped) => skipped.kind)).toEqual(['Kustomization', 'Deployment']);
    expect(loaded.skipped.every((skipped) => /install kubectl to render it/.test(skipped.reason))).toBe(true);
  });

  const kubectl = whichOnPath(process.env)('kubectl');
  it.runIf(kubectl)(
    'with kubectl: the overlay is rendered and its patch applied (1 GPU instead of the base 2)',
    async () => {
      const report = await analyzePaths([overlay], options({ which: whichOnPath(process.env) }));
      expect(report.errors).toEqual([]);
      const deployment = report.workloads.find((workload) => workload.kind === 'Deployment')!;
      expect(deployment.resources.gpu.count).toBe(1);
      expect(deployment.sources[0]!.file).toBe(`${overlay} (kubectl kustomize)`);
    },
  );
});

describe('stated model size', () => {
  const annotated = (size: string) =>
    DEPLOYMENT.replace(
      '  name: good\n',
      `  name: good\n  annotations:\n    migrate.dev/model-size: "${size}"\n`,
    ).replace(
      'image: example/app:1',
      'image: vllm/vllm-openai:v0.6.3\n          args: ["--model", "org/model"]',
    );

  it('the annotation gives the model its size, with the annotation as evidence', async () => {
    const file = write('sized.yaml', annotated('3Gi'));
    const report = await analyzePaths([file], options());
    expect(report.workloads[0]!.ml.model).toMatchObject({
      uri: 'org/model',
      sizeBytes: 3 * 1024 ** 3,
      sizeEvidence: 'annotation',
      sizeSource: { file, line: 6, field: 'metadata.annotations.migrate.dev/model-size' },
    });
  });

  it('a malformed size is an input error naming the field', async () => {
    const file = write('badsize.yaml', annotated('three gigs'));
    const report = await analyzePaths([file], options());
    expect(report.errors).toEqual([
      {
        file,
        line: 6,
        message: expect.stringMatching(
          /^metadata\.annotations\.migrate\.dev\/model-size: invalid quantity "three gigs"/,
        ),
      },
    ]);
  });
});
