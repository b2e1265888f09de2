import type { WorkloadReport } from '../../analyzers/report.ts';
import type { ModelServerId } from '../../core/model/index.ts';
import { PROBE } from './limits.ts';
import { at } from './resources.ts';

/**
 * The port Cloud Run sends requests to, and the probes that hold traffic back until the model is
 * loaded. Cloud Run routes to one container port; its startup probe gates traffic the way a pod's
 * readiness (and startup) probe did, and an instance that fails it is shut down, so the window
 * (failureThreshold × periodSeconds) must cover the model load.
 */
type Container = WorkloadReport['containers'][number];
type PodProbe = NonNullable<Container['probes']['startup']>;

export interface ServingPort {
  /** Null: no port declared, Cloud Run's default 8080 applies. */
  port: number | null;
  h2c: boolean;
  source: string;
}

export interface RunProbe {
  httpGet?: { path: string; port?: number };
  tcpSocket?: { port?: number };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** A probe's port as a number: named ports resolve through the container's ports. */
function resolvePort(container: Container, port: number | string | null): number | null {
  if (typeof port === 'number') return port;
  if (port === null) return null;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports.find((entry) => entry.name === port)?.containerPort ?? null;
}

/** The port a probe checks is the one that serves; else a port named for HTTP; else the first that is not gRPC or metrics. */
export function servingPort(container: Container): ServingPort {
  const ports = container.ports;
  if (ports.length === 0)
    return {
      port: null,
      h2c: false,
      source:
        'the container declares no port: Cloud Run sends requests to 8080 and sets PORT (cloud-run-v1 schema, ContainerPort)',
    };
  const probed = (['startup', 'readiness', 'liveness'] as const)
    .map((kind) => container.probes[kind])
    .filter((probe): probe is PodProbe => probe !== null && probe.kind !== 'exec')
    .map((probe) => resolvePort(container, probe.port))
    .find((port) => port !== null && ports.some((entry) => entry.containerPort === port));
  const chosen =
    ports.find((entry) => entry.containerPort === probed) ??
    ports.find((entry) => /^(http|http1|h2c|rest|web)$/i.test(entry.name ?? '')) ??
    ports.find((entry) => !/grpc|metric/i.test(entry.name ?? '')) ??
    ports[0]!;
  const h2c = /grpc|h2c/i.test(chosen.name ?? '');
  const label = `${chosen.containerPort}${chosen.name ? ` (${chosen.name})` : ''}`;
  const why =
    chosen.containerPort === probed
      ? 'the port its probes check'
      : ports.length > 1
        ? 'the HTTP port among several'
        : 'its only port';
  return {
    port: chosen.containerPort,
    h2c,
    source: `containerPort ${label} of container ${container.name}${at(container.source)}, ${why}; Cloud Run routes to one port${h2c ? ', h2c for end-to-end HTTP/2 (gRPC)' : ''}`,
  };
}

/**
 * Health endpoints of known servers, used when the pod declares no HTTP probe: each answers 200 only
 * once its model is loaded. KServe's and MLServer's runtimes and Triton follow the open inference (V2)
 * protocol; vLLM and TGI serve /health, TorchServe /ping. Not in platform-facts.md: the servers' docs.
 */
const SERVER_HEALTH: Partial<Record<ModelServerId, string>> = {
  triton: '/v2/health/ready',
  'kserve-sklearn': '/v2/health/ready',
  'kserve-xgboost': '/v2/health/ready',
  'kserve-lightgbm': '/v2/health/ready',
  'kserve-huggingface': '/v2/health/ready',
  'kserve-pmml': '/v2/health/ready',
  'kserve-paddle': '/v2/health/ready',
  mlserver: '/v2/health/ready',
  vllm: '/health',
  tgi: '/health',
  torchserve: '/ping',
};

export interface StartupOptions {
  port: ServingPort;
  server: ModelServerId | null;
  gpu: boolean;
  /** The ONNX handler scaffold serves GET /ready (503 until the model is loaded). */
  scaffold: boolean;
}

/** What the startup probe checks: the scaffold's /ready, the pod's HTTP/gRPC probe, a known server's endpoint, or TCP. */
function startupCheck(
  container: Container,
  options: StartupOptions,
): { check: Pick<RunProbe, 'httpGet' | 'tcpSocket' | 'grpc'>; from: string; notes: string[] } {
  const port = options.port.port ?? undefined;
  const withPort = port === undefined ? {} : { port };
  if (options.scaffold)
    return {
      check: { httpGet: { path: '/ready', ...withPort } },
      from: 'GET /ready of the ONNX handler scaffold, 503 until the model is loaded (docs/scaffolds.md)',
      notes: [],
    };
  const notes: string[] = [];
  const probe = [container.probes.startup, container.probes.readiness].find(
    (entry): entry is PodProbe => entry !== null && (entry.kind === 'http' || entry.kind === 'grpc'),
  );
  if (probe) {
    const probed = resolvePort(container, probe.port);
    if (probed !== null && port !== undefined && probed !== port)
      notes.push(
        `The pod's probe checked port ${probed}${at(probe.source)}; Cloud Run probes the serving port ${port}: make the health endpoint answer there.`,
      );
    const which = probe === container.probes.startup ? 'startupProbe' : 'readinessProbe';
    return probe.kind === 'http'
      ? {
          check: { httpGet: { path: probe.path ?? '/', ...withPort } },
          from: `${which} httpGet ${probe.path ?? '/'}${at(probe.source)}`,
          notes,
        }
      : { check: { grpc: withPort }, from: `${which} grpc${at(probe.source)}`, notes };
  }
  const exec = [container.probes.startup, container.probes.readiness].find((entry) => entry?.kind === 'exec');
  if (exec)
    notes.push(
      `The pod's exec probe${at(exec.source)} has no Cloud Run equivalent (HTTP, TCP and gRPC only): serve an HTTP endpoint that answers 200 once the model is loaded and point the startup probe at it.`,
    );
  const known = options.server ? SERVER_HEALTH[options.server] : undefined;
  if (known)
    return {
      check: { httpGet: { path: known, ...withPort } },
      from: `the pod declares no HTTP probe; ${known} is ${options.server}'s health endpoint, 200 once the model is loaded (the server's documentation, not platform-facts.md): check it`,
      notes,
    };
  notes.push(
    "The startup probe is TCP only: traffic arrives as soon as the port opens, which may be before the model is loaded. Add an HTTP endpoint that answers 200 once the model is loaded and make it the startup probe's httpGet.",
  );
  return {
    check: { tcpSocket: withPort },
    from: 'the pod declares no HTTP or gRPC probe and the server has no known health endpoint: TCP on the serving port',
    notes,
  };
}

/** The time Kubernetes gave the pod to start: initial delay + failure threshold × period. */
function allowance(probe: PodProbe): number {
  return probe.initialDelaySeconds + probe.failureThreshold * probe.periodSeconds;
}

/**
 * The startup probe. Its window is the larger of what Kubernetes allowed the pod (the startup probe's
 * budget, else the readiness or liveness probe's) and the 240 s Cloud Run's default probe waits, so the
 * model load never has less time than before; at most 600 s (1,800 s with a GPU).
 */
export function startupProbe(
  container: Container,
  options: StartupOptions,
): { probe: RunProbe; source: string; notes: string[] } {
  const { check, from, notes } = startupCheck(container, options);
  const timing = container.probes.startup ?? container.probes.readiness ?? container.probes.liveness;
  const podWindow = timing ? allowance(timing) : null;
  const window = Math.max(podWindow ?? 0, PROBE.defaultWindowSeconds);
  const cap = options.gpu ? PROBE.maxGpuWindowSeconds : PROBE.maxWindowSeconds;
  const period = clamp(timing?.periodSeconds ?? PROBE.defaultPeriodSeconds, 1, PROBE.maxStartupPeriodSeconds);
  const initialDelay = Math.min(timing?.initialDelaySeconds ?? 0, PROBE.maxStartupInitialDelaySeconds);
  let failureThreshold = Math.max(1, Math.ceil((window - initialDelay) / period));
  if (failureThreshold * period > cap) {
    failureThreshold = Math.floor(cap / period);
    notes.push(
      `The startup probe's window is capped at ${cap} s (${PROBE.window}); the pod was allowed ${podWindow} s to start. If the model takes longer to load, load a smaller or quantized model, or mount it instead of downloading it.`,
    );
  }
  if (failureThreshold * period > PROBE.olderMaxWindowSeconds)
    notes.push(
      `The startup probe allows ${failureThreshold * period} s (failureThreshold ${failureThreshold} × periodSeconds ${period}); older Cloud Run documentation limits this to ${PROBE.olderMaxWindowSeconds} s. If \`gcloud run services replace\` rejects it, lower failureThreshold and shorten the model load.`,
    );
  const timeout = Math.min(timing?.timeoutSeconds ?? 1, Math.max(1, period - 1));
  const probe: RunProbe = {
    ...check,
    ...(initialDelay > 0 ? { initialDelaySeconds: initialDelay } : {}),
    periodSeconds: period,
    timeoutSeconds: timeout,
    failureThreshold,
  };
  // The probe that gave the check usually gives the timing too: cite its position once.
  const timingAt = timing && !from.includes(at(timing.source)) ? at(timing.source) : '';
  const podPart =
    timing && podWindow !== null
      ? `Kubernetes allowed ${timing.initialDelaySeconds} s + ${timing.failureThreshold} × ${timing.periodSeconds} s = ${podWindow} s${timingAt}`
      : 'the pod declares no probe timing';
  const source = `${from}; ${podPart}; window ${initialDelay ? `${initialDelay} s + ` : ''}${failureThreshold} × ${period} s = ${initialDelay + failureThreshold * period} s, at least the ${PROBE.defaultWindowSeconds} s that ${PROBE.defaultWindow} waits; no traffic reaches an instance before it passes`;
  return { probe, source, notes };
}

/** The pod's HTTP or gRPC liveness probe, kept: Cloud Run restarts an instance that fails it. */
export function livenessProbe(
  container: Container,
  port: ServingPort,
): { probe: RunProbe | null; source: string; notes: string[] } {
  const live = container.probes.liveness;
  if (!live) return { probe: null, source: '', notes: [] };
  if (live.kind !== 'http' && live.kind !== 'grpc')
    return {
      probe: null,
      source: '',
      notes: [
        `The ${live.kind} liveness probe${at(live.source)} is not carried: Cloud Run liveness probes are HTTP or gRPC. Serve a liveness endpoint and add livenessProbe.httpGet if restarts on hang matter.`,
      ],
    };
  const withPort = port.port === null ? {} : { port: port.port };
  const period = clamp(live.periodSeconds, 1, PROBE.maxLivenessPeriodSeconds);
  const initialDelay = Math.min(live.initialDelaySeconds, PROBE.maxLivenessInitialDelaySeconds);
  const probe: RunProbe = {
    ...(live.kind === 'http' ? { httpGet: { path: live.path ?? '/', ...withPort } } : { grpc: withPort }),
    ...(initialDelay > 0 ? { initialDelaySeconds: initialDelay } : {}),
    periodSeconds: period,
    timeoutSeconds: Math.min(live.timeoutSeconds, Math.max(1, period - 1)),
    failureThreshold: Math.max(1, live.failureThreshold),
  };
  return {
    probe,
    source: `livenessProbe ${live.kind === 'http' ? `httpGet ${live.path ?? '/'}` : 'grpc'}${at(live.source)}, same timing; Cloud Run runs it only after the startup probe passes`,
    notes: [],
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
