import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'migrate-convert-secrets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Unique values planted in Secret objects: none may appear in any byte migrate writes or prints. */
const PLANTED = {
  dataToken: 'planted-data-token-7f3a9c2e51',
  dataPassword: 'planted-db-password-c0ffee4242',
  stringDataKey: 'planted-stringdata-apikey-9e8d7c6b5a',
  tlsKey: '-----BEGIN PRIVATE KEY-----planted-tls-4d3c2b1a',
  configToken: 'planted-dockerconfig-auth-a1b2c3d4e5',
};
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** A literal env value in a pod spec: already in the manifest, so it is kept (and flagged). */
const LITERAL = 'literal-in-manifest-token-0000';

const manifests = `
apiVersion: v1
kind: Secret
metadata: {name: model-creds, namespace: ml}
type: Opaque
data:
  token: ${b64(PLANTED.dataToken)}
  password: ${b64(PLANTED.dataPassword)}
stringData:
  api-key: ${PLANTED.stringDataKey}
---
apiVersion: v1
kind: Secret
metadata: {name: bulk-env, namespace: ml}
stringData:
  BULK_TOKEN: ${PLANTED.configToken}
  TLS_KEY: "${PLANTED.tlsKey}"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ranker, namespace: ml}
spec:
  replicas: 1
  selector: {matchLabels: {app: ranker}}
  template:
    metadata: {labels: {app: ranker}}
    spec:
      containers:
        - name: server
          image: ghcr.io/example/ranker:3.0
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: "1", memory: 2Gi}}
          envFrom:
            - secretRef: {name: bulk-env}
          env:
            - name: MODEL_TOKEN
              valueFrom: {secretKeyRef: {name: model-creds, key: token}}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: model-creds, key: password}}
            - name: API_KEY
              valueFrom: {secretKeyRef: {name: model-creds, key: api-key}}
            - name: INLINE_TOKEN
              value: ${LITERAL}
          volumeMounts: [{name: creds, mountPath: /etc/creds, readOnly: true}]
      volumes:
        - name: creds
          secret: {secretName: model-creds}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: scorer, namespace: ml}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: s3://ml-models/scorer
      env:
        - name: AWS_SECRET
          valueFrom: {secretKeyRef: {name: model-creds, key: password}}
      resources: {requests: {cpu: "1", memory: 1Gi}}
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(dir, file))
    .filter((path) => statSync(path).isFile());
}

describe('migrate convert never copies a secret value', () => {
  const input = join(scratch, 'k8s');
  mkdirSync(input);
  writeFileSync(join(input, 'platform.yaml'), manifests);
  const forbidden = Object.values(PLANTED).flatMap((value) => [value, b64(value)]);

  it('in any file it writes, for any target, nor in what it prints', async () => {
    const out = join(scratch, 'out');

    const { code, stdout, stderr } = await runCli([
      'convert',
      input,
      '--out',
      out,
      '--format',
      'json',
      ...['--workload', 'ml/Deployment/ranker', '--workload', 'ml/InferenceService/scorer'],
    ]);

    expect(code).toBe(0);
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(3);
    const everything = [stdout, stderr, ...files.map((file) => readFileSync(file, 'utf8'))].join('\n');
    for (const value of forbidden) expect(everything).not.toContain(value);
    // The references are there instead, and the literal the manifest itself holds is kept.
    expect(everything).toContain('{{resolve:secretsmanager:ml/model-creds:SecretString:token}}');
    expect(everything).toContain('{{resolve:secretsmanager:ml/bulk-env:SecretString:TLS_KEY}}');
    expect(everything).toContain(LITERAL);
  });

  it('nor with --dry-run in either format', async () => {
    for (const format of ['table', 'json']) {
      const { code, stdout, stderr } = await runCli([
        'convert',
        input,
        '--dry-run',
        '-w',
        'ml/Deployment/ranker',
        '--format',
        format,
      ]);

      expect(code).toBe(0);
      for (const value of forbidden) expect(stdout + stderr).not.toContain(value);
    }
  });

  it('the search itself finds a planted value where one is written', () => {
    const leak = join(scratch, 'leak.txt');
    writeFileSync(leak, `x ${b64(PLANTED.dataToken)} y`);

    const text = readFileSync(leak, 'utf8');

    expect(forbidden.some((value) => text.includes(value))).toBe(true);
  });
});
