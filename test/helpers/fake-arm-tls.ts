import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from './self-signed.ts';

/**
 * The fake ARM endpoint's certificate, made once per test process. Azure's bearer-token policy refuses
 * plain HTTP ("Bearer token authentication is not permitted for non-TLS protected (non-https) URLs",
 * @azure/core-rest-pipeline), so the fake must be HTTPS; the SDK trusts it through `--ca-file`
 * (CloudFlags.caFile).
 */
export interface FakeTls {
  /** The PEM certificate, which is its own CA: pass as --ca-file. */
  caFile: string;
  cert: Buffer;
  key: Buffer;
}

let made: FakeTls | null = null;

export function fakeTls(): FakeTls {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'fake-arm-tls-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const cert = selfSignedCert(dir);
  made = { caFile: cert.certPath, cert: Buffer.from(cert.cert), key: Buffer.from(cert.key) };
  return made;
}
