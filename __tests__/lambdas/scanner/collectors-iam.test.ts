/** IAM collector: password policy, managed policies, support role, server certificates, user policies. */
import {
  GetAccountPasswordPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListServerCertificatesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { Collector } from '../../../lambdas/scanner/inventory/collector';
import { collectIam } from '../../../lambdas/scanner/inventory/iam';
import { decodePolicyDocument } from '../../../lambdas/scanner/inventory/iam-policies';
import { logger } from '../../../lambdas/shared/observability';
import { awsError, clientRegion, mocks, resetMocks } from './aws-mocks';

const ACCOUNT = '123456789012';
const collector = () => new Collector(ACCOUNT, 'aws', 4, async () => undefined);
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const ADMIN = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => resetMocks());

describe('IAM collector: account password policy', () => {
  it('reads the length and reuse settings', async () => {
    mocks.iam.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: { MinimumPasswordLength: 16, PasswordReusePrevention: 12 },
    });
    const iam = await collectIam(collector(), 'eu-west-1');
    expect(iam.passwordPolicy).toEqual({
      ok: true,
      value: { minimumPasswordLength: 16, passwordReusePrevention: 12 },
    });
    expect(await clientRegion(() => mocks.iam.call(0).thisValue)).toBe('eu-west-1');
  });

  it('maps NoSuchEntity (no password policy) to null, not an error', async () => {
    mocks.iam
      .on(GetAccountPasswordPolicyCommand)
      .rejects(
        awsError(
          'NoSuchEntityException',
          'The Password Policy with domain name 123456789012 cannot be found.',
        ),
      );
    const c = collector();
    const iam = await collectIam(c, 'us-east-1');
    expect(iam.passwordPolicy).toEqual({ ok: true, value: null });
    expect(c.errors).toEqual([]);
  });

  it('records AccessDenied as the error that hid the policy', async () => {
    mocks.iam.on(GetAccountPasswordPolicyCommand).rejects(awsError('AccessDenied'));
    const iam = await collectIam(collector(), 'us-east-1');
    expect(iam.passwordPolicy).toMatchObject({
      ok: false,
      error: { operation: 'GetAccountPasswordPolicy', kind: 'access-denied' },
    });
  });
});

describe('IAM collector: managed policies', () => {
  it('pages through customer managed policies (all) and attached AWS managed ones, reading each default version', async () => {
    // Arrange
    mocks.iam
      .on(ListPoliciesCommand, { Scope: 'Local' })
      .resolvesOnce({
        Policies: [
          {
            PolicyName: 'admin',
            Arn: `arn:aws:iam::${ACCOUNT}:policy/admin`,
            DefaultVersionId: 'v3',
            AttachmentCount: 0,
            PermissionsBoundaryUsageCount: 0,
          },
        ],
        IsTruncated: true,
        Marker: 'm2',
      })
      .resolvesOnce({
        Policies: [
          {
            PolicyName: 'boundary',
            Arn: `arn:aws:iam::${ACCOUNT}:policy/team/boundary`,
            DefaultVersionId: 'v1',
            AttachmentCount: 1,
            PermissionsBoundaryUsageCount: 2,
          },
        ],
        IsTruncated: false,
      });
    mocks.iam.on(ListPoliciesCommand, { Scope: 'AWS' }).resolves({
      Policies: [
        {
          PolicyName: 'AdministratorAccess',
          Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          DefaultVersionId: 'v1',
          AttachmentCount: 2,
        },
      ],
    });
    mocks.iam.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: { Document: encoded(ADMIN), VersionId: 'v1', IsDefaultVersion: true },
    });

    // Act
    const iam = await collectIam(collector(), 'us-east-1');

    // Assert
    expect(mocks.iam).toHaveReceivedCommandWith(ListPoliciesCommand, {
      Scope: 'Local',
      OnlyAttached: false,
      MaxItems: 1000,
    });
    expect(mocks.iam).toHaveReceivedCommandWith(ListPoliciesCommand, {
      Scope: 'Local',
      OnlyAttached: false,
      MaxItems: 1000,
      Marker: 'm2',
    });
    expect(mocks.iam).toHaveReceivedCommandWith(ListPoliciesCommand, {
      Scope: 'AWS',
      OnlyAttached: true,
      MaxItems: 1000,
    });
    expect(mocks.iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, {
      PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin`,
      VersionId: 'v3',
    });
    expect(iam.customerPolicies.items).toEqual([
      {
        name: 'admin',
        arn: `arn:aws:iam::${ACCOUNT}:policy/admin`,
        attachmentCount: 0,
        permissionsBoundaryUsageCount: 0,
        defaultVersionId: 'v3',
        document: { ok: true, value: ADMIN },
      },
      expect.objectContaining({ name: 'boundary', permissionsBoundaryUsageCount: 2 }),
    ]);
    expect(iam.attachedAwsPolicies.items.map((p) => [p.name, p.attachmentCount])).toEqual([
      ['AdministratorAccess', 2],
    ]);
  });

  it('records a denied GetPolicyVersion against that policy only', async () => {
    // Arrange
    const arn = (n: string) => `arn:aws:iam::${ACCOUNT}:policy/${n}`;
    mocks.iam.on(ListPoliciesCommand, { Scope: 'Local' }).resolves({
      Policies: ['hidden', 'seen'].map((n) => ({
        PolicyName: n,
        Arn: arn(n),
        DefaultVersionId: 'v1',
      })),
    });
    mocks.iam
      .on(GetPolicyVersionCommand, { PolicyArn: arn('hidden') })
      .rejects(awsError('AccessDenied'));
    mocks.iam
      .on(GetPolicyVersionCommand, { PolicyArn: arn('seen') })
      .resolves({ PolicyVersion: { Document: encoded(ADMIN) } });

    // Act
    const iam = await collectIam(collector(), 'us-east-1');

    // Assert
    const [hidden, seen] = iam.customerPolicies.items;
    expect(hidden!.document).toMatchObject({
      ok: false,
      error: { operation: 'GetPolicyVersion', resourceUid: arn('hidden'), code: 'AccessDenied' },
    });
    expect(seen!.document).toEqual({ ok: true, value: ADMIN });
  });

  it('decodes URL-encoded policy documents', () => {
    const doc = {
      Statement: [
        { Sid: 'a b', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x+y/*' },
      ],
    };
    expect(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
  });
});

describe('IAM collector: support role, server certificates, user policies', () => {
  it('lists permissions-policy attachments of AWSSupportAccess in the partition, every page', async () => {
    // Arrange
    mocks.iam
      .on(ListEntitiesForPolicyCommand)
      .resolvesOnce({
        PolicyRoles: [{ RoleName: 'support', RoleId: 'AROA1' }],
        IsTruncated: true,
        Marker: 'm2',
      })
      .resolvesOnce({ PolicyUsers: [{ UserName: 'alice', UserId: 'AIDA1' }], IsTruncated: false });

    // Act
    const iam = await collectIam(
      new Collector(ACCOUNT, 'aws-cn', 4, async () => undefined),
      'cn-north-1',
    );

    // Assert
    expect(mocks.iam).toHaveReceivedCommandWith(ListEntitiesForPolicyCommand, {
      PolicyArn: 'arn:aws-cn:iam::aws:policy/AWSSupportAccess',
      PolicyUsageFilter: 'PermissionsPolicy',
      MaxItems: 1000,
    });
    expect(iam.supportAccessEntities).toEqual({
      ok: true,
      value: { users: ['alice'], groups: [], roles: ['support'] },
    });
  });

  it('pages through server certificates', async () => {
    // Arrange
    const cert = (n: string) => ({
      Path: '/',
      ServerCertificateName: n,
      ServerCertificateId: `ASCA${n}`,
      Arn: `arn:aws:iam::${ACCOUNT}:server-certificate/${n}`,
      UploadDate: new Date('2024-01-01'),
      Expiration: new Date('2025-01-01'),
    });
    mocks.iam
      .on(ListServerCertificatesCommand)
      .resolvesOnce({ ServerCertificateMetadataList: [cert('a')], IsTruncated: true, Marker: 'm2' })
      .resolvesOnce({ ServerCertificateMetadataList: [cert('b')], IsTruncated: false });

    // Act
    const iam = await collectIam(collector(), 'us-east-1');

    // Assert
    expect(mocks.iam).toHaveReceivedNthSpecificCommandWith(2, ListServerCertificatesCommand, {
      MaxItems: 1000,
      Marker: 'm2',
    });
    expect(iam.serverCertificates.items).toEqual([
      {
        name: 'a',
        arn: `arn:aws:iam::${ACCOUNT}:server-certificate/a`,
        expiration: '2025-01-01T00:00:00.000Z',
        uploadDate: '2024-01-01T00:00:00.000Z',
      },
      expect.objectContaining({ name: 'b' }),
    ]);
  });

  it("reads each user's attached and inline policy names, and a denial for that user only", async () => {
    // Arrange
    const user = (n: string) => ({
      UserName: n,
      Arn: `arn:aws:iam::${ACCOUNT}:user/${n}`,
      UserId: n,
      Path: '/',
      CreateDate: new Date('2025-01-01'),
    });
    mocks.iam.on(ListUsersCommand).resolves({ Users: [user('a'), user('b')] });
    mocks.iam.on(ListAttachedUserPoliciesCommand, { UserName: 'a' }).resolves({
      AttachedPolicies: [
        { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ],
    });
    mocks.iam.on(ListUserPoliciesCommand, { UserName: 'a' }).resolves({ PolicyNames: ['inline'] });
    mocks.iam.on(ListUserPoliciesCommand, { UserName: 'b' }).rejects(awsError('AccessDenied'));

    // Act
    const iam = await collectIam(collector(), 'us-east-1');

    // Assert
    const [a, b] = iam.users.items;
    expect(a).toMatchObject({
      attachedPolicies: { ok: true, value: ['ReadOnlyAccess'] },
      inlinePolicies: { ok: true, value: ['inline'] },
    });
    expect(mocks.iam).toHaveReceivedCommandWith(ListAttachedUserPoliciesCommand, {
      UserName: 'a',
      MaxItems: 1000,
    });
    expect(b).toMatchObject({
      attachedPolicies: { ok: true, value: [] },
      inlinePolicies: {
        ok: false,
        error: { operation: 'ListUserPolicies', resourceUid: user('b').Arn },
      },
    });
  });
});
