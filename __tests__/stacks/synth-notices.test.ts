/** What synth prints besides the stack: the backend, and warnings for settings that change things outside it. */
import { synthNotices } from '../../stacks/synth-notices';
import { loadStackProps, resolveSettings } from '../../stacks/settings';

const warnings = (env: Record<string, string>): string[] =>
  synthNotices(resolveSettings(loadStackProps(env)), 'backend: local').filter((l) =>
    l.startsWith('Warning:'),
  );

describe('synthNotices', () => {
  it('warns of nothing in dry-run', () => {
    expect(warnings({})).toEqual([]);
  });

  it('warns that enforce reaches member accounts too with ORG_REMEDIATION=members', () => {
    const org = { SCAN_SCOPE: 'organization', ORG_AUDIT_ACCOUNT_ID: '111111111111' };
    const members = warnings({ ...org, REMEDIATION_MODE: 'enforce', ORG_REMEDIATION: 'members' });
    expect(members).toContainEqual(
      'Warning: ORG_REMEDIATION=members: the same runs change buckets in us-east-1 of every member account too, through compliance-audit-remediation-dev, each with its own alias/compliance-audit-remediation-dev; the cap counts over all accounts together.',
    );
    const home = warnings({ ...org, REMEDIATION_MODE: 'enforce' });
    expect(home.join('\n')).not.toContain('ORG_REMEDIATION');
    expect(home.length).toBe(members.length - 1);
  });
});
