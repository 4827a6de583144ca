/**
 * IAM (AWS query protocol) answers of the fake AWS: users and everything read per user, the
 * credential report, account summary and password policy, managed policies and their default
 * versions, the identities of AWSSupportAccess, and server certificates. IAM is global.
 */
import type { SyntheticAccount } from './account';
import type { ManagedPolicySpec } from './account-iam';
import { IAM_NS, el, iso, page, pageItems, queryError, xml, xmlEscape, type Reply } from './wire';

const PAGE_MAX = 1000;

const member = (fields: string) => `<member>${fields}</member>`;

function userIndex(a: SyntheticAccount, name: string | null): number | undefined {
  const m = /^bench-user-(\d+)$/.exec(name ?? '');
  const i = m ? Number(m[1]) : NaN;
  return i < a.counts.users ? i : undefined;
}

/** A customer policy of the account, or an attached AWS managed one, by ARN. */
function policyByArn(a: SyntheticAccount, arn: string | null): ManagedPolicySpec | undefined {
  const customer = new RegExp(`^arn:aws:iam::${a.accountId}:policy/bench-policy-(\\d+)$`).exec(
    arn ?? '',
  );
  if (customer) {
    const i = Number(customer[1]);
    return i < a.counts.policies ? a.policy(i) : undefined;
  }
  return a.awsPolicies().find((p) => p.arn === arn);
}

function policyXml(p: ManagedPolicySpec, createdMs: number): string {
  return member(
    `${el('PolicyName', p.name)}${el('PolicyId', `ANPA${p.name.length}${p.defaultVersion}`)}${el('Arn', p.arn)}${el('Path', '/')}${el('DefaultVersionId', p.defaultVersion)}${el('AttachmentCount', p.attachments)}${el('PermissionsBoundaryUsageCount', p.boundaryUses)}${el('IsAttachable', true)}${el('CreateDate', iso(createdMs))}${el('UpdateDate', iso(createdMs))}`,
  );
}

export function iam(a: SyntheticAccount, action: string, params: URLSearchParams): Reply {
  const wrap = (inner: string) =>
    xml(
      `<${action}Response xmlns="${IAM_NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata>${el('RequestId', 'bench')}</ResponseMetadata></${action}Response>`,
    );
  const list = (name: string, members: readonly string[], next?: string) =>
    wrap(
      `<${name}>${members.join('')}</${name}>${el('IsTruncated', next !== undefined)}${el('Marker', next)}`,
    );
  const pageOf = (total: number) =>
    page(total, params.get('Marker'), PAGE_MAX, params.get('MaxItems'));
  const noSuch = (what: string) =>
    queryError(IAM_NS, 'NoSuchEntity', 404, `${what} cannot be found.`);
  const date = (days: number) => iso(a.daysAgo(days).getTime());

  const perUser = (answer: (i: number) => Reply): Reply => {
    const i = userIndex(a, params.get('UserName'));
    return i === undefined ? noSuch(`The user with name ${params.get('UserName')}`) : answer(i);
  };

  switch (action) {
    case 'ListUsers': {
      const p = pageOf(a.counts.users);
      const users = pageItems(p, (i) => {
        const u = a.user(i);
        return member(
          `${el('Path', '/')}${el('UserName', u.name)}${el('UserId', `AIDA${i}`)}${el('Arn', u.arn)}${el('CreateDate', date(u.createdDaysAgo))}`,
        );
      });
      return list('Users', users, p.next);
    }
    case 'ListAccessKeys':
      return perUser((i) => {
        const u = a.user(i);
        return list(
          'AccessKeyMetadata',
          u.keys.map((k) =>
            member(
              `${el('UserName', u.name)}${el('AccessKeyId', k.id)}${el('Status', k.active ? 'Active' : 'Inactive')}${el('CreateDate', date(k.ageDays))}`,
            ),
          ),
        );
      });
    case 'ListMFADevices':
      return perUser((i) => {
        const u = a.user(i);
        const devices = Array.from({ length: u.mfaDevices }, (_, d) =>
          member(
            `${el('UserName', u.name)}${el('SerialNumber', `arn:aws:iam::${a.accountId}:mfa/${u.name}-${d}`)}${el('EnableDate', date(100))}`,
          ),
        );
        return list('MFADevices', devices);
      });
    case 'GetLoginProfile':
      return perUser((i) => {
        const u = a.user(i);
        if (u.passwordLastUsedDaysAgo === undefined)
          return noSuch(`Login Profile for User ${u.name}`);
        return wrap(
          `<LoginProfile>${el('UserName', u.name)}${el('CreateDate', date(u.createdDaysAgo))}${el('PasswordResetRequired', false)}</LoginProfile>`,
        );
      });
    case 'ListUserTags':
      return perUser((i) =>
        list(
          'Tags',
          a.user(i).tags.map(([k, v]) => member(`${el('Key', k)}${el('Value', v)}`)),
        ),
      );
    case 'ListAttachedUserPolicies':
      return perUser((i) =>
        list(
          'AttachedPolicies',
          a
            .user(i)
            .attachedPolicies.map((name) =>
              member(
                `${el('PolicyName', name)}${el('PolicyArn', name.startsWith('bench-') ? `arn:aws:iam::${a.accountId}:policy/${name}` : `arn:aws:iam::aws:policy/${name}`)}`,
              ),
            ),
        ),
      );
    case 'ListUserPolicies':
      return perUser((i) =>
        list(
          'PolicyNames',
          a.user(i).inlinePolicies.map((name) => member(xmlEscape(name))),
        ),
      );
    case 'GenerateCredentialReport':
      return wrap(
        `${el('State', 'COMPLETE')}${el('Description', 'No report exists. Starting a new report generation.')}`,
      );
    case 'GetCredentialReport':
      return wrap(
        `${el('Content', Buffer.from(a.credentialReport()).toString('base64'))}${el('ReportFormat', 'text/csv')}${el('GeneratedTime', iso(a.nowMs))}`,
      );
    case 'GetAccountSummary': {
      const root = a.profile.root;
      const summary: Record<string, number> = {
        Users: a.counts.users,
        Policies: a.counts.policies,
        ServerCertificates: a.counts.certificates,
        AccountMFAEnabled: root.mfa ? 1 : 0,
        AccountAccessKeysPresent: root.keys,
        AccountPasswordPresent: root.password ? 1 : 0,
      };
      const entries = Object.entries(summary)
        .map(([k, v]) => `<entry>${el('key', k)}${el('value', v)}</entry>`)
        .join('');
      return wrap(`<SummaryMap>${entries}</SummaryMap>`);
    }
    case 'GetAccountPasswordPolicy': {
      const p = a.profile.passwordPolicy;
      if (p === null) return noSuch(`The Password Policy with domain name ${a.accountId}`);
      return wrap(
        `<PasswordPolicy>${el('MinimumPasswordLength', p.minimumLength)}${el('RequireSymbols', true)}${el('RequireNumbers', true)}${el('RequireUppercaseCharacters', true)}${el('RequireLowercaseCharacters', true)}${el('AllowUsersToChangePassword', true)}${el('ExpirePasswords', false)}${el('PasswordReusePrevention', p.reuse)}</PasswordPolicy>`,
      );
    }
    case 'ListPolicies': {
      const created = a.daysAgo(500).getTime();
      if (params.get('Scope') === 'AWS') {
        // the fake's AWS managed policies are all attached (OnlyAttached or not)
        const p = pageOf(a.awsPolicies().length);
        return list(
          'Policies',
          pageItems(p, (i) => policyXml(a.awsPolicies()[i]!, created)),
          p.next,
        );
      }
      if (params.get('Scope') !== 'Local') {
        return queryError(IAM_NS, 'ValidationError', 400, 'fake AWS lists Scope Local or AWS only');
      }
      const p = pageOf(a.counts.policies);
      return list(
        'Policies',
        pageItems(p, (i) => policyXml(a.policy(i), created)),
        p.next,
      );
    }
    case 'GetPolicyVersion': {
      const policy = policyByArn(a, params.get('PolicyArn'));
      if (!policy || params.get('VersionId') !== policy.defaultVersion)
        return noSuch(`Policy ${params.get('PolicyArn')} version ${params.get('VersionId')}`);
      return wrap(
        `<PolicyVersion>${el('Document', encodeURIComponent(JSON.stringify(policy.document)))}${el('VersionId', policy.defaultVersion)}${el('IsDefaultVersion', true)}${el('CreateDate', date(200))}</PolicyVersion>`,
      );
    }
    case 'ListEntitiesForPolicy': {
      const arn = params.get('PolicyArn');
      if (arn !== 'arn:aws:iam::aws:policy/AWSSupportAccess')
        return queryError(IAM_NS, 'ValidationError', 400, 'fake AWS answers AWSSupportAccess only');
      const { roles, users } = a.profile.support;
      return wrap(
        `<PolicyGroups/><PolicyUsers>${users.map((u) => member(`${el('UserName', u)}${el('UserId', `AIDA${u.length}`)}`)).join('')}</PolicyUsers><PolicyRoles>${roles.map((r) => member(`${el('RoleName', r)}${el('RoleId', `AROA${r.length}`)}`)).join('')}</PolicyRoles>${el('IsTruncated', false)}`,
      );
    }
    case 'ListServerCertificates': {
      const p = pageOf(a.counts.certificates);
      const certs = pageItems(p, (i) => {
        const c = a.certificate(i);
        return member(
          `${el('Path', '/')}${el('ServerCertificateName', c.name)}${el('ServerCertificateId', `ASCA${i}`)}${el('Arn', c.arn)}${el('UploadDate', date(400))}${el('Expiration', iso(c.expiresMs))}`,
        );
      });
      return list('ServerCertificateMetadataList', certs, p.next);
    }
    default:
      return queryError(IAM_NS, 'InvalidAction', 400, `fake AWS does not implement ${action}`);
  }
}
