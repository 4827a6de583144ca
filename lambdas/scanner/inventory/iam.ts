/**
 * IAM collector, once per account: users with their access keys, MFA devices, console password
 * (login profile), tags and directly attached / inline policies; the credential report; the
 * account summary (root key and MFA flags); the account password policy; SSL/TLS server
 * certificates; managed policies and the support role (iam-policies.ts).
 *
 * IAM actions (resource scoping):
 * - `iam:ListUsers`, `iam:GetAccountSummary`, `iam:GenerateCredentialReport`,
 *   `iam:GetCredentialReport`, `iam:GetAccountPasswordPolicy`, `iam:ListServerCertificates` —
 *   resource `*` (no resource-level permissions)
 * - `iam:ListAccessKeys`, `iam:ListMFADevices`, `iam:GetLoginProfile`, `iam:ListUserTags`,
 *   `iam:ListAttachedUserPolicies`, `iam:ListUserPolicies` — user ARNs,
 *   `arn:aws:iam::<account>:user/*`
 */
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  IAMClient,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListMFADevices,
  paginateListServerCertificates,
  paginateListUserPolicies,
  paginateListUsers,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import { awsClient } from '../../shared/clients';
import { Collector, isoDate, tagsFrom } from './collector';
import {
  generateCredentialReport,
  getCredentialReport,
  parseCredentialReport,
  type CredentialReportOptions,
} from './credential-report';
import { awsManagedPolicyArn, collectManagedPolicies, collectPolicyEntities } from './iam-policies';
import type {
  AccessKeyInventory,
  CredentialReportRow,
  IamInventory,
  IamUserInventory,
  Observed,
  PasswordPolicy,
} from './types';

/** "Not configured" answers of IAM Get calls (the SDK names the error NoSuchEntityException). */
const NO_SUCH_ENTITY = ['NoSuchEntity', 'NoSuchEntityException'];

/** IAM list calls accept MaxItems up to 1000. */
const PAGE_SIZE = 1000;

/** A user as ListUsers gives it, before its own reads. */
type ListedUser = Pick<IamUserInventory, 'name' | 'arn' | 'createDate'>;

async function drain<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined) {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

export async function collectIam(
  c: Collector,
  homeRegion: string,
  report: Omit<CredentialReportOptions, 'sleep'> = {},
): Promise<IamInventory> {
  const iam = awsClient(IAMClient, homeRegion);
  const at = (operation: string, resourceUid?: string) => ({
    service: 'iam' as const,
    region: homeRegion,
    operation,
    resourceUid,
  });
  const paging = { client: iam, pageSize: PAGE_SIZE };

  const readUser = async (u: ListedUser): Promise<IamUserInventory> => {
    const [accessKeys, mfaDevices, loginProfile, tags, attachedPolicies, inlinePolicies] =
      await Promise.all([
        c.observe(at('ListAccessKeys', u.arn), () =>
          drain(paginateListAccessKeys(paging, { UserName: u.name }), (page) =>
            (page.AccessKeyMetadata ?? []).map((k): AccessKeyInventory => ({
              id: k.AccessKeyId ?? '',
              status: k.Status ?? '',
              createDate: isoDate(k.CreateDate),
            })),
          ),
        ),
        c.observe(at('ListMFADevices', u.arn), async () => {
          const devices = await drain(
            paginateListMFADevices(paging, { UserName: u.name }),
            (page) => page.MFADevices,
          );
          return devices.length;
        }),
        c.observe(
          at('GetLoginProfile', u.arn),
          async () => {
            const out = await iam.send(new GetLoginProfileCommand({ UserName: u.name }));
            return { createDate: isoDate(out.LoginProfile?.CreateDate) };
          },
          { names: NO_SUCH_ENTITY, value: null },
        ),
        c.observe(at('ListUserTags', u.arn), async () =>
          tagsFrom(await drain(paginateListUserTags(paging, { UserName: u.name }), (p) => p.Tags)),
        ),
        c.observe(at('ListAttachedUserPolicies', u.arn), () =>
          drain(paginateListAttachedUserPolicies(paging, { UserName: u.name }), (page) =>
            (page.AttachedPolicies ?? []).flatMap((p) => p.PolicyName ?? []),
          ),
        ),
        c.observe(at('ListUserPolicies', u.arn), () =>
          drain(paginateListUserPolicies(paging, { UserName: u.name }), (page) => page.PolicyNames),
        ),
      ]);
    return { ...u, accessKeys, mfaDevices, loginProfile, tags, attachedPolicies, inlinePolicies };
  };

  // Each user's reads start as soon as the user list is in, not after the other IAM reads: the
  // per-user calls are the account's longest lane at IAM's rate, and every other read can share it.
  const usersRead = c
    .list(
      at('ListUsers'),
      () => paginateListUsers(paging, {}),
      (page) =>
        (page.Users ?? []).flatMap((u): ListedUser[] =>
          u.UserName && u.Arn
            ? [{ name: u.UserName, arn: u.Arn, createDate: isoDate(u.CreateDate) }]
            : [],
        ),
    )
    .then(async (listed) => ({ listed, users: await c.each(listed.items, readUser) }));

  const [
    { listed, users },
    credentialReport,
    accountSummary,
    passwordPolicy,
    customerPolicies,
    attachedAwsPolicies,
    supportAccessEntities,
    serverCertificates,
  ] = await Promise.all([
    usersRead,
    readCredentialReport(c, iam, homeRegion, { ...report, sleep: c.sleep }),
    c.observe(at('GetAccountSummary'), async () => {
      const out = await iam.send(new GetAccountSummaryCommand({}));
      return { ...(out.SummaryMap ?? {}) } as Record<string, number>;
    }),
    c.observe(
      at('GetAccountPasswordPolicy'),
      async (): Promise<PasswordPolicy | null> => {
        const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
        return {
          minimumPasswordLength: out.PasswordPolicy?.MinimumPasswordLength,
          passwordReusePrevention: out.PasswordPolicy?.PasswordReusePrevention,
        };
      },
      { names: NO_SUCH_ENTITY, value: null },
    ),
    collectManagedPolicies(c, iam, at, 'Local'),
    collectManagedPolicies(c, iam, at, 'AWS'),
    collectPolicyEntities(c, iam, at, awsManagedPolicyArn(c.partition, 'AWSSupportAccess')),
    c.list(
      at('ListServerCertificates'),
      () => paginateListServerCertificates(paging, {}),
      (page) =>
        (page.ServerCertificateMetadataList ?? []).flatMap((m) =>
          m.ServerCertificateName && m.Arn
            ? [
                {
                  name: m.ServerCertificateName,
                  arn: m.Arn,
                  expiration: isoDate(m.Expiration),
                  uploadDate: isoDate(m.UploadDate),
                },
              ]
            : [],
        ),
    ),
  ]);

  return {
    users: { items: users, error: listed.error },
    credentialReport,
    accountSummary,
    passwordPolicy,
    customerPolicies,
    attachedAwsPolicies,
    supportAccessEntities,
    serverCertificates,
  };
}

/** Generate (polled, outside the IAM limiter so waiting holds no slot), then get and parse. */
async function readCredentialReport(
  c: Collector,
  iam: IAMClient,
  region: string,
  options: CredentialReportOptions,
): Promise<Observed<readonly CredentialReportRow[]>> {
  try {
    await c.beforeDeadline(() => generateCredentialReport(iam, options));
  } catch (err) {
    return {
      ok: false,
      error: c.record({ service: 'iam', region, operation: 'GenerateCredentialReport' }, err),
    };
  }
  return c.observe({ service: 'iam', region, operation: 'GetCredentialReport' }, async () =>
    parseCredentialReport(await getCredentialReport(iam)),
  );
}
