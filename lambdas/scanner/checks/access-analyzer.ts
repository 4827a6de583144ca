/**
 * IAM Access Analyzer check (IAM.28): an active external access analyzer in each scanned region.
 */
import type { AnalyzerInventory } from '../inventory/types';
import { defineCheck, regionsOf, type CheckMetadata } from './types';

const SH_DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html';
/** Analyzer types that look for external access (account or organization zone of trust). */
const EXTERNAL_ACCESS_TYPES = ['ACCOUNT', 'ORGANIZATION'];

function isActiveExternal(a: AnalyzerInventory): boolean {
  return EXTERNAL_ACCESS_TYPES.includes(a.type) && a.status === 'ACTIVE';
}

const iam_28: CheckMetadata = {
  id: 'IAM.28',
  title: 'IAM Access Analyzer external access analyzer should be enabled',
  severity: 'high',
  securityHubId: 'IAM.28',
  cis: { v5: ['1.19'], v3: ['1.20'] },
  resourceType: 'AWS::::Account',
  reads: ['access-analyzer:ListAnalyzers'],
  docs: `${SH_DOCS}#iam-28`,
  remediation: {
    desc: 'Create an external access analyzer in every region: `aws accessanalyzer create-analyzer --analyzer-name external-access --type ACCOUNT --region <region>` (or `--type ORGANIZATION` from the management or delegated administrator account).',
    references: [
      `${SH_DOCS}#iam-28`,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html',
    ],
  },
  prowlerCheckIds: ['accessanalyzer_enabled'],
};
/**
 * An organization analyzer counts where ListAnalyzers shows it (the account that created it); a
 * member account does not see it and fails, as Security Hub says of its own control.
 */
export const externalAccessAnalyzer = defineCheck(iam_28, (b, inv) => {
  for (const region of regionsOf(inv)) {
    const res = b.account(region.region);
    const listed = region.accessAnalyzer.analyzers;
    const active = listed.items.find(isActiveExternal);
    if (active) {
      b.pass(
        res,
        `External access analyzer ${active.name} (${active.type}) is active in ${region.region}.`,
      );
    } else if (listed.error) {
      b.error(res, `the IAM Access Analyzer analyzers in ${region.region}`, listed.error);
    } else {
      const others = listed.items.map((a) => `${a.name} (${a.type}, ${a.status})`);
      b.fail(
        res,
        `No active external access analyzer in ${region.region}${others.length > 0 ? `; analyzers: ${others.join(', ')}` : ''}.`,
      );
    }
  }
});

export const ACCESS_ANALYZER_CHECKS = [externalAccessAnalyzer];
