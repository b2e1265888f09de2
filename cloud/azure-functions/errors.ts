/**
 * SDK and credential errors → MigrateError with what to do about them. ARM errors carry
 * `{ error: { code, message } }` (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors);
 * the provider's message is echoed (it names the action, the scope, the invalid field — never a
 * token), request headers never are.
 */

import { MigrateError } from '../../core/errors.ts';

export interface ErrorContext {
  /** `web.sites.get`, `sign in`, …: what was being done. */
  operation: string;
  /** The resource the call was about, for the message. */
  name?: string;
  endpoint?: string;
}

/** The credentials DefaultAzureCredential tries, in order (@azure/identity 4). */
export const CREDENTIAL_CHAIN =
  'EnvironmentCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH), WorkloadIdentityCredential (AZURE_FEDERATED_TOKEN_FILE), ManagedIdentityCredential (Azure hosts), VisualStudioCodeCredential, AzureCliCredential (az login), AzurePowerShellCredential (Connect-AzAccount), AzureDeveloperCliCredential (azd auth login)';

const CREDENTIAL_HINT =
  'sign in with `az login` (or `azd auth login`), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal, or run where a managed identity is assigned; see https://aka.ms/azsdk/js/identity/defaultazurecredential/troubleshoot';

/** Built-in roles that hold the Microsoft.Web actions apply and verify use. */
export function roleFor(action: string): string {
  if (/^Microsoft\.Web\/serverfarms\/(read|join)/i.test(action))
    return 'Website Contributor (it may read and join plans), or Reader for reads';
  if (/^Microsoft\.Web\/serverfarms/i.test(action)) return 'Web Plan Contributor (or Contributor)';
  if (/^Microsoft\.Web\/sites\/read$/i.test(action)) return 'Reader (or Website Contributor)';
  if (/^Microsoft\.Web\/sites/i.test(action)) return 'Website Contributor (or Contributor)';
  return 'Contributor';
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errors?: unknown[];
  details?: { error?: { code?: string; message?: string } };
  response?: { headers?: { get(name: string): string | undefined } };
}

export function toMigrateError(error: unknown, context: ErrorContext): Error {
  if (error instanceof MigrateError) return error;
  const sdk = (error ?? {}) as SdkError;
  const what = `${context.operation}${context.name ? ` ${context.name}` : ''}`;
  switch (sdk.name) {
    case 'AggregateAuthenticationError':
    case 'CredentialUnavailableError': {
      const tried = (sdk.errors ?? [sdk])
        .map((inner) => firstSentence((inner as SdkError).message ?? ''))
        .filter(Boolean);
      return new MigrateError(
        `no Azure credentials: DefaultAzureCredential tried ${CREDENTIAL_CHAIN} and none gave a token${tried.length ? ` (${tried.join('; ')})` : ''}`,
        { hint: CREDENTIAL_HINT, cause: error },
      );
    }
    case 'AuthenticationError':
    case 'AuthenticationRequiredError':
      return new MigrateError(
        `Azure refused the credentials while signing in: ${firstSentence(sdk.message ?? '')}`,
        {
          hint: `${CREDENTIAL_HINT}. A service principal's secret may have expired, or its tenant (AZURE_TENANT_ID) may be wrong`,
          cause: error,
        },
      );
  }
  const network = typeof sdk.statusCode === 'number' ? undefined : sdk.code;
  if (network && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(network))
    return new MigrateError(`${what}: TLS certificate not trusted (${network})`, {
      hint: "pass --ca-file with the CA (PEM) that signed the endpoint's certificate",
      cause: error,
    });
  if (network && /^E[A-Z]+$/.test(network))
    return new MigrateError(`${what}: cannot reach ${context.endpoint ?? 'Azure'} (${network})`, {
      hint: 'check --endpoint and the network (proxy: HTTPS_PROXY)',
      cause: error,
    });
  if (typeof sdk.statusCode === 'number') {
    const status = sdk.statusCode;
    const code = sdk.code ?? sdk.details?.error?.code ?? (status ? `HTTP ${status}` : 'error');
    const message = sdk.details?.error?.message ?? sdk.message ?? '';
    if (status === 401)
      return new MigrateError(`${what}: ARM refused the token (${code}): ${message}`, {
        hint: `the token must be for ${context.endpoint ?? 'the ARM endpoint'}/.default in the subscription's tenant: check --endpoint, AZURE_TENANT_ID and the signed-in account (az account show)`,
        cause: error,
      });
    if (status === 403 || code === 'AuthorizationFailed') {
      const action = /action '([^']+)'/.exec(message)?.[1] ?? null;
      const scope = /scope '([^']+)'/.exec(message)?.[1] ?? null;
      return new MigrateError(`${what}: not allowed (${code}): ${message}`, {
        hint: `grant the signed-in identity ${action ? `${action} — the built-in role ${roleFor(action)}` : 'the built-in role Website Contributor (sites) and Web Plan Contributor (plans)'}${scope ? ` on ${scope}` : ''}: \`az role assignment create --assignee <you> --role "<role>" --scope <resource group id>\``,
        cause: error,
      });
    }
    if (status === 404 || /NotFound$/.test(code)) {
      const hint =
        code === 'ResourceGroupNotFound'
          ? 'create it (`az group create --name <resource-group> --location <region>`) or pass the right --resource-group'
          : code === 'SubscriptionNotFound'
            ? 'check --subscription / AZURE_SUBSCRIPTION_ID (`az account list -o table`)'
            : 'check the name, --resource-group and --subscription';
      return new MigrateError(`${what}: not found (${code}): ${message}`, { hint, cause: error });
    }
    if (status === 429)
      return new MigrateError(`${what}: throttled by ARM after the SDK's retries (${code}): ${message}`, {
        hint: `ARM limits requests per subscription and principal; wait ${retryAfter(sdk) ?? 'a minute'} and run again (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling)`,
        cause: error,
      });
    if (status !== undefined && status >= 400 && status < 500)
      return new MigrateError(`${what}: ARM refused the request (${code}): ${message}`, {
        hint: "the message above is Azure's; fix the converted file or the flag it names and run again",
        cause: error,
      });
    return new MigrateError(`${what}: Azure answered ${code}: ${message}`, {
      hint: "a service-side failure after the SDK's retries; run again later",
      cause: error,
    });
  }
  const lro = (error as { message?: string })?.message ?? '';
  if (/long-running operation|Polling/i.test(lro))
    return new MigrateError(`${what}: the long-running operation failed: ${lro}`, {
      hint: 'the Azure portal (Activity log of the resource group) has the details',
      cause: error,
    });
  return error instanceof Error ? error : new Error(String(error));
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

function retryAfter(error: SdkError): string | null {
  const value = error.response?.headers?.get('retry-after');
  return value ? `${value} s (its Retry-After)` : null;
}
