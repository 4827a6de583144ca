/**
 * SCAN_SCOPE=organization: the members stack (the service-managed StackSet of the member role)
 * through terraform validate and an offline plan, JSON and HCL. Its organization comes from the
 * offline endpoint (scripts/offline-aws-endpoint.ts: one root, the offline account managing it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { OFFLINE_ORGANIZATION } from '../../scripts/offline-aws-endpoint';
import {
  describeDiagnostic,
  OfflineWorkspace,
  requiredProviders,
  stackFile,
  type PlanJson,
  type ValidateResult,
} from '../../scripts/offline-terraform';
import { findTerraform, missingProvider } from '../../scripts/terraform-toolchain';
import { MEMBERS_STACK_ID, MembersStack } from '../../stacks/members-stack';
import { loadStackProps } from '../../stacks/settings';
import { comparableChanges, createdCounts } from './suite';

const SETTINGS = {
  ENVIRONMENT_SUFFIX: 'dev',
  SCAN_SCOPE: 'organization',
  ORG_AUDIT_ACCOUNT_ID: '123456789012',
  // The template with the remediation role and key as well.
  ORG_REMEDIATION: 'members',
};

function synthMembers(): { outdir: string; jsonDir: string; hclDir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'tf-members-'));
  const app = new App({ outdir });
  const stack = new MembersStack(app, MEMBERS_STACK_ID, loadStackProps(SETTINGS));
  app.synth();
  const hclDir = join(outdir, 'hcl');
  mkdirSync(hclDir, { recursive: true });
  writeFileSync(join(hclDir, 'cdk.tf'), stack.toHclTerraform().hcl);
  return { outdir, jsonDir: join(outdir, 'stacks', MEMBERS_STACK_ID), hclDir };
}

interface Form {
  readonly validate: ValidateResult;
  readonly plan?: PlanJson;
  readonly warnings: readonly unknown[];
}

const found = findTerraform();
const skip =
  found.skip ??
  (() => {
    const probe = synthMembers();
    try {
      return missingProvider(found.toolchain!, requiredProviders(stackFile(probe.jsonDir)));
    } finally {
      rmSync(probe.outdir, { recursive: true, force: true });
    }
  })();

if (skip) {
  process.stderr.write(`terraform members stack skipped: ${skip}\n`);
  it.skip(`terraform validate + offline plan: members stack (skipped: ${skip})`, () => {});
} else {
  describe('terraform (offline): organization members stack', () => {
    let outdir: string;
    let json: Form;
    let hcl: Form;

    const run = async (dir: string): Promise<Form> => {
      const ws = OfflineWorkspace.create(dir, found.toolchain!);
      try {
        await ws.init();
        const validate = await ws.validate();
        if (!validate.valid) return { validate, warnings: [] };
        const { plan, warnings } = await ws.plan();
        return { validate, plan, warnings };
      } finally {
        ws.dispose();
      }
    };

    beforeAll(
      async () => {
        const synth = synthMembers();
        outdir = synth.outdir;
        json = await run(synth.jsonDir);
        hcl = await run(synth.hclDir);
      },
      10 * 60 * 1000,
    );

    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it.each([
      ['JSON', () => json],
      ['HCL', () => hcl],
    ])('%s: validates and plans without an error or a warning', (_form, form) => {
      expect(form().validate.errors.map(describeDiagnostic)).toEqual([]);
      expect(form().validate.warnings.map(describeDiagnostic)).toEqual([]);
      expect(form().warnings).toEqual([]);
    });

    it('creates the two StackSets, their instances in the organization root and the management account role, nothing else', () => {
      // A service-managed StackSet never deploys to the management account: its own stack does
      // (read-only role only; remediation never reaches the management account).
      expect(createdCounts(json.plan!)).toEqual({
        aws_cloudformation_stack: 1,
        aws_cloudformation_stack_set: 2,
        aws_cloudformation_stack_set_instance: 2,
      });
      const changes = json.plan!.resource_changes!;
      const instances = changes.filter((rc) => rc.type === 'aws_cloudformation_stack_set_instance');
      for (const instance of instances)
        expect(instance.change.after).toMatchObject({
          deployment_targets: [{ organizational_unit_ids: [OFFLINE_ORGANIZATION.rootId] }],
        });
      const sets = changes
        .filter((rc) => rc.type === 'aws_cloudformation_stack_set')
        .map((rc) => rc.change.after as { name: string; template_body: string });
      for (const set of sets)
        expect(set).toMatchObject({
          permission_model: 'SERVICE_MANAGED',
          parameters: expect.objectContaining({ OrganizationId: OFFLINE_ORGANIZATION.id }),
        });
      const remediation = sets.find((set) => set.name.includes('member-remediation'))!;
      expect(remediation).toMatchObject({
        parameters: expect.objectContaining({
          TrustedRoleName: 'compliance-remediation-us-east-1-dev',
        }),
      });
      const template = JSON.parse(remediation.template_body);
      expect(Object.keys(template.Resources)).toEqual(
        expect.arrayContaining(['RemediationRole', 'RemediationKey']),
      );
    });

    it('HCL: plans exactly the changes of the JSON', () => {
      expect(comparableChanges(hcl.plan!)).toEqual(comparableChanges(json.plan!));
    });
  });
}
