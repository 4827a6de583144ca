/**
 * KMS checks, per key in each scanned region: keys scheduled for deletion (KMS.3), automatic
 * rotation (KMS.4), key policies open to everyone (KMS.5).
 *
 * Only customer managed keys are judged. KMS.4's rule names the keys customers create; an AWS
 * managed key cannot be scheduled for deletion and its policy is AWS's (it allows `*` only with
 * the caller-account condition), so for KMS.3 and KMS.5 it could only pass.
 */
import type { FindingResource } from '../../shared/findings';
import { PENDING_DELETION_STATES, rotationApplies } from '../inventory/kms';
import type { Inventory, KmsKeyInventory, KmsKeyMetadata } from '../inventory/types';
import { publicStatements } from './public-policy';
import { defineCheck, regionsOf, resource, type CheckMetadata, type FindingBuilder } from './types';

const KEY = 'AWS::KMS::Key';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html';
/** Key-policy condition key that ties a `*` principal to one account (AWS managed keys use it). */
const KMS_ACCOUNT_KEYS = ['kms:CallerAccount'];

/** `evaluate` for each customer managed key; ERROR where DescribeKey (or the listing) failed. */
function eachCustomerKey(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (key: KmsKeyInventory, meta: KmsKeyMetadata, res: FindingResource) => void,
): void {
  for (const region of regionsOf(inv)) {
    for (const key of region.kms.keys.items) {
      const res = resource(check, key.arn, region.region, key.id);
      if (!key.metadata.ok) {
        b.error(res, `KMS key ${key.id} (DescribeKey)`, key.metadata.error);
        continue;
      }
      if (key.metadata.value.keyManager === 'CUSTOMER') evaluate(key, key.metadata.value, res);
    }
    b.listError(
      region.kms.keys,
      b.scope('kms', region.region, 'KMS keys'),
      `the KMS keys in ${region.region} that were not listed`,
    );
  }
}

const kms_3: CheckMetadata = {
  id: 'KMS.3',
  title: 'AWS KMS keys should not be deleted unintentionally',
  severity: 'critical',
  securityHubId: 'KMS.3',
  resourceType: KEY,
  reads: ['kms:ListKeys', 'kms:DescribeKey'],
  docs: `${SH_DOCS}#kms-3`,
  remediation: {
    desc: 'If the deletion is unintended, cancel it during the waiting period (`aws kms cancel-key-deletion --key-id <key-id>`, then `aws kms enable-key --key-id <key-id>`: a cancelled key stays disabled); otherwise re-encrypt data under another key first.',
    references: [
      `${SH_DOCS}#kms-3`,
      'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-scheduling-key-deletion.html',
    ],
  },
  prowlerCheckIds: ['kms_cmk_not_deleted_unintentionally'],
};
export const keyDeletion = defineCheck(kms_3, (b, inv) =>
  eachCustomerKey(b, inv, kms_3, (key, meta, res) => {
    if (PENDING_DELETION_STATES.includes(meta.keyState)) {
      return b.fail(
        res,
        `KMS key ${key.id} is scheduled for deletion (${meta.keyState}${meta.deletionDate ? `, deleted on ${meta.deletionDate}` : ''}).`,
      );
    }
    b.pass(res, `KMS key ${key.id} is not scheduled for deletion (${meta.keyState}).`);
  }),
);

const kms_4: CheckMetadata = {
  id: 'KMS.4',
  title: 'AWS KMS key rotation should be enabled',
  severity: 'medium',
  securityHubId: 'KMS.4',
  cis: { v5: ['3.6'], v3: ['3.6'] },
  resourceType: KEY,
  reads: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  docs: `${SH_DOCS}#kms-4`,
  remediation: {
    desc: 'Turn on automatic rotation of the key material: `aws kms enable-key-rotation --key-id <key-id>` (yearly by default; `--rotation-period-in-days` sets 90 to 2560 days).',
    references: [
      `${SH_DOCS}#kms-4`,
      'https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-enable.html',
    ],
  },
  prowlerCheckIds: ['kms_cmk_rotation_enabled'],
};
/**
 * Evaluates the keys automatic rotation applies to (as AWS Config's cmk-backing-key-rotation-enabled
 * rule: not asymmetric, HMAC, imported-material or custom-key-store keys). Disabled keys are judged
 * too (rotation is a setting they keep); keys scheduled for deletion are left to KMS.3.
 */
export const keyRotation = defineCheck(kms_4, (b, inv) =>
  eachCustomerKey(b, inv, kms_4, (key, meta, res) => {
    if (!rotationApplies(meta)) return;
    const rotation = key.rotationEnabled;
    if (!rotation.ok) return b.error(res, `rotation of KMS key ${key.id}`, rotation.error);
    if (rotation.value === true)
      return b.pass(res, `KMS key ${key.id} has automatic key rotation enabled.`);
    b.fail(res, `KMS key ${key.id} does not have automatic key rotation enabled.`);
  }),
);

const kms_5: CheckMetadata = {
  id: 'KMS.5',
  title: 'KMS keys should not be publicly accessible',
  severity: 'critical',
  securityHubId: 'KMS.5',
  resourceType: KEY,
  reads: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyPolicy'],
  docs: `${SH_DOCS}#kms-5`,
  remediation: {
    desc: 'Edit the key policy (`aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://policy.json`) so no Allow statement names Principal "*" or {"AWS": "*"} unless a fixed-value condition (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount, …) limits it to your accounts.',
    references: [
      `${SH_DOCS}#kms-5`,
      'https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html',
    ],
  },
  prowlerCheckIds: ['kms_key_not_publicly_accessible'],
};
/**
 * A policy GetKeyPolicy could not read is an ERROR here; Security Hub reports it FAILED (its
 * Config recorder could not read the policy either), which says nothing about the policy itself.
 */
export const keyPolicyPublic = defineCheck(kms_5, (b, inv) =>
  eachCustomerKey(b, inv, kms_5, (key, _meta, res) => {
    if (!key.policy.ok) return b.error(res, `the key policy of ${key.id}`, key.policy.error);
    const open = publicStatements(key.policy.value, KMS_ACCOUNT_KEYS);
    if (open.length > 0) {
      return b.fail(
        res,
        `The key policy of KMS key ${key.id} allows everyone (principal "*" without a fixed account, organization or network condition) in statement(s) ${open.join(', ')}.`,
      );
    }
    b.pass(res, `The key policy of KMS key ${key.id} grants no public access.`);
  }),
);

export const KMS_CHECKS = [keyDeletion, keyRotation, keyPolicyPublic];
