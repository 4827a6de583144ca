import {
  passwordLength,
  passwordReuse,
  supportRole,
} from '../../../lambdas/scanner/checks/iam-account';
import type { Check } from '../../../lambdas/scanner/checks/types';
import type { IamInventory, PasswordPolicy } from '../../../lambdas/scanner/inventory/types';
import { ACCOUNT, CONFIG, failed, inventory, ok, REGION } from './fixtures';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

/** The single account finding of `check` for these IAM facts. */
function accountFinding(check: Check, iam: Partial<IamInventory>) {
  const findings = check.evaluate(inventory({ iam }), CONFIG);
  expect(findings).toHaveLength(1);
  expect(findings[0]!.resource).toMatchObject({
    uid: ROOT,
    type: 'AWS::::Account',
    region: REGION,
  });
  return findings[0]!;
}

describe('IAM.15 password length / IAM.16 password reuse', () => {
  it.each<[string, string, string, PasswordPolicy | null]>([
    [
      '14 characters, 24 remembered',
      'PASS',
      'PASS',
      { minimumPasswordLength: 14, passwordReusePrevention: 24 },
    ],
    [
      '20 characters, 5 remembered',
      'PASS',
      'FAIL',
      { minimumPasswordLength: 20, passwordReusePrevention: 5 },
    ],
    ['8 characters, no reuse prevention', 'FAIL', 'FAIL', { minimumPasswordLength: 8 }],
    [
      '13 characters, 24 remembered',
      'FAIL',
      'PASS',
      { minimumPasswordLength: 13, passwordReusePrevention: 24 },
    ],
    ['no password policy (NoSuchEntity)', 'FAIL', 'FAIL', null],
  ])('%s → IAM.15 %s, IAM.16 %s', (_case, length, reuse, policy) => {
    const iam = { passwordPolicy: ok(policy) };
    expect(accountFinding(passwordLength, iam).status).toBe(length);
    expect(accountFinding(passwordReuse, iam).status).toBe(reuse);
  });

  it('says what it found', () => {
    const iam = { passwordPolicy: ok({ minimumPasswordLength: 8, passwordReusePrevention: 5 }) };
    expect(accountFinding(passwordLength, iam).statusDetail).toBe(
      `The password policy of account ${ACCOUNT} requires 8 characters, fewer than 14.`,
    );
    expect(accountFinding(passwordReuse, iam).statusDetail).toBe(
      `The password policy of account ${ACCOUNT} remembers only 5 passwords; 24 are required.`,
    );
    expect(accountFinding(passwordReuse, { passwordPolicy: ok(null) }).statusDetail).toBe(
      `Account ${ACCOUNT} has no IAM password policy.`,
    );
  });

  it('reports ERROR when the password policy could not be read', () => {
    const iam = {
      passwordPolicy: failed<PasswordPolicy | null>('GetAccountPasswordPolicy', { service: 'iam' }),
    };
    expect(accountFinding(passwordLength, iam).status).toBe('ERROR');
    expect(accountFinding(passwordReuse, iam).statusDetail).toContain(
      'GetAccountPasswordPolicy failed in us-east-1 (AccessDenied',
    );
  });
});

describe('IAM.18 support role', () => {
  it('passes when a role has AWSSupportAccess', () => {
    const f = accountFinding(supportRole, {
      supportAccessEntities: ok({ users: [], groups: [], roles: ['support'] }),
    });
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toBe('AWSSupportAccess is attached to role support.');
  });

  it('passes, as Security Hub does, when only a user or group has it, and says CIS wants a role', () => {
    const f = accountFinding(supportRole, {
      supportAccessEntities: ok({ users: ['alice'], groups: ['ops'], roles: [] }),
    });
    expect(f.status).toBe('PASS');
    expect(f.statusDetail).toBe(
      'AWSSupportAccess is attached to group ops, user alice (no role: CIS asks for a support role).',
    );
  });

  it('fails when nothing has AWSSupportAccess', () => {
    const f = accountFinding(supportRole, {
      supportAccessEntities: ok({ users: [], groups: [], roles: [] }),
    });
    expect(f.status).toBe('FAIL');
  });

  it('reports ERROR when the attachments could not be listed', () => {
    const f = accountFinding(supportRole, {
      supportAccessEntities: failed('ListEntitiesForPolicy', { service: 'iam' }),
    });
    expect(f.status).toBe('ERROR');
  });
});
