/**
 * SDK errors as MigrateErrors a user can act on: which permission, which flag, what Lambda said. The
 * messages carry the operation, the function and Lambda's own message; never a credential (Lambda's
 * messages name the caller's ARN at most).
 */

import { MigrateError } from '../../core/errors.ts';

export const CREDENTIALS_HINT = [
  "credentials come only from the AWS SDK's default chain, in this order:",
  'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) in the environment, unless AWS_PROFILE is set;',
  'the profile AWS_PROFILE names (else `default`) in ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE), including IAM Identity Center (SSO: `aws sso login --profile P`), credential_process and role_arn;',
  'AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN (EKS IRSA, CI OIDC);',
  'the container credentials endpoint (ECS task role, EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_*);',
  'the EC2 instance metadata service (IMDS; off when AWS_EC2_METADATA_DISABLED=true).',
  'Run `aws configure` (or `aws configure sso`), or export AWS_PROFILE, then check with `aws sts get-caller-identity`.',
].join(' ');

export const REGION_HINT =
  'pass --region, or set AWS_REGION, or `region` in the profile AWS_PROFILE names (~/.aws/config; `aws configure set region eu-west-1`)';

/** The fields of an AWS SDK service exception that matter here. */
interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

export function errorName(error: unknown): string {
  const sdk = error as SdkError | null;
  return sdk?.name ?? sdk?.code ?? 'Error';
}

export function isNotFound(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

export function isThrottled(error: unknown): boolean {
  return errorName(error) === 'TooManyRequestsException' || statusOf(error) === 429;
}

/**
 * `operation` is the IAM action (`lambda:GetFunction`), `resource` the function (and qualifier) it
 * was about. Errors that are already MigrateErrors pass through.
 */
export function toMigrateError(error: unknown, operation: string, resource: string): MigrateError {
  if (error instanceof MigrateError) return error;
  const name = errorName(error);
  const message = (error as SdkError | null)?.message ?? String(error);
  const status = statusOf(error);
  const what = `${operation} on ${resource}`;
  if (name === 'CredentialsProviderError')
    return new MigrateError(`${what}: no AWS credentials (${message})`, {
      hint: CREDENTIALS_HINT,
      cause: error,
    });
  if (/region is missing/i.test(message))
    return new MigrateError(`${what}: no AWS region`, { hint: REGION_HINT, cause: error });
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    (status === 403 && !isCredentialError(name))
  )
    return new MigrateError(`${what}: access denied: ${message}`, {
      hint: `the caller needs the IAM permission ${operation} on ${resource}; docs/cloud/aws-lambda.md lists every permission apply, verify and measure use`,
      cause: error,
    });
  if (isCredentialError(name))
    return new MigrateError(`${what}: the credentials were rejected (${name}): ${message}`, {
      hint: `${CREDENTIALS_HINT} Expired SSO or session credentials: sign in again.`,
      cause: error,
    });
  if (isThrottled(error)) {
    const attempts = (error as SdkError).$metadata?.attempts;
    return new MigrateError(
      `${what}: throttled by Lambda${attempts ? ` after ${attempts} attempts` : ''}: ${message}`,
      {
        hint: 'wait and run again; raise the attempts with AWS_MAX_ATTEMPTS (or `max_attempts` in the profile), or ask for a higher Lambda quota',
        cause: error,
      },
    );
  }
  if (name === 'ResourceNotFoundException')
    return new MigrateError(`${what}: not found: ${message}`, {
      hint: 'check the function name and --region (`aws lambda list-functions`)',
      cause: error,
    });
  if (name === 'ResourceConflictException')
    return new MigrateError(`${what}: conflict: ${message}`, {
      hint: 'another update is in progress or the resource already exists: run `migrate verify`, then apply again',
      cause: error,
    });
  if (status !== undefined && status >= 400 && status < 500)
    return new MigrateError(`${what}: Lambda rejected the request (${name}): ${message}`, {
      hint: 'fix the value Lambda names (in the template or the flag), then run again',
      cause: error,
    });
  if (status !== undefined)
    return new MigrateError(`${what}: Lambda failed (${name}, HTTP ${status}): ${message}`, {
      hint: 'a service-side error: run again later',
      cause: error,
    });
  return new MigrateError(`${what}: ${message}`, {
    hint: 'check the network path to the Lambda endpoint (--endpoint, proxies, --ca-file)',
    cause: error,
  });
}

function isCredentialError(name: string): boolean {
  return [
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'ExpiredTokenException',
    'MissingAuthenticationTokenException',
    'IncompleteSignatureException',
  ].includes(name);
}
