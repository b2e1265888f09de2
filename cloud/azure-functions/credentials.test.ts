/**
 * What connect says when the chain finds nothing, or a flag is missing. Its own file (its own test
 * process): the no-credentials case lets MSAL settle on IMDS as the managed identity source, which MSAL
 * then keeps for the process.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrateError } from '../../core/errors.ts';
import { useAzureEnv } from '../../test/helpers/fake-arm.ts';
import { connectAzure } from './client.ts';
import { azureFlags } from './test-support.ts';

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe('connect', () => {
  it('no credentials anywhere in the chain: one MigrateError naming the chain and how to sign in', async () => {
    // No AZURE_* / IDENTITY_* variables, an empty HOME, no az, azd or pwsh on PATH.
    restore = useAzureEnv({}, { emptyPath: true });
    const started = performance.now();
    const error = (await connectAzure(azureFlags({ endpoint: 'https://127.0.0.1:9' })).catch(
      (e: unknown) => e,
    )) as MigrateError;
    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toMatch(
      /^no Azure credentials: DefaultAzureCredential tried EnvironmentCredential .* and none gave a token/,
    );
    expect(error.message).toContain('Azure CLI could not be found');
    expect(error.hint).toContain('az login');
    expect(error.hint).toContain('AZURE_CLIENT_SECRET');
    expect(error.hint).toContain('managed identity');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('no subscription: names --subscription (and AZURE_SUBSCRIPTION_ID) before any network call', async () => {
    restore = useAzureEnv({});
    const error = (await connectAzure(azureFlags({ subscription: null })).catch(
      (e: unknown) => e,
    )) as MigrateError;
    expect(error).toBeInstanceOf(MigrateError);
    expect(error.message).toBe('azure-functions needs a subscription: pass --subscription ID');
    expect(error.hint).toContain('AZURE_SUBSCRIPTION_ID');
  });

  it('no resource group: names --resource-group', async () => {
    restore = useAzureEnv({ AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-0000000000a1' });
    await expect(connectAzure(azureFlags({ subscription: null, resourceGroup: null }))).rejects.toThrow(
      /pass --resource-group NAME$/,
    );
  });

  it('an http:// endpoint is refused up front: Azure sends bearer tokens over HTTPS only', async () => {
    restore = useAzureEnv({});
    await expect(connectAzure(azureFlags({ endpoint: 'http://127.0.0.1:8080' }))).rejects.toThrow(
      /Azure sends bearer tokens only over HTTPS/,
    );
  });

  it('a --ca-file that is not a PEM certificate is named', async () => {
    restore = useAzureEnv({});
    const dir = mkdtempSync(join(tmpdir(), 'migrate-ca-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, 'not a certificate\n');
    try {
      await expect(connectAzure(azureFlags({ caFile: file }))).rejects.toThrow(
        /--ca-file .*ca\.pem: no PEM certificate/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
