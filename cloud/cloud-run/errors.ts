/**
 * Cloud Run SDK errors → MigrateError with a hint. The SDK reports the same failure two ways: over gRPC
 * (the default transport) as a GoogleError whose `code` is a gRPC status; over the REST fallback
 * (`--endpoint`) as a GaxiosError whose `code`/`status` is the HTTP status and whose message is the
 * Google JSON error body `{error: {code, message, status}}`. Both become one ProviderError first.
 * Messages carry the provider's text and the resource name only — never a token or a request header,
 * and the raw error is not attached as `cause` (a GaxiosError holds the request's headers).
 */

import { MigrateError } from '../../core/errors.ts';

/** gRPC status codes by number (google.rpc.Code). */
const GRPC_STATUS: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

/** HTTP status → the google.rpc status the API documents for it (https://cloud.google.com/apis/design/errors). */
const HTTP_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export interface ProviderError {
  /** `NOT_FOUND`, `PERMISSION_DENIED`, …; `NETWORK` when the endpoint was not reached; null if unknown. */
  status: string | null;
  /** The provider's own words (from the JSON error or the gRPC details). */
  message: string;
  /** True when gax gave up retrying (its message wraps the last error). */
  retriesExhausted: boolean;
}

const NETWORK_CODES =
  /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)\b/;

export function providerError(error: unknown): ProviderError {
  const record = (error ?? {}) as Record<string, unknown>;
  const text = error instanceof Error ? error.message : String(error);
  const retriesExhausted = /Exceeded maximum number of retries|Total timeout of API .* exceeded/.test(text);
  // The Google JSON error, wherever it is: the whole message (REST fallback) or inside gax's retry wrapper.
  const json = googleJsonError(text);
  if (json) return { status: json.status, message: json.message, retriesExhausted };
  const network = NETWORK_CODES.exec(`${String(record.code ?? '')} ${text} ${causeCode(error)}`);
  if (network) return { status: 'NETWORK', message: network[1]!, retriesExhausted };
  // An HTTP error without Google's JSON body did not come from the Cloud Run API (a proxy, a wrong
  // --endpoint): its status says nothing about the service, so it is not mapped (a bare 404 must not
  // read as "not deployed").
  if (record.name === 'GaxiosError' || 'response' in record) {
    const status = typeof record.status === 'number' ? record.status : null;
    return {
      status: null,
      message: `HTTP ${status ?? '?'} ${oneLine(text).slice(0, 200)}`,
      retriesExhausted,
    };
  }
  const code = record.code;
  const details = typeof record.details === 'string' && record.details ? record.details : null;
  // gax's "Exceeded maximum number of retries retrying error Error: 8 RESOURCE_EXHAUSTED: … before any
  // response was received" (code DEADLINE_EXCEEDED): the wrapped error is what happened.
  const wrapped = retriesExhausted
    ? /\b\d+ ([A-Z_]+): (.*?)(?: before any response was received|$)/s.exec(text)
    : null;
  if (wrapped && Object.values(GRPC_STATUS).includes(wrapped[1]!))
    return { status: wrapped[1]!, message: wrapped[2]!, retriesExhausted };
  const status = typeof code === 'number' ? (GRPC_STATUS[code] ?? null) : null;
  // gRPC errors read `8 RESOURCE_EXHAUSTED: message`; keep the message part.
  const grpcText = /^\d+ [A-Z_]+: ([\s\S]*)$/.exec(text);
  return { status, message: details ?? grpcText?.[1] ?? text, retriesExhausted };
}

function googleJsonError(text: string): { status: string | null; message: string } | null {
  const start = text.search(/\{\s*"error"\s*:/);
  if (start < 0) return null;
  const body = balanced(text, start);
  if (body === null) return null;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: number; message?: string; status?: string } };
    if (!parsed.error || typeof parsed.error !== 'object') return null;
    const status =
      parsed.error.status ?? (parsed.error.code ? (HTTP_STATUS[parsed.error.code] ?? null) : null);
    return { status, message: parsed.error.message ?? '' };
  } catch {
    return null;
  }
}

/** The JSON object that opens at `start`: braces counted outside strings. */
function balanced(text: string, start: number): string | null {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return text.slice(start, index + 1);
  }
  return null;
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  return cause ? `${String(cause.code ?? '')} ${String(cause.message ?? '')}` : '';
}

export function isNotFound(error: unknown): boolean {
  return providerError(error).status === 'NOT_FOUND';
}

/** What was being done, for the message and the permission hint. */
export interface ErrorContext {
  /** `run.services.get`, `run.services.create`, `run.services.patch`, `run.operations.get`. */
  operation: string;
  /** The resource name the call was about. */
  resource: string;
  /** The API endpoint when it is not the public one. */
  endpoint?: string | null;
}

const PERMISSIONS: Record<string, string> = {
  'run.services.get':
    'run.services.get (roles/run.viewer, or roles/run.developer which apply needs anyway) on the project',
  'run.services.create':
    'run.services.create (roles/run.developer) on the project, and iam.serviceAccounts.actAs on the service’s runtime service account (roles/iam.serviceAccountUser)',
  'run.services.patch':
    'run.services.update (roles/run.developer) on the service, and iam.serviceAccounts.actAs on its runtime service account (roles/iam.serviceAccountUser)',
  'run.operations.get': 'run.operations.get (roles/run.viewer or roles/run.developer) on the project',
};

export function cloudRunError(error: unknown, context: ErrorContext): MigrateError {
  if (error instanceof MigrateError) return error;
  const provider = providerError(error);
  const what = `Cloud Run ${context.operation} ${context.resource}`;
  const said = provider.message ? `: ${oneLine(provider.message)}` : '';
  if (isCredentialsError(error)) return noCredentials(error);
  switch (provider.status) {
    case 'PERMISSION_DENIED':
      return new MigrateError(`${what}: permission denied${said}`, {
        hint: `the credentials need ${PERMISSIONS[context.operation] ?? 'roles/run.developer on the project'}; check --project and --region too (a project you cannot see also answers 403)`,
      });
    case 'UNAUTHENTICATED':
      return new MigrateError(`${what}: the credentials were rejected${said}`, {
        hint: 'refresh them: gcloud auth application-default login, or check the key file GOOGLE_APPLICATION_CREDENTIALS names',
      });
    case 'NOT_FOUND':
      return new MigrateError(`${what}: not found${said}`, {
        hint: 'check --project and --region; the service name is metadata.name in service.yaml (or --name)',
      });
    case 'RESOURCE_EXHAUSTED':
      return new MigrateError(`${what}: throttled by Cloud Run after retries${said}`, {
        hint: 'a quota or rate limit (Cloud Run Admin API requests per minute per region) was hit: wait a minute and run it again, or ask for more quota in the Google Cloud console',
      });
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return new MigrateError(`${what}: Cloud Run rejected the request${said}`, {
        hint: 'fix the field it names in service.yaml (migrate apply prints the request it sends), then run apply again',
      });
    case 'ALREADY_EXISTS':
      return new MigrateError(`${what}: already exists${said}`, {
        hint: 'another deploy created it meanwhile: run migrate apply again to update it',
      });
    case 'NETWORK':
      return new MigrateError(
        `${what}: cannot reach the Cloud Run API${context.endpoint ? ` at ${context.endpoint}` : ''} (${provider.message})`,
        {
          hint: context.endpoint
            ? 'check --endpoint'
            : 'check the network connection and any proxy settings (HTTPS_PROXY)',
        },
      );
    default:
      if (provider.retriesExhausted)
        return new MigrateError(`${what}: gave up after retries${said}`, {
          hint: 'Cloud Run kept answering with a temporary error: run it again later',
        });
      return new MigrateError(`${what} failed${provider.status ? ` (${provider.status})` : ''}${said}`, {
        hint: 'run it again; if it persists, check https://status.cloud.google.com',
      });
  }
}

/** google-auth-library's messages when the Application Default Credentials chain finds nothing usable. */
export function isCredentialsError(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /Could not load the default credentials|Unable to read the credential file|The file at .* does not exist|Could not refresh access token|Cannot fetch ID token in this environment/.test(
    text,
  );
}

export const CHAIN =
  'Application Default Credentials, in order: the key file GOOGLE_APPLICATION_CREDENTIALS names; gcloud’s ~/.config/gcloud/application_default_credentials.json; the metadata server on Google Cloud (GCE, Cloud Run, GKE)';

export function noCredentials(error: unknown): MigrateError {
  const text = error instanceof Error ? error.message : String(error);
  const said = oneLine(providerError(error).message).slice(0, 240);
  const keyFile = /Unable to read the credential file|The file at .* does not exist/.test(text);
  const refresh = /Could not refresh access token/.test(text);
  return new MigrateError(
    keyFile
      ? `Cloud Run: the key file GOOGLE_APPLICATION_CREDENTIALS names cannot be used: ${said}`
      : refresh
        ? `Cloud Run: the credentials were found but no access token could be obtained (${said})`
        : `Cloud Run: no Google Cloud credentials found (tried ${CHAIN})`,
    {
      hint: 'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run on Google Cloud with a service account attached; migrate never takes credentials from flags',
    },
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
