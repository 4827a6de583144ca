/**
 * How a finding's control ids (`S3.8`, `CIS-5.0 2.1.4`) read in the standards' own words, for the
 * ASFF and OCSF exports. Pure.
 */

/** Security Hub's name for the standard its controls (`S3.8`) come from. */
export const FSBP_STANDARD = 'AWS Foundational Security Best Practices v1.0.0';
const CIS = /^CIS-(\d+)\.(\d+) (\S+)$/;

/** `CIS-5.0 2.1.4` → `CIS AWS Foundations Benchmark v5.0.0`. */
export function cisStandard(version: string): string {
  return `CIS AWS Foundations Benchmark v${version}.0`;
}

export interface ControlIds {
  /** Security Hub control ids (`S3.8`). */
  readonly securityHub: string[];
  /** CIS requirements as Security Hub writes them: `CIS AWS Foundations Benchmark v5.0.0/2.1.4`. */
  readonly cis: string[];
  /** Standards the controls belong to, Security Hub's first. */
  readonly standards: string[];
}

export function splitControlIds(controlIds: readonly string[]): ControlIds {
  const securityHub: string[] = [];
  const cis: string[] = [];
  const standards = new Set<string>();
  for (const id of controlIds) {
    const m = CIS.exec(id);
    if (m) {
      const standard = cisStandard(`${m[1]}.${m[2]}`);
      cis.push(`${standard}/${m[3]}`);
      standards.add(standard);
    } else {
      securityHub.push(id);
    }
  }
  return {
    securityHub,
    cis,
    standards: [...(securityHub.length > 0 ? [FSBP_STANDARD] : []), ...standards],
  };
}
