/**
 * Model loading shared by every handler scaffold: one InferenceSession per instance, behind a
 * layered cache (memory -> local disk -> object store).
 *
 * Why the layers: every request after the first must hit the in-memory session, because creating a
 * session per request would repeat the whole load on the latency path. Below it, the download from
 * the object store is paid only when the disk is empty: a process that starts on a disk that outlived
 * the previous one (a worker restarted on the same instance, or MODEL_CACHE_DIR on a shared mount
 * such as EFS, Azure Files or a Cloud Storage volume) reads the model from disk instead.
 *
 * Configuration (environment):
 * - MODEL_URI        where the model lives: a plain path, file://, http(s)://; s3://, gs:// and other
 *                    schemes need a fetcher registered with setModelFetcher (see defaultFetchModel).
 * - MODEL_CACHE_DIR  local disk layer, default /tmp/model (the only writable path on Lambda).
 * - ORT_INTRA_OP_THREADS  optional; onnxruntime defaults to one thread per core it sees.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/** Fetches the model's bytes from where MODEL_URI points: the object-store layer. */
export type FetchModel = (uri: string) => Promise<Uint8Array>;

/** Thrown for input the caller can fix; handlers map it to HTTP 400. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

export interface ModelStats {
  /** InferenceSession.create calls that succeeded: 1 per instance is the point of this module. */
  sessionsCreated: number;
  /** Downloads from the object-store layer. */
  objectStoreFetches: number;
  /** Loads served by the local disk layer. */
  diskHits: number;
  /** Which layer the current session came from. */
  loadedFrom: 'disk' | 'object-store' | undefined;
  /** Milliseconds the load took, for cold-start logs and dashboards. */
  loadMs: number | undefined;
}

const stats: ModelStats = {
  sessionsCreated: 0,
  objectStoreFetches: 0,
  diskHits: 0,
  loadedFrom: undefined,
  loadMs: undefined,
};

export function modelStats(): ModelStats {
  return { ...stats };
}

/**
 * The default object-store layer. Cloud SDKs are left out on purpose so the package stays small and
 * each target brings only its own; register one with setModelFetcher, for example on AWS:
 *
 *   import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
 *   const s3 = new S3Client({});
 *   setModelFetcher(async (uri) => {
 *     const { hostname: Bucket, pathname } = new URL(uri);
 *     const res = await s3.send(new GetObjectCommand({ Bucket, Key: pathname.slice(1) }));
 *     return res.Body!.transformToByteArray();
 *   });
 *
 * On Google Cloud use @google-cloud/storage (`bucket(b).file(k).download()`) for gs://, on Azure
 * @azure/storage-blob (`downloadToBuffer()`); a pre-signed or SAS https:// URL needs no SDK at all.
 */
export const defaultFetchModel: FetchModel = async (uri) => {
  if (uri.startsWith('file://')) return readFile(fileURLToPath(uri));
  if (uri.startsWith('https://') || uri.startsWith('http://')) {
    const res = await fetch(uri);
    if (!res.ok) throw new Error(`fetching model ${uri}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new Error(`no fetcher for ${uri}: register one with setModelFetcher (see model-cache.ts)`);
  }
  return readFile(uri);
};

let fetchModel: FetchModel = defaultFetchModel;

/** Swaps the object-store layer; call it before the first request (module scope of the handler). */
export function setModelFetcher(fetcher: FetchModel): void {
  fetchModel = fetcher;
}

function modelUri(): string {
  const uri = process.env.MODEL_URI;
  if (!uri) throw new Error('MODEL_URI is not set: point it at the .onnx model');
  return uri;
}

/** Keyed by URI so that deploying a new model version never reads the previous one from disk. */
function diskPath(uri: string): string {
  const dir = process.env.MODEL_CACHE_DIR || '/tmp/model';
  return path.join(dir, `${createHash('sha256').update(uri).digest('hex').slice(0, 16)}.onnx`);
}

function sessionOptions(): InferenceSession.SessionOptions {
  const threads = Number(process.env.ORT_INTRA_OP_THREADS);
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(Number.isInteger(threads) && threads > 0 ? { intraOpNumThreads: threads } : {}),
  };
}

/**
 * Writes via a temporary name and a rename so a process killed mid-write (or a second process on the
 * same disk) never sees a truncated model.
 */
async function writeToDisk(file: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return true;
  } catch (err) {
    // A read-only or full disk costs only the next cold start, so serving goes on from memory.
    console.warn(`model cache: cannot write ${file}: ${String(err)}`);
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function loadSession(): Promise<InferenceSession> {
  const started = performance.now();
  const uri = modelUri();
  const file = diskPath(uri);
  const options = sessionOptions();

  if (await exists(file)) {
    try {
      // Creating from the path lets onnxruntime read the file itself instead of holding a second copy
      // of the weights on the JS heap.
      const session = await InferenceSession.create(file, options);
      stats.diskHits += 1;
      return done(session, 'disk', started);
    } catch (err) {
      // A corrupt copy (say, a disk that filled up under an older version) is replaced from the store.
      console.warn(`model cache: dropping unreadable ${file}: ${String(err)}`);
      await rm(file, { force: true });
    }
  }

  const bytes = await fetchModel(uri);
  stats.objectStoreFetches += 1;
  const onDisk = await writeToDisk(file, bytes);
  const session = onDisk
    ? await InferenceSession.create(file, options)
    : await InferenceSession.create(bytes, options);
  return done(session, 'object-store', started);
}

function done(session: InferenceSession, from: 'disk' | 'object-store', started: number): InferenceSession {
  stats.sessionsCreated += 1;
  stats.loadedFrom = from;
  stats.loadMs = Math.round(performance.now() - started);
  console.log(JSON.stringify({ msg: 'model loaded', from, loadMs: stats.loadMs }));
  return session;
}

/** The memory layer: one promise per instance, so concurrent first requests share a single load. */
let sessionPromise: Promise<InferenceSession> | undefined;
let loaded = false;

export function getSession(): Promise<InferenceSession> {
  if (!sessionPromise) {
    sessionPromise = loadSession().then(
      (session) => {
        loaded = true;
        return session;
      },
      (err: unknown) => {
        // Forget the failure so the next request retries instead of the instance failing forever.
        sessionPromise = undefined;
        throw err;
      },
    );
  }
  return sessionPromise;
}

/** True once the session exists: what readiness endpoints report. */
export function isModelLoaded(): boolean {
  return loaded;
}

/**
 * Loads the model and runs one inference on zeros when the input width is static, so the first real
 * request does not also pay for onnxruntime's first-run allocations.
 */
export async function warmUp(): Promise<void> {
  const session = await getSession();
  const meta = session.inputMetadata[0];
  const width = meta?.isTensor ? meta.shape.at(-1) : undefined;
  if (typeof width === 'number' && width > 0) await predict([new Array<number>(width).fill(0)]);
}

/** Validates untrusted JSON into a non-empty, rectangular matrix of finite numbers. */
export function parseInputs(body: unknown): number[][] {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new BadRequestError('expected {"inputs": number[][]} with at least one row');
  }
  const width = Array.isArray(inputs[0]) ? inputs[0].length : 0;
  for (const row of inputs) {
    if (!Array.isArray(row) || row.length !== width || width === 0) {
      throw new BadRequestError('every row of inputs must be a non-empty array of the same length');
    }
    if (!row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new BadRequestError('inputs must be finite numbers');
    }
  }
  return inputs as number[][];
}

/** Runs the model on a batch: the first input gets [rows, width] floats, the first output is returned. */
export async function predict(inputs: number[][]): Promise<number[][]> {
  const session = await getSession();
  const width = inputs[0]?.length ?? 0;
  const meta = session.inputMetadata[0];
  const expected = meta?.isTensor ? meta.shape.at(-1) : undefined;
  // Checked here so a wrong width is the caller's 400, not an onnxruntime error that reads as a 500.
  if (typeof expected === 'number' && expected !== width) {
    throw new BadRequestError(`each row of inputs must have ${expected} values, got ${width}`);
  }
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const feeds = {
    [inputName]: new Tensor('float32', Float32Array.from(inputs.flat()), [inputs.length, width]),
  };
  const output = (await session.run(feeds))[outputName] as Tensor;
  const data = Array.from(output.data as Float32Array);
  const cols = data.length / inputs.length;
  return inputs.map((_, r) => data.slice(r * cols, (r + 1) * cols));
}
