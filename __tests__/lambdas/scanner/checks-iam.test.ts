import {
  accessKeyRotation,
  consoleMfa,
  oneActiveAccessKey,
  rootAccessKeys,
  rootMfa,
  staleCredentials,
  unusedCredentials,
  userPolicies,
} from '../../../lambdas/scanner/checks/iam';
import type { IamUserInventory } from '../../../lambdas/scanner/inventory/types';
import { CONFIG, daysAgo, failed, inventory, NOW, ok, reportRow, statusOf, user } from './fixtures';

function runUser(check: typeof consoleMfa, u: IamUserInventory, report = ok([reportRow(u.name)])) {
  const inv = inventory({ iam: { users: { items: [u] }, credentialReport: report } });
  return statusOf(check.evaluate(inv, CONFIG), u.arn);
}

describe('IAM.3 access key age', () => {
  it('fails an active key older than MAX_KEY_AGE_DAYS and passes young or inactive keys', () => {
    // Arrange
    const old = user('old', {
      accessKeys: ok([{ id: 'AKIAOLD', status: 'Active', createDate: daysAgo(91) }]),
    });
    const young = user('young', {
      accessKeys: ok([{ id: 'AKIANEW', status: 'Active', createDate: daysAgo(10) }]),
    });
    const inactive = user('inactive', {
      accessKeys: ok([{ id: 'AKIAOFF', status: 'Inactive', createDate: daysAgo(500) }]),
    });

    // Act / Assert
    const f = runUser(accessKeyRotation, old);
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toContain('AKIAOLD (91 days)');
    expect(runUser(accessKeyRotation, young).status).toBe('PASS');
    expect(runUser(accessKeyRotation, inactive).status).toBe('PASS');
    expect(
      runUser(
        accessKeyRotation,
        user('x', { accessKeys: failed('ListAccessKeys', { service: 'iam' }) }),
      ).status,
    ).toBe('ERROR');
  });
});

describe('IAM.4 / IAM.9 root', () => {
  it.each([
    [{ AccountAccessKeysPresent: 1, AccountMFAEnabled: 1 }, 'FAIL', 'PASS'],
    [
      { AccountAccessKeysPresent: 0, AccountMFAEnabled: 0, AccountPasswordPresent: 1 },
      'PASS',
      'FAIL',
    ],
    [
      { AccountAccessKeysPresent: 0, AccountMFAEnabled: 0, AccountPasswordPresent: 0 },
      'PASS',
      'PASS',
    ],
  ])('summary %j → IAM.4 %s, IAM.9 %s', (summary, keys, mfa) => {
    // Arrange
    const inv = inventory({ iam: { accountSummary: ok(summary) } });

    // Act / Assert
    expect(rootAccessKeys.evaluate(inv, CONFIG).map((f) => f.status)).toEqual([keys]);
    expect(rootMfa.evaluate(inv, CONFIG).map((f) => f.status)).toEqual([mfa]);
  });

  it('reports ERROR when the account summary is unreadable', () => {
    const inv = inventory({
      iam: { accountSummary: failed('GetAccountSummary', { service: 'iam' }) },
    });
    expect(rootAccessKeys.evaluate(inv, CONFIG)[0]!.status).toBe('ERROR');
    expect(rootMfa.evaluate(inv, CONFIG)[0]!.status).toBe('ERROR');
  });
});

describe('IAM.5 console users without MFA', () => {
  it('fails a console user without MFA; passes one with MFA and one without a password', () => {
    const console = { loginProfile: ok({ createDate: daysAgo(5) }) };
    expect(runUser(consoleMfa, user('a', { ...console, mfaDevices: ok(0) })).status).toBe('FAIL');
    expect(runUser(consoleMfa, user('b', { ...console, mfaDevices: ok(1) })).status).toBe('PASS');
    expect(
      runUser(consoleMfa, user('c', { loginProfile: ok(null), mfaDevices: ok(0) })).status,
    ).toBe('PASS');
  });

  it('reports ERROR for the user whose MFA devices could not be read, others unaffected', () => {
    // Arrange
    const hidden = user('hidden', {
      loginProfile: ok({}),
      mfaDevices: failed('ListMFADevices', { service: 'iam' }),
    });
    const seen = user('seen', { loginProfile: ok({}), mfaDevices: ok(0) });
    const inv = inventory({ iam: { users: { items: [hidden, seen] } } });

    // Act
    const findings = consoleMfa.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, hidden.arn).status).toBe('ERROR');
    expect(statusOf(findings, seen.arn).status).toBe('FAIL');
  });
});

describe('IAM.22 unused credentials', () => {
  it('fails a password unused for 45+ days and passes a recently used one', () => {
    const stale = reportRow('a', {
      passwordEnabled: true,
      passwordLastUsed: daysAgo(60),
      passwordLastUsedRaw: daysAgo(60),
    });
    const fresh = reportRow('b', {
      passwordEnabled: true,
      passwordLastUsed: daysAgo(3),
      passwordLastUsedRaw: daysAgo(3),
    });
    expect(runUser(unusedCredentials, user('a'), ok([stale])).status).toBe('FAIL');
    expect(runUser(unusedCredentials, user('b'), ok([fresh])).status).toBe('PASS');
  });

  it('judges never-used credentials by when they were created', () => {
    // Arrange: key 1 never used, created 100 days ago; password never used, set 2 days ago
    const row = reportRow('a', {
      passwordEnabled: true,
      passwordLastUsed: null,
      passwordLastUsedRaw: 'N/A',
      passwordLastChanged: daysAgo(2),
      accessKeys: [
        { active: true, lastRotated: daysAgo(100), lastUsedDate: null },
        { active: true, lastRotated: daysAgo(1), lastUsedDate: null },
      ],
    });

    // Act
    const stale = staleCredentials(row, NOW, 45);

    // Assert
    expect(stale).toEqual(['access key 1 never used, created 100 days ago']);
  });

  it('ignores inactive keys and keys used recently', () => {
    const row = reportRow('a', {
      accessKeys: [
        { active: false, lastRotated: daysAgo(300), lastUsedDate: daysAgo(300) },
        { active: true, lastRotated: daysAgo(300), lastUsedDate: daysAgo(1) },
      ],
    });
    expect(staleCredentials(row, NOW, 45)).toEqual([]);
  });

  it('reports ERROR for every user when the credential report is unavailable', () => {
    const f = runUser(
      unusedCredentials,
      user('a'),
      failed('GenerateCredentialReport', {
        service: 'iam',
        kind: 'other',
        code: 'CredentialReportNotReady',
      }),
    );
    expect(f.status).toBe('ERROR');
    expect(f.statusDetail).toContain('CredentialReportNotReady');
  });

  it('passes a user newer than the report', () => {
    expect(runUser(unusedCredentials, user('new'), ok([])).status).toBe('PASS');
  });
});

describe('IAM.2 users with policies of their own', () => {
  it.each([
    ['an attached managed policy', 'FAIL', { attachedPolicies: ok(['ReadOnlyAccess']) }],
    ['an inline policy', 'FAIL', { inlinePolicies: ok(['inline-s3']) }],
    ['neither (permissions through groups)', 'PASS', {}],
  ])('a user with %s → %s', (_case, status, over) => {
    expect(runUser(userPolicies, user('u', over)).status).toBe(status);
  });

  it('names the policies it found', () => {
    const f = runUser(
      userPolicies,
      user('u', { attachedPolicies: ok(['ReadOnlyAccess']), inlinePolicies: ok(['mine']) }),
    );
    expect(f.statusDetail).toBe(
      'User u has policies of its own: managed ReadOnlyAccess, inline mine.',
    );
  });

  it('reports ERROR for the user whose policy list could not be read, others unaffected', () => {
    // Arrange
    const hidden = user('hidden', {
      inlinePolicies: failed('ListUserPolicies', { service: 'iam' }),
    });
    const seen = user('seen', { attachedPolicies: ok(['AdministratorAccess']) });
    const inv = inventory({ iam: { users: { items: [hidden, seen] } } });

    // Act
    const findings = userPolicies.evaluate(inv, CONFIG);

    // Assert
    expect(statusOf(findings, hidden.arn).status).toBe('ERROR');
    expect(statusOf(findings, hidden.arn).statusDetail).toContain('ListUserPolicies failed');
    expect(statusOf(findings, seen.arn).status).toBe('FAIL');
  });
});

describe('IAM.OneActiveAccessKey (CIS 1.12)', () => {
  const key = (id: string, status: string) => ({ id, status, createDate: daysAgo(10) });

  it('fails a user with two active keys and passes one active plus one inactive', () => {
    // Arrange
    const two = user('two', { accessKeys: ok([key('AKIA1', 'Active'), key('AKIA2', 'Active')]) });
    const one = user('one', { accessKeys: ok([key('AKIA3', 'Active'), key('AKIA4', 'Inactive')]) });

    // Act
    const f = runUser(oneActiveAccessKey, two);

    // Assert
    expect(f.status).toBe('FAIL');
    expect(f.statusDetail).toBe('User two has 2 active access keys: AKIA1, AKIA2.');
    expect(f.controlIds).toEqual(['CIS-5.0 1.12', 'CIS-3.0 1.13']);
    expect(runUser(oneActiveAccessKey, one).status).toBe('PASS');
    expect(runUser(oneActiveAccessKey, user('none')).status).toBe('PASS');
  });

  it('reports ERROR when the keys could not be listed', () => {
    const hidden = user('x', { accessKeys: failed('ListAccessKeys', { service: 'iam' }) });
    expect(runUser(oneActiveAccessKey, hidden).status).toBe('ERROR');
  });
});
