import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The App Service managed-identity token endpoint, so DefaultAzureCredential's own chain (its
 * ManagedIdentityCredential, through MSAL's App Service source) signs in the tests with no code of
 * ours in between: IDENTITY_ENDPOINT + IDENTITY_HEADER are what App Service sets in a real app.
 *
 * REST shape: https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference
 * — GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01 with header X-IDENTITY-HEADER; answer
 * { access_token, expires_on (epoch seconds as a string), resource, token_type, client_id }. Plain HTTP
 * on localhost, as in App Service.
 *
 * One per test process: MSAL keeps the managed identity source it picked (and its endpoint) in a static
 * (ManagedIdentityClient.identitySource), so a second endpoint in the same process would never be asked.
 */
export interface FakeTokenEndpoint {
  /** IDENTITY_ENDPOINT and IDENTITY_HEADER. */
  env: Record<string, string>;
  /** The access token it issues: the fake ARM server accepts only this one. */
  token: string;
  requests: { resource: string | null; apiVersion: string | null }[];
}

let started: Promise<FakeTokenEndpoint> | null = null;

export function fakeTokenEndpoint(): Promise<FakeTokenEndpoint> {
  started ??= new Promise((resolve) => {
    const token = `fake-arm-token-${randomBytes(8).toString('hex')}`;
    const secret = randomBytes(8).toString('hex');
    const requests: FakeTokenEndpoint['requests'] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const resource = url.searchParams.get('resource');
      const apiVersion = url.searchParams.get('api-version');
      requests.push({ resource, apiVersion });
      res.setHeader('content-type', 'application/json');
      if (
        req.method !== 'GET' ||
        url.pathname !== '/msi/token' ||
        req.headers['x-identity-header'] !== secret ||
        apiVersion !== '2019-08-01' ||
        !resource
      ) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ error: 'invalid_request', error_description: 'bad managed identity request' }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          access_token: token,
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource,
          token_type: 'Bearer',
          client_id: '00000000-0000-0000-0000-00000000c11e',
        }),
      );
    });
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      const { port } = server.address() as AddressInfo;
      resolve({
        env: { IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`, IDENTITY_HEADER: secret },
        token,
        requests,
      });
    });
  });
  return started;
}
