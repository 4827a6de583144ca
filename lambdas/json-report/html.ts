/**
 * report.html: one self-contained page per scan (inline CSS and SVG; no script, font, image or
 * stylesheet from anywhere else) for people who open the audit bucket in a browser: totals by
 * severity and status, failing checks with their Security Hub and CIS ids, the resources with the
 * most failures, what is new and resolved since the last scan, suppressions, coverage, and a trend
 * of failed findings over the last scans. Every value from AWS (names, tags, ARNs, messages) and
 * from the suppressions file is HTML-escaped. Pure.
 */
import type { ChangesReport, TrendPoint } from '../shared/changes';
import type { ScanCompletedDetail, ScanCoverage } from '../shared/events';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../shared/findings';
import type { ScanSummary } from '../shared/summary';

/** Rows shown per list; the JSON report and changes.json hold every one. */
export const MAX_ROWS = 50;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML content and in quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface HtmlReportInput {
  readonly detail: ScanCompletedDetail;
  readonly summary: ScanSummary;
  readonly findings: readonly Finding[];
  readonly changes: ChangesReport;
  /** From the scan's state; undefined when it could not be read. */
  readonly history?: readonly TrendPoint[];
  readonly generatedAt: string;
}

const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#7f1d1d',
  high: '#b91c1c',
  medium: '#c2410c',
  low: '#a16207',
  informational: '#475569',
};

function table(head: readonly string[], rows: readonly string[][], total = rows.length): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const more = total > rows.length ? `<p class="more">Showing ${rows.length} of ${total}.</p>` : '';
  return (
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>${more}`
  );
}

const sev = (s: Severity): string =>
  `<span class="sev" style="background:${SEVERITY_COLOURS[s]}">${esc(s)}</span>`;

function totals(summary: ScanSummary): string {
  const card = (key: string, label: string, value: number, colour = '#1e293b'): string =>
    `<div class="card" style="border-top-color:${colour}"><div class="n" data-total="${key}">${value}</div><div>${esc(label)}</div></div>`;
  const failed = SEVERITIES.reduce((n, s) => n + summary.bySeverity[s], 0);
  return [
    '<h2>Totals</h2><div class="cards">',
    card('total', 'Findings', summary.total),
    card('FAIL', 'Failed', summary.byStatus.FAIL, '#b91c1c'),
    card('SUPPRESSED', 'Suppressed', summary.byStatus.SUPPRESSED, '#6d28d9'),
    card('ERROR', 'Could not run', summary.byStatus.ERROR, '#c2410c'),
    card('PASS', 'Passed', summary.byStatus.PASS, '#15803d'),
    '</div><h3>Failed by severity</h3><div class="cards">',
    ...SEVERITIES.map((s) => card(s, s, summary.bySeverity[s], SEVERITY_COLOURS[s])),
    `</div><p class="note">${failed} failed findings; suppressed findings are counted apart and never alert.</p>`,
  ].join('');
}

function failingChecks(findings: readonly Finding[]): string {
  const byCheck = new Map<string, { f: Finding; count: number }>();
  for (const f of findings) {
    if (f.status !== 'FAIL') continue;
    const entry = byCheck.get(f.checkId) ?? { f, count: 0 };
    entry.count += 1;
    byCheck.set(f.checkId, entry);
  }
  const rows = [...byCheck.values()]
    .sort(
      (a, b) =>
        severityRank(b.f.severity) - severityRank(a.f.severity) ||
        b.count - a.count ||
        a.f.checkId.localeCompare(b.f.checkId),
    )
    .map(({ f, count }) => {
      const sh = f.controlIds.filter((c) => !c.startsWith('CIS-'));
      const cis = f.controlIds.filter((c) => c.startsWith('CIS-'));
      return [
        sev(f.severity),
        `<code>${esc(sh.join(', ') || f.checkId)}</code>`,
        esc(cis.map((c) => c.replace(/^CIS-/, 'CIS ')).join(', ') || '—'),
        esc(f.title),
        String(count),
      ];
    });
  return table(
    ['Severity', 'Control', 'CIS', 'Check', 'Failed'],
    rows.slice(0, MAX_ROWS),
    rows.length,
  );
}

function topResources(findings: readonly Finding[]): string {
  const byResource = new Map<string, { f: Finding; count: number; worst: Severity }>();
  for (const f of findings) {
    if (f.status !== 'FAIL') continue;
    const e = byResource.get(f.resource.uid) ?? { f, count: 0, worst: f.severity };
    e.count += 1;
    if (severityRank(f.severity) > severityRank(e.worst)) e.worst = f.severity;
    byResource.set(f.resource.uid, e);
  }
  const rows = [...byResource.values()]
    .sort(
      (a, b) =>
        b.count - a.count ||
        severityRank(b.worst) - severityRank(a.worst) ||
        a.f.resource.uid.localeCompare(b.f.resource.uid),
    )
    .slice(0, 10)
    .map(({ f, count, worst }) => [
      `<code>${esc(f.resource.uid)}</code>${f.resource.name ? `<br><span class="muted">${esc(f.resource.name)}</span>` : ''}`,
      esc(f.resource.type),
      `${esc(f.account)} / ${esc(f.region)}`,
      sev(worst),
      String(count),
    ]);
  return table(['Resource', 'Type', 'Account / region', 'Worst', 'Failed checks'], rows);
}

function changeList(list: ChangesReport['new']): string {
  const rows = list
    .slice(0, MAX_ROWS)
    .map((c) => [
      sev(c.severity),
      `<code>${esc(c.controlIds.join(', ') || c.checkId)}</code>`,
      esc(c.title),
      `<code>${esc(c.resourceUid)}</code>`,
      esc(c.status === 'GONE' ? 'gone' : c.status),
      esc(c.firstSeen.slice(0, 10)),
    ]);
  return table(
    ['Severity', 'Controls', 'Check', 'Resource', 'Now', 'First seen'],
    rows,
    list.length,
  );
}

function suppressions(findings: readonly Finding[]): string {
  const byEntry = new Map<string, { s: NonNullable<Finding['suppression']>; count: number }>();
  for (const f of findings) {
    if (!f.suppression) continue;
    const key = `${f.suppression.id}\n${f.suppression.expired ? 'expired' : 'active'}`;
    const e = byEntry.get(key) ?? { s: f.suppression, count: 0 };
    e.count += 1;
    byEntry.set(key, e);
  }
  const rows = [...byEntry.values()].map(({ s, count }) => [
    `<code>${esc(s.id)}</code>`,
    s.expired ? '<strong class="bad">expired</strong>' : 'active',
    esc(s.owner),
    esc(s.expires),
    esc(s.reason),
    String(count),
  ]);
  return table(['Suppression', 'State', 'Owner', 'Expires', 'Reason', 'Findings'], rows);
}

function coverage(detail: ScanCompletedDetail, findings: readonly Finding[]): string {
  const accounts = [...new Set(findings.map((f) => f.account))].sort();
  const c: ScanCoverage | undefined = detail.coverage;
  const notReported = '<span class="muted">not reported</span>';
  const regions = c?.regionsScanned ?? detail.regions;
  const items: [string, string][] = [
    ['Scope', c ? esc(c.basis) : notReported],
    ['Accounts scanned', accounts.length > 0 ? esc(accounts.join(', ')) : notReported],
    ['Regions scanned', regions ? esc(regions.join(', ')) : notReported],
    [
      'Regions that failed',
      c
        ? c.regionsFailed.length === 0
          ? 'none'
          : c.regionsFailed.map((r) => `${esc(r.region)}: ${esc(r.reason)}`).join('<br>')
        : notReported,
    ],
    ['Checks run', c ? String(c.checksRun) : notReported],
    [
      'Checks that could not run',
      c ? (c.checksErrored.length === 0 ? 'none' : esc(c.checksErrored.join(', '))) : notReported,
    ],
    [
      'Deadline',
      c
        ? c.deadlineReached
          ? 'reached: what the scan did not reach is ERROR'
          : 'not reached'
        : notReported,
    ],
  ];
  return `<dl>${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd data-coverage="${esc(k)}">${v}</dd>`).join('')}</dl>`;
}

/** Failed findings (by severity, stacked) per scan as an inline SVG bar chart. */
export function trendSvg(history: readonly TrendPoint[]): string {
  if (history.length === 0) return '<p class="none">No earlier scans recorded.</p>';
  const width = 720;
  const height = 200;
  const pad = 30;
  const totalsOf = (p: TrendPoint) => SEVERITIES.reduce((n, s) => n + p.failed[s], 0);
  const max = Math.max(1, ...history.map(totalsOf));
  const slot = (width - pad * 2) / history.length;
  const bar = Math.min(40, Math.max(2, slot * 0.7));
  const bars = history
    .map((p, i) => {
      let y = height - pad;
      const x = pad + i * slot + (slot - bar) / 2;
      const parts = [...SEVERITIES].reverse().map((s) => {
        const h = (p.failed[s] / max) * (height - pad * 2);
        y -= h;
        return h > 0
          ? `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${SEVERITY_COLOURS[s]}"/>`
          : '';
      });
      return `<g><title>${esc(`${p.startedAt}: ${totalsOf(p)} failed, ${p.new + p.reopened} new, ${p.resolved} resolved`)}</title>${parts.join('')}</g>`;
    })
    .join('');
  const first = history[0]!.startedAt.slice(0, 10);
  const last = history[history.length - 1]!.startedAt.slice(0, 10);
  return (
    `<svg role="img" aria-label="Failed findings per scan" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#94a3b8"/>` +
    `<text x="${pad}" y="${pad - 10}" font-size="12" fill="#334155">${max} failed</text>` +
    `<text x="${pad}" y="${height - 8}" font-size="12" fill="#334155">${esc(first)}</text>` +
    `<text x="${width - pad}" y="${height - 8}" font-size="12" fill="#334155" text-anchor="end">${esc(last)}</text>` +
    `${bars}</svg>`
  );
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}
main{padding:8px 32px 40px;max-width:1200px}h2{margin:28px 0 10px;font-size:18px}h3{font-size:15px;margin:16px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #e2e8f0;border-top:4px solid;border-radius:6px;padding:10px 16px;min-width:110px}
.card .n{font-size:26px;font-weight:700}table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e2e8f0}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;overflow-wrap:anywhere}th{background:#f1f5f9}
code{font-size:12px}.sev{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;text-transform:uppercase}
.muted,.note,.more,.none{color:#64748b}.bad{color:#b91c1c}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;background:#fff;border:1px solid #e2e8f0;padding:12px 16px}dt{font-weight:600}dd{margin:0}
`;

export function renderHtmlReport(input: HtmlReportInput): string {
  const { detail, summary, findings, changes } = input;
  const counts = changes.counts;
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    // No external fetch of any kind, even if a value ever escaped escaping.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Compliance scan ${esc(detail.scanId)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>Compliance scan report</h1><div>Scan <code>${esc(detail.scanId)}</code> · started ${esc(detail.startedAt)} · finished ${esc(detail.finishedAt)} · generated ${esc(input.generatedAt)}</div></header><main>`,
    totals(summary),
    '<h2>Since the last scan</h2>',
    `<div class="cards"><div class="card" style="border-top-color:#b91c1c"><div class="n" data-change="new">${counts.new}</div><div>New</div></div>`,
    `<div class="card" style="border-top-color:#c2410c"><div class="n" data-change="reopened">${counts.reopened}</div><div>Reopened</div></div>`,
    `<div class="card" style="border-top-color:#15803d"><div class="n" data-change="resolved">${counts.resolved}</div><div>Resolved</div></div>`,
    `<div class="card"><div class="n" data-change="stillFailing">${counts.stillFailing}</div><div>Still failing</div></div></div>`,
    changes.previousScanId
      ? `<p class="note">Compared with scan <code>${esc(changes.previousScanId)}</code>.</p>`
      : '<p class="note">No earlier scan to compare with: every failure counts as new.</p>',
    '<h3>New and reopened</h3>',
    changeList([...changes.new, ...changes.reopened]),
    '<h3>Resolved</h3>',
    changeList(changes.resolved),
    '<h2>Failing checks</h2>',
    failingChecks(findings),
    '<h2>Resources with the most failures</h2>',
    topResources(findings),
    '<h2>Suppressions</h2>',
    suppressions(findings),
    '<h2>Coverage</h2>',
    coverage(detail, findings),
    '<h2>Trend: failed findings per scan</h2>',
    input.history ? trendSvg(input.history) : '<p class="none">Trend not available.</p>',
    '</main></body></html>\n',
  ].join('');
}
