/**
 * EC2 instance checks: IMDSv2 required (EC2.8), no public IPv4 address (EC2.9), an IAM instance
 * profile attached (CIS 1.17, no Security Hub control). Terminated instances, which
 * DescribeInstances still lists for about an hour, are not judged: Security Hub evaluates the
 * instance's AWS Config item, which is deleted at termination. Every other state (stopped
 * included) is judged.
 */
import type { FindingResource } from '../../shared/findings';
import type { InstanceInventory, Inventory } from '../inventory/types';
import { SH_DOCS } from './ec2';
import { eachInRegions } from './regional';
import { defineCheck, resource, type CheckMetadata, type FindingBuilder } from './types';

const INSTANCE = 'AWS::EC2::Instance';

function eachLiveInstance(
  b: FindingBuilder,
  inv: Inventory,
  check: CheckMetadata,
  evaluate: (instance: InstanceInventory, res: FindingResource) => void,
): void {
  eachInRegions(
    b,
    inv,
    { service: 'ec2', what: 'EC2 instances' },
    (r) => r.ec2.instances,
    (instance, region) => {
      if (instance.state === 'terminated') return;
      evaluate(instance, resource(check, instance.arn, region, instance.id, instance.tags));
    },
  );
}

const ec2_8: CheckMetadata = {
  id: 'EC2.8',
  title: 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)',
  severity: 'high',
  securityHubId: 'EC2.8',
  cis: { v5: ['5.7'], v3: ['5.6'] },
  resourceType: INSTANCE,
  reads: ['ec2:DescribeInstances'],
  docs: `${SH_DOCS}#ec2-8`,
  remediation: {
    desc: 'Require IMDSv2 once the software on the instance uses it (the MetadataNoToken metric shows IMDSv1 calls): `aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required`.',
    references: [
      `${SH_DOCS}#ec2-8`,
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-transition-to-version-2.html',
    ],
  },
  prowlerCheckIds: ['ec2_instance_imdsv2_enabled'],
};
export const imdsv2Required = defineCheck(ec2_8, (b, inv) =>
  eachLiveInstance(b, inv, ec2_8, (i, res) => {
    if (i.httpTokens === 'required')
      return b.pass(res, `Instance ${i.id} requires IMDSv2 (HttpTokens required).`);
    // Security Hub judges HttpTokens alone: an instance whose metadata endpoint is disabled but
    // still accepts IMDSv1 fails (re-enabling the endpoint would serve IMDSv1 again). Prowler
    // passes it; we follow the control.
    const endpoint =
      i.httpEndpoint === 'disabled'
        ? ' Its metadata endpoint is disabled now, but enabling it would serve IMDSv1 again.'
        : '';
    b.fail(
      res,
      `Instance ${i.id} allows IMDSv1 (HttpTokens ${i.httpTokens ?? 'not reported'}).${endpoint}`,
    );
  }),
);

const ec2_9: CheckMetadata = {
  id: 'EC2.9',
  title: 'Amazon EC2 instances should not have a public IPv4 address',
  severity: 'high',
  securityHubId: 'EC2.9',
  resourceType: INSTANCE,
  reads: ['ec2:DescribeInstances'],
  docs: `${SH_DOCS}#ec2-9`,
  remediation: {
    desc: 'Move the instance behind a load balancer or NAT gateway and remove its public address: release or disassociate its Elastic IP (`aws ec2 disassociate-address`), or relaunch it in a subnet that does not auto-assign public IPv4 addresses (EC2.15).',
    references: [
      `${SH_DOCS}#ec2-9`,
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses',
    ],
  },
  prowlerCheckIds: ['ec2_instance_public_ip'],
};
export const instancePublicIp = defineCheck(ec2_9, (b, inv) =>
  eachLiveInstance(b, inv, ec2_9, (i, res) => {
    // IPv4 only, as the control: IPv6 addresses are not evaluated.
    if (i.publicIps.length > 0)
      return b.fail(
        res,
        `Instance ${i.id} (${i.state ?? 'state unknown'}) has public IPv4 address(es) ${i.publicIps.join(', ')}.`,
      );
    b.pass(res, `Instance ${i.id} (${i.state ?? 'state unknown'}) has no public IPv4 address.`);
  }),
);

const profile: CheckMetadata = {
  id: 'EC2.InstanceProfileAttached',
  title: 'EC2 instances should use an IAM instance profile for AWS access',
  severity: 'medium',
  // CIS's own numbering (AWS maps no Security Hub control to this recommendation).
  cis: { v5: ['1.17'], v3: ['1.18'] },
  resourceType: INSTANCE,
  reads: ['ec2:DescribeInstances'],
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
  remediation: {
    desc: 'Attach an instance profile whose role grants what the workload needs, and remove any access keys stored on the instance: `aws ec2 associate-iam-instance-profile --instance-id <id> --iam-instance-profile Name=<profile>`.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html',
    ],
  },
  prowlerCheckIds: ['ec2_instance_profile_attached'],
};
export const instanceProfileAttached = defineCheck(profile, (b, inv) =>
  eachLiveInstance(b, inv, profile, (i, res) => {
    if (i.instanceProfileArn)
      return b.pass(res, `Instance ${i.id} uses instance profile ${i.instanceProfileArn}.`);
    b.fail(
      res,
      `Instance ${i.id} has no IAM instance profile: software on it can reach AWS only with stored credentials.`,
    );
  }),
);

export const EC2_INSTANCE_CHECKS = [imdsv2Required, instancePublicIp, instanceProfileAttached];
