/** Organization scans report every member's buckets; remediation fixes only its own account's. */
import { bucketsFromFindings, parseTrigger } from '../../../lambdas/remediation/triggers';
import { ACCOUNT, FINDINGS_KEY, RULE, s3Finding, scanEvent } from './fixtures';

describe('remediation after an organization scan', () => {
  it('keeps only the buckets of the account the event was published in', () => {
    // Arrange
    const member = { ...s3Finding('member-bucket'), account: '222222222222' };
    const findings = [s3Finding('own-bucket'), member];

    // Act
    const trigger = parseTrigger(scanEvent(), [RULE]);

    // Assert
    expect(trigger).toEqual({
      kind: 'scan',
      runId: expect.any(String),
      findingsKey: FINDINGS_KEY,
      account: ACCOUNT,
    });
    expect(bucketsFromFindings(findings, ACCOUNT)).toEqual(['own-bucket']);
    expect(bucketsFromFindings(findings)).toEqual(['own-bucket', 'member-bucket']);
  });
});
