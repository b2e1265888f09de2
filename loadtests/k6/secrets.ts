/**
 * Keeping secrets out of generated scripts (design rule: secret values never leave the input). A header
 * or URL that looks like it carries a credential is written as a required environment variable; the
 * value is given at run time (`k6 run -e NAME=…`, or a Kubernetes Secret for a TestRun).
 */

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|api[-_]?key|password|auth/i;
/** Query parameters that carry keys: Azure Functions `code`, SAS `sig`, API keys and tokens. */
const SECRET_QUERY =
  /^(code|sig|signature|key|apikey|api[-_]key|token|access[-_]token|secret|password|x-amz-signature|x-amz-security-token)$/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function urlHasSecret(url: URL): boolean {
  if (url.username || url.password) return true;
  return [...url.searchParams.keys()].some((key) => SECRET_QUERY.test(key));
}

/** `MIGRATE_HEADER_X_API_KEY` from `X-Api-Key`; `MIGRATE_URL_CANARY` from target `canary`. */
export function envName(prefix: 'MIGRATE_HEADER' | 'MIGRATE_URL', name: string): string {
  return `${prefix}_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
