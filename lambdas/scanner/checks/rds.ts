/**
 * RDS DB instance checks: not publicly accessible (RDS.2), storage encrypted (RDS.3), automatic
 * minor version upgrades (RDS.13). As Security Hub, every instance DescribeDBInstances returns is
 * judged on its own settings: RDS, Aurora, Neptune and DocumentDB instances alike. An Aurora (or
 * Neptune, DocumentDB) instance reports its cluster's storage encryption, which is set on the
 * cluster; the finding names the cluster so the fix lands there.
 */
import type { DbInstanceInventory, Inventory } from '../inventory/types';
import type { FindingResource } from '../../shared/findings';
import { eachInRegions } from './regional';
import { defineCheck, resource, type CheckMetadata, type FindingBuilder } from './types';

const DB_INSTANCE = 'AWS::RDS::DBInstance';
const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html';
const MODIFY_DOCS =
  'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html';

function eachDbInstance(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (db: DbInstanceInventory, res: FindingResource, name: string) => void,
): void {
  eachInRegions(
    b,
    inv,
    { service: 'rds', what: 'DB instances' },
    (r) => r.rds.instances,
    (db, region) => {
      const name = `DB instance ${db.id} (${db.engine ?? 'engine unknown'}${db.clusterId ? `, cluster ${db.clusterId}` : ''})`;
      evaluate(db, resource(check, db.arn, region, db.id, db.tags), name);
    },
  );
}

const rds_2: CheckMetadata = {
  id: 'RDS.2',
  title:
    'RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration',
  severity: 'critical',
  securityHubId: 'RDS.2',
  cis: { v5: ['2.2.3'], v3: ['2.3.3'] },
  resourceType: DB_INSTANCE,
  reads: ['rds:DescribeDBInstances'],
  docs: `${SH_DOCS}#rds-2`,
  remediation: {
    desc: 'Turn public access off: `aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately`; reach the database from inside the VPC (or through a bastion or VPN).',
    references: [`${SH_DOCS}#rds-2`, MODIFY_DOCS],
  },
  prowlerCheckIds: ['rds_instance_no_public_access'],
};
export const dbInstancePublic = defineCheck(rds_2, (b, inv) =>
  eachDbInstance(b, inv, rds_2, (db, res, name) => {
    // The control reads PubliclyAccessible only; security groups and routes are not considered.
    if (db.publiclyAccessible)
      return b.fail(res, `${name} is publicly accessible (PubliclyAccessible true).`);
    b.pass(res, `${name} is not publicly accessible.`);
  }),
);

const rds_3: CheckMetadata = {
  id: 'RDS.3',
  title: 'RDS DB instances should have encryption at-rest enabled',
  severity: 'medium',
  securityHubId: 'RDS.3',
  cis: { v5: ['2.2.1'], v3: ['2.3.1'] },
  resourceType: DB_INSTANCE,
  reads: ['rds:DescribeDBInstances'],
  docs: `${SH_DOCS}#rds-3`,
  remediation: {
    desc: 'Encryption is chosen at creation: snapshot the instance (or its cluster), copy the snapshot with `--kms-key-id`, restore a new encrypted instance (or cluster) from the copy and move clients to it.',
    references: [
      `${SH_DOCS}#rds-3`,
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
    ],
  },
  prowlerCheckIds: ['rds_instance_storage_encrypted'],
};
export const dbInstanceEncrypted = defineCheck(rds_3, (b, inv) =>
  eachDbInstance(b, inv, rds_3, (db, res, name) => {
    const where = db.clusterId ? ` (set on cluster ${db.clusterId})` : '';
    if (db.storageEncrypted) return b.pass(res, `${name} has storage encryption${where}.`);
    b.fail(res, `${name} is not encrypted at rest${where}.`);
  }),
);

const rds_13: CheckMetadata = {
  id: 'RDS.13',
  title: 'RDS automatic minor version upgrades should be enabled',
  severity: 'high',
  securityHubId: 'RDS.13',
  cis: { v5: ['2.2.2'], v3: ['2.3.2'] },
  resourceType: DB_INSTANCE,
  reads: ['rds:DescribeDBInstances'],
  docs: `${SH_DOCS}#rds-13`,
  remediation: {
    desc: 'Turn automatic minor version upgrades on: `aws rds modify-db-instance --db-instance-identifier <id> --auto-minor-version-upgrade` (for Aurora, on the cluster too: `aws rds modify-db-cluster --db-cluster-identifier <id> --auto-minor-version-upgrade`).',
    references: [`${SH_DOCS}#rds-13`, MODIFY_DOCS],
  },
  prowlerCheckIds: ['rds_instance_minor_version_upgrade_enabled'],
};
export const dbInstanceMinorUpgrades = defineCheck(rds_13, (b, inv) =>
  eachDbInstance(b, inv, rds_13, (db, res, name) => {
    // Each instance is judged on its own setting, as the control does (Aurora also needs it on
    // the cluster, which the control does not check).
    if (db.autoMinorVersionUpgrade)
      return b.pass(res, `${name} has automatic minor version upgrades enabled.`);
    b.fail(res, `${name} has automatic minor version upgrades disabled.`);
  }),
);

export const RDS_CHECKS = [dbInstancePublic, dbInstanceEncrypted, dbInstanceMinorUpgrades];
