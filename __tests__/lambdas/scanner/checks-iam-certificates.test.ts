import { expiredServerCertificates } from '../../../lambdas/scanner/checks/iam-certificates';
import type { ServerCertificateInventory } from '../../../lambdas/scanner/inventory/types';
import { ACCOUNT, collectionError, CONFIG, daysAgo, inventory, NOW, statusOf } from './fixtures';

describe('IAM.26 expired server certificates', () => {
  const cert = (name: string, expiration?: string): ServerCertificateInventory => ({
    name,
    arn: `arn:aws:iam::${ACCOUNT}:server-certificate/${name}`,
    expiration,
    uploadDate: daysAgo(800),
  });

  it('fails an expired certificate and passes a current one, one finding each', () => {
    // Arrange
    const expired = cert('old', daysAgo(1));
    const current = cert('new', new Date(Date.parse(NOW) + 30 * 86_400_000).toISOString());
    const inv = inventory({ iam: { serverCertificates: { items: [expired, current] } } });

    // Act
    const findings = expiredServerCertificates.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(2);
    expect(statusOf(findings, expired.arn)).toMatchObject({
      status: 'FAIL',
      resource: { type: 'AWS::IAM::ServerCertificate', name: 'old' },
    });
    expect(statusOf(findings, current.arn).status).toBe('PASS');
  });

  it('fails a certificate without an expiration date rather than assuming it is current', () => {
    const c = cert('undated');
    const inv = inventory({ iam: { serverCertificates: { items: [c] } } });
    expect(statusOf(expiredServerCertificates.evaluate(inv, CONFIG), c.arn).status).toBe('FAIL');
  });

  it('reports nothing for an account without certificates, as Security Hub does', () => {
    expect(expiredServerCertificates.evaluate(inventory(), CONFIG)).toEqual([]);
  });

  it('reports ERROR for the certificates a failed listing hid and still judges those read', () => {
    // Arrange
    const expired = cert('old', daysAgo(3));
    const error = collectionError('ListServerCertificates', {
      service: 'iam',
      kind: 'throttled',
      code: 'Throttling',
    });
    const inv = inventory({ iam: { serverCertificates: { items: [expired], error } } });

    // Act
    const findings = expiredServerCertificates.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => f.status)).toEqual(['FAIL', 'ERROR']);
    expect(findings[1]!.statusDetail).toContain('ListServerCertificates failed');
  });
});
