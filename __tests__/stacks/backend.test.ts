import { configureBackend } from '../../stacks/backend';
import { resolveSettings, SettingsError, type ComplianceStackProps } from '../../stacks/settings';
import { buildStack, synthScope, SUFFIX, type TerraformJson } from '../helpers/stack';

/** The backend block of a stack `test` configured from these settings, and its notice. */
function backendFor(props: Partial<ComplianceStackProps>): { tf: TerraformJson; notice: string } {
  let notice = '';
  const { tf } = synthScope((stack) => {
    notice = configureBackend(
      stack,
      resolveSettings({ environmentSuffix: SUFFIX, ...props }).backend,
    );
  });
  return { tf, notice };
}

describe('configureBackend', () => {
  it('renders local state in the project root by default, with a notice', () => {
    // GIVEN / WHEN
    const { tf, notice } = backendFor({});

    // THEN: relative to cdktf.out/stacks/<stack>/, so the same on every machine
    expect(tf.terraform.backend).toEqual({ local: { path: '../../../terraform.test.tfstate' } });
    expect(notice).toBe(
      'State: local file (set TF_STATE_BUCKET for S3, or TF_CLOUD_ORGANIZATION + TF_CLOUD_WORKSPACE for Terraform Cloud)',
    );
  });

  it('renders an encrypted S3 backend with S3-native locking and a key per environment', () => {
    // GIVEN / WHEN
    const { tf, notice } = backendFor({ environmentSuffix: 'qa', stateBucket: 'my-state' });

    // THEN
    expect(tf.terraform.backend).toEqual({
      s3: {
        bucket: 'my-state',
        key: 'compliance-audit/qa/terraform.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(notice).toBe(
      'State: s3://my-state/compliance-audit/qa/terraform.tfstate (us-east-1, encrypted, S3 lock file)',
    );
  });

  it('renders the S3 backend with TF_STATE_KEY and TF_STATE_REGION', () => {
    const { tf } = backendFor({
      stateBucket: 'my-state',
      stateKey: 'audit/prod.tfstate',
      stateRegion: 'eu-west-1',
    });
    expect(tf.terraform.backend?.s3).toMatchObject({
      key: 'audit/prod.tfstate',
      region: 'eu-west-1',
    });
  });

  it('renders a Terraform Cloud backend for an organization and workspace', () => {
    // GIVEN / WHEN
    const { tf, notice } = backendFor({
      cloudOrganization: 'acme',
      cloudWorkspace: 'audit-qa',
      cloudHostname: 'tfe.example.com',
    });

    // THEN
    expect(tf.terraform).not.toHaveProperty('backend');
    expect(tf.terraform.cloud).toEqual({
      hostname: 'tfe.example.com',
      organization: 'acme',
      workspaces: { name: 'audit-qa' },
    });
    expect(notice).toBe('State: Terraform Cloud tfe.example.com/acme/audit-qa');
  });

  it('renders the ComplianceStack with the backend of its settings', () => {
    // GIVEN / WHEN
    const stack = buildStack({ environmentSuffix: 'qa', stateBucket: 'my-state' });

    // THEN
    expect(stack.backendDescription).toBe(
      'State: s3://my-state/compliance-audit/qa/terraform.tfstate (us-east-1, encrypted, S3 lock file)',
    );
  });

  it('refuses S3 and Terraform Cloud together before building anything', () => {
    expect(() =>
      buildStack({ stateBucket: 'my-state', cloudOrganization: 'acme', cloudWorkspace: 'audit' }),
    ).toThrow(
      new SettingsError([
        'TF_STATE_BUCKET and TF_CLOUD_ORGANIZATION: choose one state backend, S3 or Terraform Cloud',
      ]),
    );
  });
});
