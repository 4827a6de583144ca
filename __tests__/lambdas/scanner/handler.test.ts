import { DescribeRegionsCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { accountFromArn, handler } from '../../../lambdas/scanner/handler';
import { parseScanTrigger } from '../../../lambdas/scanner/trigger';
import { logger, MalformedEventError } from '../../../lambdas/shared/observability';
import { fakeContext } from '../../helpers/lambda-context';
import { clientRegion, mocks, resetMocks, totalCalls } from './aws-mocks';

const ENV_KEYS = [
  'AUDIT_BUCKET',
  'SCAN_REGIONS',
  'AWS_REGION',
  'AWS_MAX_ATTEMPTS',
  'EVENT_BUS_NAME',
  'ALLOWED_OPEN_PORTS',
] as const;
const saved: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};

const schedule = {
  id: 'evt-1',
  source: 'aws.events',
  'detail-type': 'Scheduled Event',
  time: '2026-06-01T00:00:00Z',
  detail: {},
};
const request = (detail: unknown) => ({
  id: 'evt-2',
  source: 'compliance.audit',
  'detail-type': 'Compliance Scan Request',
  detail,
});

async function scannedRegions(): Promise<string[]> {
  const calls = mocks.ec2.commandCalls(DescribeSecurityGroupsCommand);
  return (await Promise.all(calls.map((c) => clientRegion(() => c.thisValue)))).sort();
}

beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => {
  for (const k of ENV_KEYS) saved[k] = process.env[k];
  resetMocks();
  process.env.AUDIT_BUCKET = 'audit-bucket';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_MAX_ATTEMPTS = '1';
  process.env.EVENT_BUS_NAME = 'default';
  delete process.env.SCAN_REGIONS;
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('scanner handler: malformed events', () => {
  it.each([
    ['null', null],
    ['a string', 'scan please'],
    ['an unknown source', { ...schedule, source: 'my.app' }],
    ['an unknown detail-type', { ...schedule, 'detail-type': 'Something Else' }],
    ['a request with a bad region', request({ regions: ['mars-1'] })],
    ['a request with an empty region list', request({ regions: [] })],
    ['a request whose detail is not an object', request('all')],
  ])('rejects %s and writes nothing', async (_label, event) => {
    // Act
    const attempt = handler(event, fakeContext('scanner-test'));

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(MalformedEventError);
    expect(totalCalls()).toBe(0);
  });

  it('rejects a bad ALLOWED_OPEN_PORTS before any call', async () => {
    // Arrange
    process.env.ALLOWED_OPEN_PORTS = '80,https';

    // Act / Assert
    await expect(handler(schedule, fakeContext('scanner-test'))).rejects.toThrow(
      'ALLOWED_OPEN_PORTS',
    );
    expect(totalCalls()).toBe(0);
  });
});

describe('scanner handler: regions', () => {
  it('scans every region enabled for the account on the schedule when SCAN_REGIONS is unset', async () => {
    // Act
    const result = await handler(schedule, fakeContext('scanner-test'));

    // Assert: eu-west-1 and us-east-1 are enabled; af-south-1 is an opt-in region left off
    expect(await scannedRegions()).toEqual(['eu-west-1', 'us-east-1']);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeRegionsCommand, { AllRegions: true });
    expect(result.coverage).toEqual(
      expect.objectContaining({
        regionsScanned: ['eu-west-1', 'us-east-1'],
        regionsFailed: [],
        deadlineReached: false,
      }),
    );
    expect(result.findingsKey).toMatch(
      /^findings\/dt=\d{4}-\d{2}-\d{2}\/\d{8}T\d{9}Z-[0-9a-f]{8}\.jsonl$/,
    );
    expect(mocks.s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'audit-bucket',
      Key: 'latest.json',
    });
    expect(mocks.events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          EventBusName: 'default',
          DetailType: 'Compliance Scan Completed',
        }),
      ],
    });
  });

  it('scans the enabled regions of SCAN_REGIONS and reports the others as not scanned', async () => {
    // Arrange
    process.env.SCAN_REGIONS = 'eu-west-1, af-south-1';

    // Act
    const result = await handler(schedule, fakeContext('scanner-test'));

    // Assert
    expect(await scannedRegions()).toEqual(['eu-west-1']);
    expect(result.coverage.regionsFailed).toEqual([
      { region: 'af-south-1', reason: 'not enabled for the account (opt-in status not-opted-in)' },
    ]);
  });

  it("prefers the request's regions over SCAN_REGIONS", async () => {
    // Arrange
    process.env.SCAN_REGIONS = 'eu-west-1';

    // Act
    await handler(
      request({ regions: ['us-east-1'], requestedBy: 'alice' }),
      fakeContext('scanner-test'),
    );

    // Assert
    expect(await scannedRegions()).toEqual(['us-east-1']);
  });

  it('scans no region a request names that does not exist, and says so', async () => {
    // Act
    const result = await handler(request({ regions: ['xx-fake-1'] }), fakeContext('scanner-test'));

    // Assert: nothing regional was read or judged for it; the coverage names it with the reason
    expect(await scannedRegions()).toEqual([]);
    expect(result.coverage.regionsFailed).toEqual([
      { region: 'xx-fake-1', reason: 'not a region of this partition (ec2:DescribeRegions)' },
    ]);
    const latest = JSON.parse(
      String(
        mocks.s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === 'latest.json')!
          .args[0].input.Body,
      ),
    ) as { coverage: { regionsFailed: unknown[] }; regions: string[] };
    expect(latest.regions).toEqual([]);
    expect(latest.coverage.regionsFailed).toHaveLength(1);
    const findings = String(
      mocks.s3
        .commandCalls(PutObjectCommand)
        .find((c) => String(c.args[0].input.Key).startsWith('findings/'))!.args[0].input.Body,
    );
    expect(findings).not.toContain('xx-fake-1');
  });

  it('takes the account from the function ARN without calling STS', async () => {
    // Act
    await handler(request({}), fakeContext('scanner-test'));

    // Assert
    expect(mocks.sts).not.toHaveReceivedCommand(GetCallerIdentityCommand);
    const body = String(mocks.s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body);
    expect(JSON.parse(body.split('\n')[0]!).account).toBe('123456789012');
  });
});

describe('trigger parsing and ARN helper', () => {
  it('parses both trigger kinds', () => {
    expect(parseScanTrigger(schedule)).toEqual({ kind: 'schedule', eventId: 'evt-1' });
    expect(parseScanTrigger(request(undefined))).toEqual({ kind: 'request', eventId: 'evt-2' });
    expect(parseScanTrigger(request({ regions: ['eu-west-1'], requestedBy: 'bob' }))).toEqual({
      kind: 'request',
      eventId: 'evt-2',
      regions: ['eu-west-1'],
      requestedBy: 'bob',
    });
  });

  it('reads the account from a Lambda ARN', () => {
    expect(accountFromArn('arn:aws:lambda:us-east-1:123456789012:function:scanner-dev')).toBe(
      '123456789012',
    );
    expect(accountFromArn('not-an-arn')).toBeUndefined();
  });
});
