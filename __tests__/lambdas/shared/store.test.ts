import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  findingsKey,
  putJson,
  putJsonl,
  remediationKey,
  reportKey,
} from '../../../lambdas/shared/store';

const s3 = mockClient(S3Client);

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe('store', () => {
  it('lays out keys by UTC date partition', () => {
    expect(findingsKey('s1', '2026-11-25T23:59:59.000Z')).toBe('findings/dt=2026-11-25/s1.jsonl');
    expect(reportKey('s1', '2026-11-25T00:00:00.000Z', 'csv')).toBe(
      'reports/dt=2026-11-25/s1/report.csv',
    );
    expect(remediationKey('r1', '2026-01-02T03:04:05.000Z')).toBe(
      'remediation/dt=2026-01-02/r1.jsonl',
    );
  });

  it('writes without an encryption header, so the bucket default (the audit key) applies', async () => {
    // Arrange
    const client = new S3Client({ region: 'us-east-1' });

    // Act
    await putJson(client, 'b', 'latest.json', { a: 1 });
    await putJsonl(client, 'b', 'findings/x.jsonl', [{ a: 1 }, { b: 2 }]);

    // Assert: aws:kms without a key id would mean the AWS managed aws/s3 key
    const inputs = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      expect(input).not.toHaveProperty('ServerSideEncryption');
      expect(input).not.toHaveProperty('SSEKMSKeyId');
    }
    expect(inputs[1]).toMatchObject({
      Body: '{"a":1}\n{"b":2}\n',
      ContentType: 'application/x-ndjson',
    });
  });
});
