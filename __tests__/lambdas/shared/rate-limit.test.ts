import { MIN_RATE, OperationRateLimit } from '../../../lambdas/shared/rate-limit';

/** A limiter on a clock the test moves. */
function limiter(start = 10_000) {
  const clock = { now: start };
  return { clock, limit: new OperationRateLimit(() => clock.now) };
}

// acquire() waits on timers: fake ones, dropped after each test
beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.clearAllTimers();
  jest.useRealTimers();
});

describe('OperationRateLimit', () => {
  it('lets everything through until the first throttle', () => {
    // Arrange
    const { limit } = limiter();

    // Act
    const waits = Array.from({ length: 100 }, () => limit.acquire());

    // Assert
    expect(waits.every((w) => w === undefined)).toBe(true);
    expect(limit.rate).toBe(Infinity);
  });

  it('on a throttle, paces at a little under what the API admitted over the last second', () => {
    // Arrange: 20 answers admitted within the last second, then a throttle
    const { clock, limit } = limiter();
    for (let i = 0; i < 20; i += 1) {
      clock.now += 40;
      limit.onAdmitted();
    }

    // Act
    limit.onThrottled();

    // Assert
    expect(limit.rate).toBeCloseTo(19, 5);
    expect(limit.acquire()).toBeInstanceOf(Promise);
  });

  it('ignores throttles answering requests sent before the cut', () => {
    // Arrange
    const { clock, limit } = limiter();
    for (let i = 0; i < 10; i += 1) limit.onAdmitted();
    limit.onThrottled();
    const afterCut = limit.rate;

    // Act
    clock.now += 100;
    limit.onThrottled();
    limit.onThrottled();

    // Assert
    expect(limit.rate).toBe(afterCut);
    expect(limit.throttles).toBe(3);
  });

  it('never paces below the minimum rate', () => {
    // Arrange / Act: throttled before anything was admitted
    const { limit } = limiter();
    limit.onThrottled();

    // Assert
    expect(limit.rate).toBe(MIN_RATE);
  });

  it('raises the rate after a second of demand without a throttle', () => {
    // Arrange
    const { clock, limit } = limiter();
    for (let i = 0; i < 10; i += 1) limit.onAdmitted();
    limit.onThrottled();
    const cut = limit.rate;

    // Act: requests keep waiting for their turn, none throttled
    for (let i = 0; i < 30; i += 1) {
      clock.now += 100;
      limit.acquire();
      limit.acquire();
      limit.onAdmitted();
    }

    // Assert
    expect(limit.rate).toBeGreaterThan(cut);
  });

  it('spaces sends one interval apart, in order', async () => {
    // Arrange: 10 admitted, then a throttle → 9.5 requests/s, one send every ~105 ms
    const { limit } = limiter();
    for (let i = 0; i < 10; i += 1) limit.onAdmitted();
    limit.onThrottled();
    const sent: number[] = [];

    // Act
    for (let i = 0; i < 3; i += 1) void limit.acquire()!.then(() => sent.push(i));
    await jest.advanceTimersByTimeAsync(110);
    const afterOne = [...sent];
    await jest.advanceTimersByTimeAsync(110);

    // Assert
    expect(afterOne).toEqual([0]);
    expect(sent).toEqual([0, 1]);
  });
});
