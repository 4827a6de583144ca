import {
  adminPolicies,
  adminPolicyAttached,
  fullAdminStatements,
} from '../../../lambdas/scanner/checks/iam-policies';
import type {
  ManagedPolicyInventory,
  PolicyDocument,
  PolicyStatement,
} from '../../../lambdas/scanner/inventory/types';
import {
  collectionError,
  CONFIG,
  failed,
  inventory,
  managedPolicy,
  ok,
  statusOf,
} from './fixtures';

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});
const ADMIN = doc({ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' });
const ADMINISTRATOR_ACCESS: ManagedPolicyInventory = {
  ...managedPolicy('AdministratorAccess', { document: ok(ADMIN), attachmentCount: 2 }),
  arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
};

describe('fullAdminStatements', () => {
  it.each<[string, boolean, PolicyStatement]>([
    ['Action "*" on "*"', true, { Effect: 'Allow', Action: '*', Resource: '*' }],
    [
      '"*" among other actions',
      true,
      { Effect: 'Allow', Action: ['s3:Get*', '*'], Resource: ['*'] },
    ],
    ['a service wildcard', false, { Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    ['"*" on one resource', false, { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }],
    ['a Deny', false, { Effect: 'Deny', Action: '*', Resource: '*' }],
    // Security Hub's rule names Action "*" only; NotAction statements are IAM.21's business.
    ['NotAction', false, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
  ])('%s → full admin: %s', (_case, admin, statement) => {
    expect(fullAdminStatements(doc(statement)).length > 0).toBe(admin);
  });

  it('labels statements by Sid, else by position', () => {
    expect(
      fullAdminStatements(
        doc(
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' },
        ),
      ),
    ).toEqual(['#2', '"Admin"']);
  });
});

describe('IAM.1 customer managed policies', () => {
  it('fails an admin policy (attached or not) and passes a scoped one', () => {
    // Arrange
    const attached = managedPolicy('admin', { document: ok(ADMIN) });
    const unattached = managedPolicy('spare-admin', { document: ok(ADMIN), attachmentCount: 0 });
    const scoped = managedPolicy('read-s3');
    const inv = inventory({ iam: { customerPolicies: { items: [attached, unattached, scoped] } } });

    // Act
    const findings = adminPolicies.evaluate(inv, CONFIG);

    // Assert
    expect(findings).toHaveLength(3);
    expect(statusOf(findings, attached.arn)).toMatchObject({
      status: 'FAIL',
      statusDetail:
        'Customer managed policy admin allows "*" actions on "*" resources in statement(s) "All".',
      resource: { type: 'AWS::IAM::Policy', name: 'admin' },
      controlIds: ['IAM.1'],
    });
    expect(statusOf(findings, unattached.arn).status).toBe('FAIL');
    expect(statusOf(findings, scoped.arn).status).toBe('PASS');
  });

  it('does not judge policies used as permissions boundaries (excludePermissionBoundaryPolicy)', () => {
    const boundary = managedPolicy('boundary', {
      document: ok(ADMIN),
      attachmentCount: 0,
      permissionsBoundaryUsageCount: 3,
    });
    const inv = inventory({ iam: { customerPolicies: { items: [boundary] } } });
    expect(adminPolicies.evaluate(inv, CONFIG)).toEqual([]);
  });

  it('reports ERROR for the policy whose document could not be read, others unaffected', () => {
    // Arrange
    const hidden = managedPolicy('hidden', {
      document: failed('GetPolicyVersion', { service: 'iam' }),
    });
    const seen = managedPolicy('seen', { document: ok(ADMIN) });
    const inv = inventory({ iam: { customerPolicies: { items: [hidden, seen] } } });

    // Act
    const findings = adminPolicies.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, hidden.arn).statusDetail).toBe(
      'Could not evaluate the default version (v1) of hidden: GetPolicyVersion failed in us-east-1 (AccessDenied, access-denied): Access Denied',
    );
    expect(statusOf(findings, hidden.arn).status).toBe('ERROR');
    expect(statusOf(findings, seen.arn).status).toBe('FAIL');
  });

  it('reports one ERROR for the policies a failed listing hid', () => {
    const error = collectionError('ListPolicies', { service: 'iam' });
    const inv = inventory({ iam: { customerPolicies: { items: [], error } } });
    const findings = adminPolicies.evaluate(inv, CONFIG);
    expect(findings.map((f) => [f.status, f.resource.name])).toEqual([
      ['ERROR', 'IAM managed policies'],
    ]);
  });
});

describe('IAM.NoAdminPolicyAttached (CIS 1.15)', () => {
  it('fails AWS managed AdministratorAccess attached to someone', () => {
    // Arrange
    const inv = inventory({ iam: { attachedAwsPolicies: { items: [ADMINISTRATOR_ACCESS] } } });

    // Act
    const findings = adminPolicyAttached.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, ADMINISTRATOR_ACCESS.arn)).toMatchObject({
      status: 'FAIL',
      statusDetail:
        'Policy AdministratorAccess (AWS managed) is attached to 2 identities and allows "*" actions on "*" resources in statement(s) "All".',
      controlIds: ['CIS-5.0 1.15', 'CIS-3.0 1.16'],
    });
  });

  it('judges attached customer managed policies and leaves unattached ones to IAM.1', () => {
    // Arrange
    const attachedAdmin = managedPolicy('admin', { document: ok(ADMIN) });
    const unattachedAdmin = managedPolicy('spare', { document: ok(ADMIN), attachmentCount: 0 });
    const attachedScoped = managedPolicy('read-s3');
    const readOnly = {
      ...managedPolicy('ReadOnlyAccess'),
      arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    };
    const inv = inventory({
      iam: {
        customerPolicies: { items: [attachedAdmin, unattachedAdmin, attachedScoped] },
        attachedAwsPolicies: { items: [readOnly] },
      },
    });

    // Act
    const findings = adminPolicyAttached.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['admin', 'FAIL'],
      ['read-s3', 'PASS'],
      ['ReadOnlyAccess', 'PASS'],
    ]);
  });

  it('reports ERROR for an unreadable document and for a listing cut short', () => {
    // Arrange
    const hidden = managedPolicy('hidden', {
      document: failed('GetPolicyVersion', { service: 'iam' }),
    });
    const error = collectionError('ListPolicies', { service: 'iam', kind: 'throttled' });
    const inv = inventory({
      iam: {
        customerPolicies: { items: [hidden] },
        attachedAwsPolicies: { items: [], error },
      },
    });

    // Act
    const findings = adminPolicyAttached.evaluate(inv, CONFIG);

    // Assert
    expect(findings.map((f) => [f.resource.name, f.status])).toEqual([
      ['hidden', 'ERROR'],
      ['IAM managed policies', 'ERROR'],
    ]);
    expect(findings[1]!.statusDetail).toContain('the AWS managed policies that were not listed');
  });
});
