/**
 * IAM server certificates (IAM.26): expired SSL/TLS certificates still stored in IAM, one finding
 * per certificate. An account without any has no finding, as Security Hub reports none (its rule
 * evaluates AWS::IAM::ServerCertificate resources only).
 */
import { defineCheck, resource, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html';

const iam_26: CheckMetadata = {
  id: 'IAM.26',
  title: 'Expired SSL/TLS certificates managed in IAM should be removed',
  severity: 'medium',
  securityHubId: 'IAM.26',
  cis: { v5: ['1.18'], v3: ['1.19'] },
  resourceType: 'AWS::IAM::ServerCertificate',
  reads: ['iam:ListServerCertificates'],
  docs: `${SH_DOCS}#iam-26`,
  remediation: {
    desc: 'Delete the expired certificate (`aws iam delete-server-certificate --server-certificate-name <name>`) after moving whatever still uses it to a current certificate (preferably one from ACM).',
    references: [
      `${SH_DOCS}#iam-26`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html',
    ],
  },
  prowlerCheckIds: ['iam_no_expired_server_certificates_stored'],
};
export const expiredServerCertificates = defineCheck(iam_26, (b, inv) => {
  const listed = inv.iam.serverCertificates;
  for (const cert of listed.items) {
    const res = resource(iam_26, cert.arn, inv.homeRegion, cert.name);
    if (cert.expiration === undefined) {
      // IAM always states an expiry; without one the certificate cannot be shown to be current.
      b.fail(res, `Server certificate ${cert.name} has no expiration date in IAM's answer.`);
    } else if (Date.parse(cert.expiration) <= Date.parse(inv.observedAt)) {
      b.fail(
        res,
        `Server certificate ${cert.name} expired on ${cert.expiration} and is still stored in IAM.`,
      );
    } else {
      b.pass(res, `Server certificate ${cert.name} is valid until ${cert.expiration}.`);
    }
  }
  b.listError(
    listed,
    b.scope('iam', inv.homeRegion, 'IAM server certificates'),
    'the server certificates that were not listed',
  );
});

export const IAM_CERTIFICATE_CHECKS = [expiredServerCertificates];
