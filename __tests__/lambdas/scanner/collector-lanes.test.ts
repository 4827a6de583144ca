import { Collector } from '../../../lambdas/scanner/inventory/collector';

const collector = (concurrency: number) =>
  new Collector('123456789012', 'aws', concurrency, async () => undefined);
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Collector lanes', () => {
  it('gives each API operation (per region) its own SCAN_CONCURRENCY slots', async () => {
    // Arrange: operation A is slow; B must not wait behind it
    const c = collector(2);
    const site = (operation: string, region = 'us-east-1') => ({ region, operation });
    const done: string[] = [];
    const slow = () => c.call('iam', () => tick(50).then(() => done.push('A')), site('A'));
    const fast = (region?: string) =>
      c.call('iam', () => tick(1).then(() => done.push('B')), site('B', region));

    // Act
    await Promise.all([slow(), slow(), slow(), fast(), fast('eu-west-1'), fast()]);

    // Assert: all B calls finished before the first A
    expect(done.slice(0, 3)).toEqual(['B', 'B', 'B']);
  });

  it('each(): results in input order, at most 4 × SCAN_CONCURRENCY items in flight', async () => {
    // Arrange
    const c = collector(2);
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);

    // Act
    const out = await c.each(items, async (i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick(i % 3);
      inFlight -= 1;
      return i * 10;
    });

    // Assert
    expect(out).toEqual(items.map((i) => i * 10));
    expect(peak).toBe(8);
  });

  it('each(): rejects with the first error and takes no new item after it', async () => {
    // Arrange
    const c = collector(1);
    const seen: number[] = [];

    // Act
    const run = c.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], async (i) => {
      seen.push(i);
      await tick(1);
      if (i === 1) throw new Error('boom');
      return i;
    });

    // Assert
    await expect(run).rejects.toThrow('boom');
    const atFailure = seen.length;
    await tick(20);
    expect(seen).toHaveLength(atFailure);
    expect(atFailure).toBeLessThan(10);
  });
});
