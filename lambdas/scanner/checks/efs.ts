/**
 * EFS encryption at rest. Security Hub has two controls on the same DescribeFileSystems field,
 * both mapped to CIS v5.0 2.3.1: EFS.1 (periodic, Config rule efs-encrypted-check, also CIS v3.0
 * 2.4.1) and EFS.8 (change-triggered, efs-filesystem-ct-encrypted, added with the CIS v5.0
 * standard). Both fail a file system whose `Encrypted` is false (EFS encrypts only with KMS keys);
 * neither takes a key parameter at Security Hub's defaults. Both are reported, so findings line up
 * with either Security Hub control.
 */
import type { FileSystemInventory } from '../inventory/types';
import { eachInRegions } from './regional';
import { defineCheck, resource, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html';
const ENCRYPTION_DOCS = 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html';

function encryptionCheck(meta: CheckMetadata) {
  return defineCheck(meta, (b, inv) =>
    eachInRegions(
      b,
      inv,
      { service: 'elasticfilesystem', what: 'EFS file systems' },
      (r) => r.efs.fileSystems,
      (fs: FileSystemInventory, region) => {
        const label = fs.name ? `${fs.name} (${fs.id})` : fs.id;
        const res = resource(meta, fs.arn, region, label, fs.tags);
        if (fs.encrypted)
          return b.pass(
            res,
            `File system ${label} is encrypted at rest with KMS key ${fs.kmsKeyId ?? '(not reported)'}.`,
          );
        b.fail(res, `File system ${label} is not encrypted at rest.`);
      },
    ),
  );
}

const remediation = {
  desc: 'Encryption at rest is chosen at creation: create a new file system with `aws efs create-file-system --encrypted [--kms-key-id <key>]`, copy the data (e.g. with AWS DataSync), move clients to it and delete the unencrypted one.',
};

export const efsEncryptedKms = encryptionCheck({
  id: 'EFS.1',
  title: 'Elastic File System should be configured to encrypt file data at-rest using AWS KMS',
  severity: 'medium',
  securityHubId: 'EFS.1',
  cis: { v5: ['2.3.1'], v3: ['2.4.1'] },
  resourceType: 'AWS::EFS::FileSystem',
  reads: ['elasticfilesystem:DescribeFileSystems'],
  docs: `${SH_DOCS}#efs-1`,
  remediation: { ...remediation, references: [`${SH_DOCS}#efs-1`, ENCRYPTION_DOCS] },
  prowlerCheckIds: ['efs_encryption_at_rest_enabled'],
});

export const efsEncrypted = encryptionCheck({
  id: 'EFS.8',
  title: 'EFS file systems should be encrypted at rest',
  severity: 'medium',
  securityHubId: 'EFS.8',
  cis: { v5: ['2.3.1'] },
  resourceType: 'AWS::EFS::FileSystem',
  reads: ['elasticfilesystem:DescribeFileSystems'],
  docs: `${SH_DOCS}#efs-8`,
  remediation: { ...remediation, references: [`${SH_DOCS}#efs-8`, ENCRYPTION_DOCS] },
  prowlerCheckIds: ['efs_encryption_at_rest_enabled'],
});

export const EFS_CHECKS = [efsEncryptedKms, efsEncrypted];
