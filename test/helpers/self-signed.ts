import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSignedCert {
  keyPath: string;
  certPath: string;
  key: string;
  cert: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 (CN and IP subjectAltName), valid one day, written
 * into `dir` as key.pem and cert.pem: the server certificate of an HTTPS fake, and the CA that trusts
 * it. Made at test time with openssl, so no key is ever committed.
 */
export function selfSignedCert(dir: string, name = 'server'): SelfSignedCert {
  const keyPath = join(dir, `${name}-key.pem`);
  const certPath = join(dir, `${name}-cert.pem`);
  // biome-ignore format: the openssl command line, as one would type it
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'pipe' });
  return { keyPath, certPath, key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}
