import { describe, expect, it } from 'vitest';
import { analyzeYaml } from '../common/testing.ts';
import { livenessProbe, servingPort, startupProbe } from './probes.ts';

/** The main container of a one-container Deployment with the given ports and probes (YAML, indented 10). */
async function containerWith(body: string) {
  const report = await analyzeYaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: scorer, namespace: team}
spec:
  replicas: 1
  selector: {matchLabels: {app: scorer}}
  template:
    metadata: {labels: {app: scorer}}
    spec:
      containers:
        - name: server
          image: ghcr.io/team/scorer:2.1
${body}
`);
  return report.workloads[0]!.containers.find((container) => container.role === 'main')!;
}

const httpPort = '          ports: [{name: http, containerPort: 8000}, {name: grpc, containerPort: 8001}]\n';
const options = (container: Awaited<ReturnType<typeof containerWith>>, extra = {}) => ({
  port: servingPort(container),
  server: null,
  gpu: false,
  scaffold: false,
  ...extra,
});

describe('the startup probe: built from the pod, long enough for the model load', () => {
  it("keeps a startup probe's check and budget: httpGet /health on the named port, 60 × 10 s", async () => {
    const container = await containerWith(
      `${httpPort}          startupProbe: {httpGet: {path: /health, port: http}, periodSeconds: 10, failureThreshold: 60}`,
    );

    const { probe, source, notes } = startupProbe(container, options(container));

    expect(probe).toEqual({
      httpGet: { path: '/health', port: 8000 },
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 60,
    });
    expect(source).toMatch(
      /^startupProbe httpGet \/health \(-:\d+ .*Kubernetes allowed 0 s \+ 60 × 10 s = 600 s; window 60 × 10 s = 600 s/,
    );
    expect(notes.join('\n')).toMatch(/allows 600 s .*older Cloud Run documentation limits this to 240 s/);
  });

  it("stretches a readiness probe's short budget to the 240 s Cloud Run's default probe waits, keeping its delay", async () => {
    const container = await containerWith(
      `${httpPort}          readinessProbe: {httpGet: {path: /v2/health/ready, port: http}, initialDelaySeconds: 20}`,
    );

    const { probe, source } = startupProbe(container, options(container));

    expect(probe).toEqual({
      httpGet: { path: '/v2/health/ready', port: 8000 },
      initialDelaySeconds: 20,
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 22,
    });
    expect(source).toContain('Kubernetes allowed 20 s + 3 × 10 s = 50 s');
    expect(source).toContain('window 20 s + 22 × 10 s = 240 s');
  });

  it('caps the window at 600 s without a GPU and 1,800 s with one, and says so', async () => {
    const container = await containerWith(
      `${httpPort}          startupProbe: {httpGet: {path: /health, port: http}, periodSeconds: 10, failureThreshold: 100}`,
    );

    const cpu = startupProbe(container, options(container));
    const gpu = startupProbe(container, options(container, { gpu: true }));

    expect(cpu.probe.failureThreshold).toBe(60);
    expect(cpu.notes.join('\n')).toMatch(/capped at 600 s .*the pod was allowed 1000 s/);
    expect(gpu.probe.failureThreshold).toBe(100);
    expect(gpu.notes.join('\n')).not.toMatch(/capped/);
  });

  it('clamps the period to 240 s and keeps the timeout below the period', async () => {
    const long = await containerWith(
      `${httpPort}          startupProbe: {httpGet: {path: /, port: 8000}, periodSeconds: 300, failureThreshold: 2}`,
    );
    const tight = await containerWith(
      `${httpPort}          readinessProbe: {httpGet: {path: /, port: 8000}, periodSeconds: 5, timeoutSeconds: 5}`,
    );

    // 600 s at 240 s per period would take 3 periods (720 s), over the 600-s cap: 2.
    expect(startupProbe(long, options(long)).probe).toMatchObject({
      periodSeconds: 240,
      failureThreshold: 2,
    });
    expect(startupProbe(tight, options(tight)).probe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 4 });
  });

  it("uses a known server's health endpoint when the pod has no HTTP probe", async () => {
    const container = await containerWith(httpPort);

    const { probe, source } = startupProbe(container, options(container, { server: 'vllm' }));

    expect(probe.httpGet).toEqual({ path: '/health', port: 8000 });
    expect(probe.failureThreshold * probe.periodSeconds).toBe(240);
    expect(source).toMatch(/\/health is vllm's health endpoint/);
  });

  it('falls back to TCP, and says traffic may then arrive before the model is loaded', async () => {
    const container = await containerWith(
      `${httpPort}          readinessProbe: {exec: {command: [cat, /tmp/ready]}}`,
    );

    const { probe, notes } = startupProbe(container, options(container));

    expect(probe.tcpSocket).toEqual({ port: 8000 });
    expect(notes.join('\n')).toMatch(/exec probe .* has no Cloud Run equivalent/);
    expect(notes.join('\n')).toMatch(/TCP only: traffic arrives as soon as the port opens/);
  });

  it('serves on the port the probe checks when the container declares it', async () => {
    const container = await containerWith(
      `          ports: [{name: http, containerPort: 8000}, {name: admin, containerPort: 9000}]
          startupProbe: {httpGet: {path: /ready, port: 9000}}`,
    );

    const { probe, notes } = startupProbe(container, options(container));

    expect(probe.httpGet).toEqual({ path: '/ready', port: 9000 });
    expect(notes).toEqual([]);
  });

  it("the scaffold's /ready wins over the pod's probes", async () => {
    const container = await containerWith(
      `${httpPort}          readinessProbe: {httpGet: {path: /old, port: http}}`,
    );

    const { probe } = startupProbe(container, {
      port: { port: null, h2c: false, source: '' },
      server: null,
      gpu: false,
      scaffold: true,
    });

    expect(probe.httpGet).toEqual({ path: '/ready' });
  });
});

describe('the serving port: Cloud Run routes to one', () => {
  it('takes the port the probes check, then one named for HTTP', async () => {
    const probed = await containerWith(
      `          ports: [{name: grpc, containerPort: 8001}, {name: web, containerPort: 8080}, {name: metrics, containerPort: 8002}]
          readinessProbe: {httpGet: {path: /, port: metrics}}`,
    );
    const named = await containerWith(
      '          ports: [{name: grpc, containerPort: 8001}, {name: http, containerPort: 8000}]',
    );

    expect(servingPort(probed).port).toBe(8002);
    expect(servingPort(named)).toMatchObject({ port: 8000, h2c: false });
  });

  it('a gRPC-only server gets h2c; no port at all leaves Cloud Run its 8080', async () => {
    expect(
      servingPort(await containerWith('          ports: [{name: grpc, containerPort: 8500}]')),
    ).toMatchObject({
      port: 8500,
      h2c: true,
    });
    expect(servingPort(await containerWith('')).port).toBeNull();
  });

  it('a probe on a port the container does not declare is noted', async () => {
    const container = await containerWith(
      `          ports: [{name: http, containerPort: 8000}]
          startupProbe: {httpGet: {path: /ready, port: 9000}}`,
    );

    const { probe, notes } = startupProbe(container, options(container));

    expect(probe.httpGet).toEqual({ path: '/ready', port: 8000 });
    expect(notes.join('\n')).toMatch(/checked port 9000 .* Cloud Run probes the serving port 8000/);
  });
});

describe('the liveness probe', () => {
  it('keeps an HTTP liveness probe with its timing', async () => {
    const container = await containerWith(
      `${httpPort}          livenessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 15, failureThreshold: 4}`,
    );

    expect(livenessProbe(container, servingPort(container)).probe).toEqual({
      httpGet: { path: '/healthz', port: 8000 },
      periodSeconds: 15,
      timeoutSeconds: 1,
      failureThreshold: 4,
    });
  });

  it('does not carry a TCP liveness probe, and says why', async () => {
    const container = await containerWith(`${httpPort}          livenessProbe: {tcpSocket: {port: 8000}}`);

    const { probe, notes } = livenessProbe(container, servingPort(container));

    expect(probe).toBeNull();
    expect(notes.join('\n')).toMatch(/Cloud Run liveness probes are HTTP or gRPC/);
  });
});
