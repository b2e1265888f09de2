import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCAFFOLD_DEPENDENCIES, SCAFFOLD_TARGETS, type ScaffoldTarget, scaffoldFiles } from './index.ts';

const EXPECTED_PATHS: Record<ScaffoldTarget, string[]> = {
  'aws-lambda': [
    '.npmrc',
    'README.md',
    'package.json',
    'shared/model-cache.ts',
    'src/handler.ts',
    'tsconfig.json',
  ],
  'cloud-run': [
    '.npmrc',
    'README.md',
    'package.json',
    'shared/model-cache.ts',
    'src/server.ts',
    'tsconfig.json',
  ],
  'azure-functions': [
    '.npmrc',
    'README.md',
    'host.json',
    'local.settings.json',
    'package.json',
    'shared/model-cache.ts',
    'src/function.ts',
    'tsconfig.json',
  ],
};

const ENTRY: Record<ScaffoldTarget, { emitted: string; template: string; main: string }> = {
  'aws-lambda': { emitted: 'src/handler.ts', template: 'aws-lambda/handler.ts', main: 'dist/src/handler.js' },
  'cloud-run': { emitted: 'src/server.ts', template: 'cloud-run/server.ts', main: 'dist/src/server.js' },
  'azure-functions': {
    emitted: 'src/function.ts',
    template: 'azure-functions/function.ts',
    main: 'dist/src/function.js',
  },
};

function templateText(relative: string): string {
  return readFileSync(new URL(`./templates/${relative}`, import.meta.url), 'utf8');
}

function file(target: ScaffoldTarget, path: string, modelUri?: string): string {
  const found = scaffoldFiles(target, modelUri === undefined ? {} : { modelUri }).find(
    (f) => f.path === path,
  );
  if (!found) throw new Error(`${target} has no ${path}`);
  return found.content;
}

describe('scaffoldFiles', () => {
  it.each(SCAFFOLD_TARGETS)('%s: emits the expected files, sorted and deterministic', (target) => {
    const files = scaffoldFiles(target, { modelUri: 's3://models/m.onnx' });
    expect(files.map((f) => f.path)).toEqual(EXPECTED_PATHS[target]);
    expect(scaffoldFiles(target, { modelUri: 's3://models/m.onnx' })).toEqual(files);
    for (const f of files) expect(f.content.endsWith('\n')).toBe(true);
  });

  it.each(SCAFFOLD_TARGETS)('%s: ships the tested template sources byte for byte', (target) => {
    expect(file(target, ENTRY[target].emitted)).toBe(templateText(ENTRY[target].template));
    expect(file(target, 'shared/model-cache.ts')).toBe(templateText('shared/model-cache.ts'));
    // The emitted layout must keep the entry's relative import resolvable.
    expect(file(target, ENTRY[target].emitted)).toContain("from '../shared/model-cache.ts'");
  });

  it.each(SCAFFOLD_TARGETS)(
    '%s: package.json is an ESM package on onnxruntime-node with the built entry',
    (target) => {
      const pkg = JSON.parse(file(target, 'package.json')) as {
        type: string;
        main: string;
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
        scripts: Record<string, string>;
      };
      expect(pkg.type).toBe('module');
      expect(pkg.main).toBe(ENTRY[target].main);
      expect(pkg.dependencies['onnxruntime-node']).toBe(SCAFFOLD_DEPENDENCIES['onnxruntime-node']);
      expect(pkg.scripts.build).toBe('tsc -p tsconfig.json');
      expect(Object.keys(pkg.devDependencies)).toEqual(['@types/node', 'typescript']);
      expect(file(target, '.npmrc')).toBe('onnxruntime-node-install=skip\n');
      const tsconfig = JSON.parse(file(target, 'tsconfig.json')) as {
        compilerOptions: Record<string, unknown>;
      };
      expect(tsconfig.compilerOptions).toMatchObject({
        rewriteRelativeImportExtensions: true,
        outDir: 'dist',
      });
    },
  );

  it('adds the target specifics: Azure host files and start scripts', () => {
    const azurePkg = JSON.parse(file('azure-functions', 'package.json')) as {
      dependencies: Record<string, string>;
    };
    expect(azurePkg.dependencies['@azure/functions']).toBe(SCAFFOLD_DEPENDENCIES['@azure/functions']);
    expect(JSON.parse(file('azure-functions', 'host.json'))).toMatchObject({ version: '2.0' });
    const settings = JSON.parse(file('azure-functions', 'local.settings.json', 'https://acct/m.onnx')) as {
      Values: Record<string, string>;
    };
    expect(settings.Values).toMatchObject({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      MODEL_URI: 'https://acct/m.onnx',
    });
    const runPkg = JSON.parse(file('cloud-run', 'package.json')) as { scripts: Record<string, string> };
    expect(runPkg.scripts.start).toBe('node dist/src/server.js');
    const lambdaPkg = JSON.parse(file('aws-lambda', 'package.json')) as { scripts: Record<string, string> };
    expect(lambdaPkg.scripts['prune-ort']).toContain('onnxruntime-node/bin');
  });

  it('fills the model URI into the README, with a placeholder when none is given', () => {
    expect(file('cloud-run', 'README.md', 'gs://b/model.onnx')).toContain('`gs://b/model.onnx`');
    for (const target of SCAFFOLD_TARGETS) {
      const readme = file(target, 'README.md');
      expect(readme).toContain('<set MODEL_URI>');
      expect(readme).not.toContain('{{');
    }
  });

  it('pins the versions this repo tests against', () => {
    const repo = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    for (const [name, range] of Object.entries(SCAFFOLD_DEPENDENCIES)) {
      expect(repo.devDependencies[name], name).toBe(range);
    }
  });

  it('rejects an unknown target', () => {
    expect(() => scaffoldFiles('knative' as ScaffoldTarget)).toThrow(/unknown scaffold target/);
  });
});
