import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/findings-export/handler';
import { logger, MalformedEventError, metrics } from '../../../lambdas/shared/observability';
import { fakeContext } from '../../helpers/lambda-context';
import {
  BUCKET,
  jsonl,
  s3Body,
  SCAN_ID,
  scanCompletedEvent,
  scanDetail,
} from '../json-report/fixtures';
import { sampleFindings } from './fixtures';

const s3 = mockClient(S3Client);
const sh = mockClient(SecurityHubClient);
const ctx = fakeContext('findings-export-test');
const saved = { ...process.env };

function written(): Record<string, string> {
  return Object.fromEntries(
    s3
      .commandCalls(PutObjectCommand)
      .map((c) => [c.args[0].input.Key!, String(c.args[0].input.Body)]),
  );
}

beforeEach(() => {
  s3.reset();
  sh.reset();
  Object.assign(process.env, {
    AUDIT_BUCKET: BUCKET,
    ENVIRONMENT_SUFFIX: 'test',
    AWS_REGION: 'us-east-1',
  });
  delete process.env.SECURITY_HUB_EXPORT;
  s3.on(GetObjectCommand).resolves({ Body: s3Body(jsonl(sampleFindings())) });
  s3.on(PutObjectCommand).resolves({});
  sh.on(GetFindingsCommand).resolves({ Findings: [] });
  sh.on(BatchImportFindingsCommand).resolves({
    FailedCount: 0,
    SuccessCount: 3,
    FailedFindings: [],
  });
  for (const level of ['info', 'warn', 'error'] as const)
    jest.spyOn(logger, level).mockImplementation(() => undefined);
  jest.spyOn(metrics, 'publishStoredMetrics').mockReturnThis();
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

describe('findings-export handler', () => {
  it('writes one OCSF line per finding and leaves Security Hub alone by default', async () => {
    // Act
    const result = await handler(scanCompletedEvent(scanDetail()), ctx);

    // Assert
    const key = `ocsf/dt=2026-11-25/${SCAN_ID}.ocsf.jsonl`;
    expect(result).toMatchObject({ findings: 5, ocsfKey: key, securityHub: 'off' });
    const body = written()[key]!;
    const lines = body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.class_uid)).toEqual([2003, 2003, 2003, 2003, 2003]);
    expect(lines[0].metadata.product.uid).toBe('compliance-audit-test');
    expect(sh.calls()).toHaveLength(0);
  });

  it('with SECURITY_HUB_EXPORT=on imports into the default product of the event account and records it', async () => {
    process.env.SECURITY_HUB_EXPORT = 'on';
    const result = await handler(scanCompletedEvent(scanDetail()), ctx);
    expect(result.securityHub).toMatchObject({ imported: 3, failed: [] });
    const [call] = sh.commandCalls(BatchImportFindingsCommand);
    expect(call!.args[0].input.Findings![0]!.ProductArn).toBe(
      'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
    );
    const record = JSON.parse(written()[`exports/dt=2026-11-25/${SCAN_ID}/security-hub.json`]!);
    expect(record).toMatchObject({ scanId: SCAN_ID, imported: 3, failed: [] });
  });

  it('fails after recording findings Security Hub would not take', async () => {
    process.env.SECURITY_HUB_EXPORT = 'on';
    sh.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 2,
      FailedFindings: [
        {
          Id: `compliance-audit-test/${'a'.repeat(64)}`,
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'no',
        },
      ],
    });
    await expect(handler(scanCompletedEvent(scanDetail()), ctx)).rejects.toThrow(
      /Security Hub did not take 1 finding\(s\).*InvalidInput/,
    );
    expect(Object.keys(written())).toContain(`exports/dt=2026-11-25/${SCAN_ID}/security-hub.json`);
  });

  it('says how to fix a hub that is not enabled', async () => {
    process.env.SECURITY_HUB_EXPORT = 'on';
    sh.on(GetFindingsCommand).rejects(
      Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException' }),
    );
    await expect(handler(scanCompletedEvent(scanDetail()), ctx)).rejects.toThrow(
      'Security Hub is not enabled in us-east-1 for account 123456789012 (InvalidAccessException): enable it, or set SECURITY_HUB_EXPORT=off',
    );
  });

  it('rejects a malformed event and a bad setting without writing anything', async () => {
    await expect(
      handler({ source: 'x', 'detail-type': 'y', detail: {} } as never, ctx),
    ).rejects.toThrow(MalformedEventError);
    process.env.SECURITY_HUB_EXPORT = 'yes';
    await expect(handler(scanCompletedEvent(scanDetail()), ctx)).rejects.toThrow(
      'Environment variable SECURITY_HUB_EXPORT must be on or off, got "yes"',
    );
    expect(
      s3.commandCalls(PutObjectCommand).filter((c) => c.args[0].input.Key!.startsWith('exports/')),
    ).toEqual([]);
  });
});
