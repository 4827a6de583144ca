/**
 * report.html in a real browser: headless Chromium renders a generated report; the totals people
 * see must equal the JSON report's summary, the hostile resource name must show as text (no script
 * runs, no element is injected), nothing is fetched from the network, and a screenshot is saved
 * (artifacts/report-html.png). Skips with one line when no Chromium is installed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderHtmlReport } from '../../../lambdas/json-report/html';
import { buildJsonReport } from '../../../lambdas/json-report/report';
import { SEVERITIES } from '../../../lambdas/shared/findings';
import { Browser, chromiumPath, type Page } from '../../helpers/chromium';
import { HOSTILE, reportInput } from './html-fixtures';

const chromium = chromiumPath();
const SCREENSHOT = resolve(__dirname, '../../../artifacts/report-html.png');
const describeInBrowser = 'path' in chromium ? describe : describe.skip;
if ('skip' in chromium) console.log(`Skipping report.html browser test: ${chromium.skip}`);

describeInBrowser('report.html in headless Chromium', () => {
  const input = reportInput();
  const json = buildJsonReport(
    input.detail,
    input.findings,
    input.generatedAt,
    input.changes.counts,
  );
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-html-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(input));
    browser = Browser.launch((chromium as { path: string }).path);
    page = await browser.open(`file://${file}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the JSON report totals', async () => {
    const shown = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('[data-total]')].map((e) => [e.dataset.total, e.innerText]))`,
    );
    expect(shown).toEqual({
      total: String(json.summary.total),
      FAIL: String(json.summary.byStatus.FAIL),
      SUPPRESSED: String(json.summary.byStatus.SUPPRESSED),
      ERROR: String(json.summary.byStatus.ERROR),
      PASS: String(json.summary.byStatus.PASS),
      ...Object.fromEntries(SEVERITIES.map((s) => [s, String(json.summary.bySeverity[s])])),
    });
    const changes = await page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('[data-change]')].map((e) => [e.dataset.change, e.innerText]))`,
    );
    expect(changes).toEqual({
      new: String(json.changes!.new),
      reopened: String(json.changes!.reopened),
      resolved: String(json.changes!.resolved),
      stillFailing: String(json.changes!.stillFailing),
    });
  });

  it('shows hostile values as text: no script, image or injected element', async () => {
    const state = await page.evaluate<{
      scripts: number;
      images: number;
      text: boolean;
      alerted: boolean;
    }>(
      `({ scripts: document.scripts.length, images: document.images.length,
          text: document.body.innerText.includes(${JSON.stringify(HOSTILE)}),
          alerted: typeof window.__alerted !== 'undefined' })`,
    );
    expect(state).toEqual({ scripts: 0, images: 0, text: true, alerted: false });
  });

  it('fetches nothing: every resource the page loaded is the page itself', async () => {
    const loaded = await page.evaluate<string[]>(
      `performance.getEntriesByType('resource').map((e) => e.name)`,
    );
    expect(loaded).toEqual([]);
  });

  it('renders the trend chart and saves a screenshot', async () => {
    const bars = await page.evaluate<number>(`document.querySelectorAll('svg g').length`);
    expect(bars).toBe(input.history.length);
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    writeFileSync(SCREENSHOT, png);
  });
});
