import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A certificate authority of our own, and a server certificate it signed (made with openssl). */
export interface PrivateCa {
  /** The authority's certificate, PEM, and the file holding it (for NODE_EXTRA_CA_CERTS). */
  caPem: string;
  caFile: string;
  /** The server's key and certificate, PEM. */
  serverKey: string;
  serverCert: string;
  dispose(): void;
}

/** Server certificate names: loopback, and `*.azml.test`, `*.blob.azml.test`, `*.file.azml.test` (reached through a proxy). */
export function createPrivateCa(): PrivateCa {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'azml-ca-'));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-days', '2', '-subj', '/CN=azml test private CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'),
    '-subj', '/CN=azml test server');
  writeFileSync(file('server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:*.azml.test,DNS:*.blob.azml.test,DNS:*.file.azml.test',
  ].join('\n'));
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext'));
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    serverKey: readFileSync(file('server.key'), 'utf8'),
    serverCert: readFileSync(file('server.pem'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
