/**
 * report.html as a document (pure): self-contained, every AWS value escaped, coverage and trend.
 * html-browser.test.ts renders it in headless Chromium.
 */
import { esc, renderHtmlReport, trendSvg } from '../../../lambdas/json-report/html';
import { HOSTILE, reportInput } from './html-fixtures';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(reportInput());

  it('loads nothing from anywhere: no script, link, external image, font or URL in CSS', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import|@font-face/i);
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["']/i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toContain('<svg');
  });

  it('escapes every value taken from AWS or the suppressions file', () => {
    expect(html).toContain(esc(HOSTILE));
    expect(esc(HOSTILE)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=&quot;https://evil.example/x.png&quot;&gt;&#39;&amp;',
    );
  });

  it('shows totals, failing checks with CIS ids, top resources, changes, suppressions and coverage', () => {
    expect(html).toContain('data-total="FAIL">2<');
    expect(html).toContain('data-total="SUPPRESSED">1<');
    expect(html).toContain('data-total="critical">1<');
    expect(html).toContain('CIS 5.0 2.1.4');
    expect(html).toContain('data-change="new">2<');
    expect(html).toContain('data-change="resolved">2<');
    expect(html).toContain('web@example.com');
    expect(html).toContain('data-coverage="Checks run">42<');
    expect(html).toContain('arn:aws:s3:::evil');
  });

  it('says "not reported" for coverage a scan did not report', () => {
    const bare = renderHtmlReport(reportInput(false));
    expect(bare).toContain('data-coverage="Checks run"><span class="muted">not reported</span>');
    expect(bare).toContain('data-coverage="Regions scanned">us-east-1<');
  });
});

describe('trendSvg', () => {
  it('draws one bar group per scan, and says so when there is no history', () => {
    const { history } = reportInput();
    const svg = trendSvg(history);
    expect(svg.match(/<g>/g)).toHaveLength(2);
    expect(trendSvg([])).toContain('No earlier scans');
  });
});
