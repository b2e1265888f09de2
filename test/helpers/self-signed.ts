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
 * A throwaway self-signed certificate for 127.0.0.1 and localhost (subjectAltName), valid one day,
 * written into `dir` as `<name>-key.pem` and `<name>-cert.pem`: the server certificate of an HTTPS
 * fake, and the CA that trusts it. Made at test time with openssl, so no key is ever committed; an
 * EC P-256 key makes it and the handshakes cheap.
 */
export function selfSignedCert(dir: string, name = 'server'): SelfSignedCert {
  const keyPath = join(dir, `${name}-key.pem`);
  const certPath = join(dir, `${name}-cert.pem`);
  // biome-ignore format: the openssl command line, as one would type it
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'pipe' });
  return { keyPath, certPath, key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}
