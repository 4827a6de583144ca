import { efsEncrypted, efsEncryptedKms } from '../../../lambdas/scanner/checks/efs';
import {
  dbInstanceEncrypted,
  dbInstanceMinorUpgrades,
  dbInstancePublic,
} from '../../../lambdas/scanner/checks/rds';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type {
  DbInstanceInventory,
  FileSystemInventory,
} from '../../../lambdas/scanner/inventory/types';
import { ACCOUNT, collectionError, CONFIG, inventory, region, REGION, statusOf } from './fixtures';
import { dbInstance, fileSystem } from './fixtures-resources';

const rdsInventory = (items: DbInstanceInventory[], unreadable = false) =>
  inventory({
    regions: [
      region(REGION, {
        rds: {
          instances: {
            items,
            ...(unreadable
              ? { error: collectionError('DescribeDBInstances', { service: 'rds' }) }
              : {}),
          },
        },
      }),
    ],
  });

const efsInventory = (items: FileSystemInventory[], unreadable = false) =>
  inventory({
    regions: [
      region(REGION, {
        efs: {
          fileSystems: {
            items,
            ...(unreadable
              ? { error: collectionError('DescribeFileSystems', { service: 'efs' }) }
              : {}),
          },
        },
      }),
    ],
  });

describe('RDS DB instance checks', () => {
  it.each([
    [
      'RDS.2',
      dbInstancePublic,
      { publiclyAccessible: true },
      ['RDS.2', 'CIS-5.0 2.2.3', 'CIS-3.0 2.3.3'],
    ],
    [
      'RDS.3',
      dbInstanceEncrypted,
      { storageEncrypted: false },
      ['RDS.3', 'CIS-5.0 2.2.1', 'CIS-3.0 2.3.1'],
    ],
    [
      'RDS.13',
      dbInstanceMinorUpgrades,
      { autoMinorVersionUpgrade: false },
      ['RDS.13', 'CIS-5.0 2.2.2', 'CIS-3.0 2.3.2'],
    ],
  ] as const)(
    '%s passes a compliant instance and fails a non-compliant one',
    (_id, check, bad, ids) => {
      // Arrange
      const good = dbInstance('db-good');
      const wrong = dbInstance('db-bad', bad);

      // Act
      const findings = (check as Check).evaluate(rdsInventory([good, wrong]), CONFIG);

      // Assert
      expect(statusOf(findings, good.arn).status).toBe('PASS');
      expect(statusOf(findings, wrong.arn)).toMatchObject({
        status: 'FAIL',
        controlIds: ids,
        resource: { type: 'AWS::RDS::DBInstance', region: REGION, name: 'db-bad' },
      });
    },
  );

  it.each([
    ['RDS.2', dbInstancePublic],
    ['RDS.3', dbInstanceEncrypted],
    ['RDS.13', dbInstanceMinorUpgrades],
  ] as const)(
    '%s reports ERROR for a region whose DB instances could not be listed',
    (_id, check) => {
      // Act
      const findings = (check as Check).evaluate(rdsInventory([], true), CONFIG);

      // Assert
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        status: 'ERROR',
        resource: { uid: `arn:aws:rds:${REGION}:${ACCOUNT}:*` },
      });
    },
  );

  it('judges Aurora, Neptune and DocumentDB instances too, naming the cluster that holds the encryption', () => {
    // Arrange
    const aurora = dbInstance('aurora-1', {
      engine: 'aurora-postgresql',
      clusterId: 'orders',
      storageEncrypted: false,
    });
    const docdb = dbInstance('docdb-1', { engine: 'docdb', clusterId: 'docs' });

    // Act
    const findings = dbInstanceEncrypted.evaluate(rdsInventory([aurora, docdb]), CONFIG);

    // Assert
    expect(statusOf(findings, aurora.arn).status).toBe('FAIL');
    expect(statusOf(findings, aurora.arn).statusDetail).toContain('set on cluster orders');
    expect(statusOf(findings, docdb.arn).status).toBe('PASS');
  });
});

describe('EFS.1 and EFS.8 encryption at rest', () => {
  it.each([
    ['EFS.1', efsEncryptedKms, ['EFS.1', 'CIS-5.0 2.3.1', 'CIS-3.0 2.4.1']],
    ['EFS.8', efsEncrypted, ['EFS.8', 'CIS-5.0 2.3.1']],
  ] as const)(
    '%s passes an encrypted file system and fails an unencrypted one',
    (_id, check, ids) => {
      // Arrange
      const enc = fileSystem('fs-enc');
      const plain = fileSystem('fs-plain', { encrypted: false, kmsKeyId: undefined });

      // Act
      const findings = (check as Check).evaluate(efsInventory([enc, plain]), CONFIG);

      // Assert
      expect(statusOf(findings, enc.arn).status).toBe('PASS');
      expect(statusOf(findings, enc.arn).statusDetail).toContain(enc.kmsKeyId);
      expect(statusOf(findings, plain.arn)).toMatchObject({
        status: 'FAIL',
        controlIds: ids,
        resource: { type: 'AWS::EFS::FileSystem', name: 'fs-name-fs-plain (fs-plain)' },
      });
    },
  );

  it.each([
    ['EFS.1', efsEncryptedKms],
    ['EFS.8', efsEncrypted],
  ] as const)(
    '%s reports ERROR for a region whose file systems could not be listed',
    (_id, check) => {
      const findings = (check as Check).evaluate(efsInventory([], true), CONFIG);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        status: 'ERROR',
        resource: { uid: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:*` },
      });
    },
  );
});
