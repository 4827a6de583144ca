/** report.json: the scan's summary plus every finding (pure; no AWS calls). */
import type { ChangesReport } from '../shared/changes';
import type { ScanCompletedDetail, ScanCoverage } from '../shared/events';
import type { Finding } from '../shared/findings';
import { summarize, type ScanSummary } from '../shared/summary';

export interface JsonReport {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  generatedAt: string;
  /** What the scan covered (regions scanned and failed, checks that could not run); `null` from older scanners. */
  coverage: ScanCoverage | null;
  summary: ScanSummary;
  /** Counts by change state since the previous scan (changes.json lists them). */
  changes?: ChangesReport['counts'];
  findings: readonly Finding[];
}

export function buildJsonReport(
  detail: ScanCompletedDetail,
  findings: readonly Finding[],
  generatedAt: string,
  changes?: ChangesReport['counts'],
): JsonReport {
  return {
    scanId: detail.scanId,
    startedAt: detail.startedAt,
    finishedAt: detail.finishedAt,
    generatedAt,
    coverage: detail.coverage ?? null,
    summary: summarize(findings),
    ...(changes ? { changes } : {}),
    findings,
  };
}

/**
 * The report as JSON text: the header and summary indented for people, each finding compact on its
 * own line (indenting 100k findings would add roughly a third to the object for no reader's benefit,
 * and one line per finding still greps and diffs well). `JSON.parse` gives back the report.
 */
export function serializeJsonReport(report: JsonReport): string {
  const { findings, ...head } = report;
  const headText = JSON.stringify(head, null, 2);
  if (findings.length === 0) return `${headText.slice(0, -2)},\n  "findings": []\n}\n`;
  const parts: string[] = [`${headText.slice(0, -2)},\n  "findings": [\n`];
  findings.forEach((f, i) => {
    parts.push(`    ${JSON.stringify(f)}${i < findings.length - 1 ? ',\n' : '\n'}`);
  });
  parts.push('  ]\n}\n');
  return parts.join('');
}
