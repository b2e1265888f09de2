/**
 * A fake Google Cloud metadata server (the one GCE, Cloud Run and GKE serve at 169.254.169.254), the
 * last link of the Application Default Credentials chain. gcp-metadata reaches it at GCE_METADATA_HOST.
 * Implements the paths google-auth-library's Compute client and gcp-metadata read
 * (https://cloud.google.com/compute/docs/metadata/predefined-metadata-keys,
 * https://cloud.google.com/compute/docs/access/authenticate-workloads#applications):
 *
 * - GET /computeMetadata/v1/instance — gcp-metadata's "is the server there" ping
 * - GET /computeMetadata/v1/instance/service-accounts/default/token — an OAuth access token
 * - GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=…&format=full — an ID token
 * - GET /computeMetadata/v1/project/project-id
 * - GET /computeMetadata/v1/universe/universe-domain
 *
 * Every request must carry `Metadata-Flavor: Google` (else 403, as the real server answers), and every
 * response does. Tokens are random per server; ID tokens are unsigned JWTs whose `aud` is the audience,
 * and `issuedIdToken(token)` says which audience the server issued a token for.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMetadata {
  /** `127.0.0.1:PORT`, the value for GCE_METADATA_HOST. */
  host: string;
  project: string;
  /** The access token every token request gets. */
  accessToken: string;
  calls: { path: string; flavor: string | null }[];
  /** The audience the server issued this ID token for, or null when it did not issue it. */
  issuedIdToken(token: string): string | null;
  close(): Promise<void>;
}

const PREFIX = '/computeMetadata/v1/';

export async function startFakeMetadata(options: { project: string }): Promise<FakeMetadata> {
  const accessToken = `ya29.fake-${randomBytes(12).toString('hex')}`;
  const idTokens = new Map<string, string>();
  const calls: FakeMetadata['calls'] = [];

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://metadata');
    const flavor = (request.headers['metadata-flavor'] as string | undefined) ?? null;
    calls.push({ path: `${url.pathname}${url.search}`, flavor });
    response.setHeader('Metadata-Flavor', 'Google');
    const send = (status: number, body: string, type = 'application/text') => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, 'Method not allowed');
    if (flavor !== 'Google') return send(403, 'Missing Metadata-Flavor:Google header.', 'text/html');
    const key = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : null;
    switch (key) {
      case 'instance':
      case 'instance/':
        return send(200, 'attributes/\nhostname\nid\nservice-accounts/\nzone\n');
      case 'instance/service-accounts/default/token':
        return send(
          200,
          JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }),
          'application/json',
        );
      case 'instance/service-accounts/default/identity': {
        const audience = url.searchParams.get('audience');
        if (!audience) return send(400, 'non-empty audience parameter required');
        const token = idToken(audience);
        idTokens.set(token, audience);
        return send(200, token);
      }
      case 'project/project-id':
        return send(200, options.project);
      case 'universe/universe-domain':
        return send(200, 'googleapis.com');
      default:
        return send(404, 'Not Found', 'text/html');
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    project: options.project,
    accessToken,
    calls,
    issuedIdToken: (token) => idTokens.get(token) ?? null,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An unsigned JWT shaped like Google's (the client reads `exp` from it to know when to refresh). */
function idToken(audience: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', kid: 'fake', typ: 'JWT' };
  const payload = {
    aud: audience,
    azp: '100000000000000000001',
    email: 'fake-sa@fake.iam.gserviceaccount.com',
    exp: now + 3600,
    iat: now,
    iss: 'https://accounts.google.com',
    sub: '100000000000000000001',
    nonce: randomBytes(8).toString('hex'),
  };
  return `${encode(header)}.${encode(payload)}.${randomBytes(32).toString('base64url')}`;
}
