import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../e2e/harness/commands';

/** The files of a throwaway PKI, all under one folder. */
export interface Certificates {
  /** Signs every certificate below; the API server trusts client certificates it signed. */
  readonly caCert: string;
  readonly caKey: string;
  /** The API server's serving certificate, for 127.0.0.1 and localhost. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate in the group system:masters, for the tests' kubectl and the controller-manager. */
  readonly adminCert: string;
  readonly adminKey: string;
  /** Signs and checks ServiceAccount tokens (the API server's TokenRequest, the controller-manager's legacy tokens). */
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
}

const DAYS = '2';

function openssl(args: string[], cwd: string): void {
  run('openssl', args, { cwd, timeoutMs: 60_000 });
}

function newKey(cwd: string, file: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
}

/** A certificate for `subject` signed by the CA, with the given X.509 v3 extensions. */
function issue(cwd: string, name: string, subject: string, extensions: string[]): void {
  newKey(cwd, `${name}.key`);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], cwd);
  fs.writeFileSync(path.join(cwd, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', DAYS, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    cwd,
  );
}

/**
 * Makes a CA, a serving certificate for the API server on loopback, an admin client certificate
 * and a ServiceAccount signing key pair in `dir`, with openssl. Nothing outlives the folder.
 */
export function makeCertificates(dir: string): Certificates {
  fs.mkdirSync(dir, { recursive: true });
  newKey(dir, 'ca.key');
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=cdk-compose-test-ca', '-days', DAYS, '-sha256',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.crt'],
    dir,
  );
  issue(dir, 'apiserver', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    // The API server also calls itself through the name of its in-cluster Service.
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
  ]);
  // The API server maps O to groups: system:masters may do anything, as a cluster's admin.
  issue(dir, 'admin', '/O=system:masters/CN=cdk-compose-test-admin', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
  ]);
  // ServiceAccount tokens are signed with RSA or ECDSA; RS256 is what every issuer accepts.
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const at = (file: string) => path.join(dir, file);
  return {
    caCert: at('ca.crt'),
    caKey: at('ca.key'),
    serverCert: at('apiserver.crt'),
    serverKey: at('apiserver.key'),
    adminCert: at('admin.crt'),
    adminKey: at('admin.key'),
    serviceAccountKey: at('sa.key'),
    serviceAccountPublicKey: at('sa.pub'),
  };
}
