/** The plan review's operating traps: destroy per RETAIN_AUDIT_DATA, and enforce's blast radius. */
import { destroyTrap, remediationTrap } from '../../scripts/review-operations';
import { renderReview } from '../../scripts/review';
import type { TfJson, TfStack } from '../../scripts/tf-json';
import { synthStack } from '../helpers/stack';

const asStack = (tf: unknown): TfStack => ({
  name: 'test',
  dir: '.',
  file: 'cdk.tf.json',
  json: tf as TfJson,
});
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd';

describe('destroyTrap', () => {
  it('says a default destroy deletes the evidence', () => {
    const trap = destroyTrap(asStack(synthStack().tf));
    expect(trap).toContain('**Audit data is deleted on destroy.**');
    expect(trap).toContain('`force_destroy = true`');
  });

  it('says a retained destroy stops, and what teardown keeps', () => {
    const trap = destroyTrap(asStack(synthStack({ retainAuditData: true }).tf));
    expect(trap).toContain('Terraform refuses the whole destroy before changing anything');
    expect(trap).toContain(
      '9 resources carry `prevent_destroy` (the bucket, the 6 resources configuring it, the data key and its alias)',
    );
    expect(trap).toContain('`npm run teardown` removes exactly these from the state');
  });
});

describe('remediationTrap', () => {
  it('is silent unless remediation enforces', () => {
    expect(remediationTrap(asStack(synthStack().tf), 'us-east-1')).toBeUndefined();
  });

  it('states the blast radius of enforce: which buckets, how many, other accounts, what is skipped', () => {
    const { tf } = synthStack({ remediationMode: 'enforce', remediationMaxPerRun: 5 });
    const trap = remediationTrap(asStack(tf), 'us-east-1')!;
    expect(trap).toContain('up to **5** buckets (REMEDIATION_MAX_PER_RUN');
    expect(trap).toContain("including buckets on AWS's default SSE-S3");
    expect(trap).toContain('Readers and writers in **other accounts**');
    expect(trap).toContain('`ComplianceExempt=true` (exempt from remediation only');
    expect(trap).toContain('**log-delivery buckets**');
    expect(trap).toContain('`logging.s3.amazonaws.com`');
    expect(trap).toContain('**No REMEDIATION_KMS_KEY_ARN:**');
    // and it sits among the deploy traps of the review
    expect(renderReview(asStack(tf), 'x')).toContain(trap);
  });

  it('names your own key, and no dependency on the stack key, with REMEDIATION_KMS_KEY_ARN', () => {
    const { tf } = synthStack({ remediationMode: 'enforce', remediationKmsKeyArn: KEY_ARN });
    const trap = remediationTrap(asStack(tf), 'us-east-1')!;
    expect(trap).toContain(`new objects use \`${KEY_ARN}\``);
    expect(trap).not.toContain('No REMEDIATION_KMS_KEY_ARN');
    expect(trap).not.toContain('Member accounts too');
  });

  it('states the reach into member accounts with ORG_REMEDIATION=members', () => {
    const { tf } = synthStack({
      remediationMode: 'enforce',
      scanScope: 'organization',
      organization: { auditAccountId: '111111111111', remediation: 'members' },
    });
    const trap = remediationTrap(asStack(tf), 'us-east-1')!;
    expect(trap).toContain(
      "**Member accounts too (ORG_REMEDIATION=members):** after an organization scan the same runs change buckets in us-east-1 of every member account the members stack reached, through its role `compliance-audit-remediation-test`, each with that account's own key `alias/compliance-audit-remediation-test`",
    );
  });
});
