/**
 * The handler scaffolds `migrate convert` writes into a target folder. Sources are read verbatim from
 * templates/, which are also the files the tests import and run, so what is tested is what ships.
 */
import { readFileSync } from 'node:fs';

export type ScaffoldTarget = 'aws-lambda' | 'cloud-run' | 'azure-functions';

export const SCAFFOLD_TARGETS: readonly ScaffoldTarget[] = ['aws-lambda', 'cloud-run', 'azure-functions'];

export interface ScaffoldFile {
  /** Relative to the target folder, '/'-separated. */
  path: string;
  content: string;
}

export interface ScaffoldOptions {
  /** Written into the README and Azure's local.settings.json; the code itself reads MODEL_URI. */
  modelUri?: string;
}

/**
 * Versions the emitted package.json asks for. A test keeps them equal to this repo's devDependencies,
 * which are the versions the scaffold tests ran against.
 */
export const SCAFFOLD_DEPENDENCIES = {
  'onnxruntime-node': '^1.30.0',
  '@azure/functions': '^4.16.5',
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
} as const;

interface TargetSpec {
  /** Template path (under templates/) -> emitted path. */
  entry: { template: string; emitted: string };
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  extraFiles: (modelUri: string) => ScaffoldFile[];
}

const BUILD = 'tsc -p tsconfig.json';

const TARGETS: Record<ScaffoldTarget, TargetSpec> = {
  'aws-lambda': {
    entry: { template: 'aws-lambda/handler.ts', emitted: 'src/handler.ts' },
    scripts: {
      build: BUILD,
      // The package ships every platform's binaries (~290 MB); Lambda allows 250 MB unzipped.
      'prune-ort':
        'find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 ! -name linux -exec rm -rf {} +',
    },
    dependencies: { 'onnxruntime-node': SCAFFOLD_DEPENDENCIES['onnxruntime-node'] },
    extraFiles: () => [],
  },
  'cloud-run': {
    entry: { template: 'cloud-run/server.ts', emitted: 'src/server.ts' },
    // gcp-build is what Google's Node.js buildpack runs for `gcloud run deploy --source .`.
    scripts: { build: BUILD, 'gcp-build': 'npm run build', start: 'node dist/src/server.js' },
    dependencies: { 'onnxruntime-node': SCAFFOLD_DEPENDENCIES['onnxruntime-node'] },
    extraFiles: () => [],
  },
  'azure-functions': {
    entry: { template: 'azure-functions/function.ts', emitted: 'src/function.ts' },
    scripts: { build: BUILD, prestart: 'npm run build', start: 'func start' },
    dependencies: {
      '@azure/functions': SCAFFOLD_DEPENDENCIES['@azure/functions'],
      'onnxruntime-node': SCAFFOLD_DEPENDENCIES['onnxruntime-node'],
    },
    extraFiles: (modelUri) => [
      json('host.json', {
        version: '2.0',
        extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
      }),
      json('local.settings.json', {
        IsEncrypted: false,
        Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: '', MODEL_URI: modelUri },
      }),
    ],
  },
};

const TEMPLATES = new URL('./templates/', import.meta.url);

function template(relative: string): string {
  return readFileSync(new URL(relative, TEMPLATES), 'utf8');
}

function json(path: string, value: unknown): ScaffoldFile {
  return { path, content: `${JSON.stringify(value, null, 2)}\n` };
}

/** The relative import in the entry templates only resolves if the emitted layout keeps src/ and shared/ siblings. */
const SHARED_CACHE = { template: 'shared/model-cache.ts', emitted: 'shared/model-cache.ts' };

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    // The sources import '../shared/model-cache.ts' (so they also run under vitest unchanged); tsc
    // rewrites that to .js in dist/.
    rewriteRelativeImportExtensions: true,
    skipLibCheck: true,
    types: ['node'],
    rootDir: '.',
    outDir: 'dist',
    sourceMap: true,
  },
  include: ['src', 'shared'],
};

/** onnxruntime-node's postinstall otherwise downloads CUDA binaries that no CPU target can use. */
const NPMRC = 'onnxruntime-node-install=skip\n';

export function scaffoldFiles(target: ScaffoldTarget, options: ScaffoldOptions = {}): ScaffoldFile[] {
  const spec = TARGETS[target];
  if (!spec) throw new Error(`unknown scaffold target: ${String(target)}`);
  const modelUri = options.modelUri ?? '<set MODEL_URI>';
  const pkg = {
    name: `model-serving-${target}`,
    version: '0.1.0',
    private: true,
    type: 'module',
    main: spec.entry.emitted.replace(/^src\/(.*)\.ts$/, 'dist/src/$1.js'),
    engines: { node: '>=20' },
    scripts: spec.scripts,
    dependencies: spec.dependencies,
    devDependencies: {
      '@types/node': SCAFFOLD_DEPENDENCIES['@types/node'],
      typescript: SCAFFOLD_DEPENDENCIES.typescript,
    },
  };
  const files: ScaffoldFile[] = [
    { path: '.npmrc', content: NPMRC },
    { path: 'README.md', content: template(`${target}/README.md`).replaceAll('{{MODEL_URI}}', modelUri) },
    json('package.json', pkg),
    { path: SHARED_CACHE.emitted, content: template(SHARED_CACHE.template) },
    { path: spec.entry.emitted, content: template(spec.entry.template) },
    json('tsconfig.json', TSCONFIG),
    ...spec.extraFiles(modelUri),
  ];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
