/** Finding and event fixtures shared by the json-report, csv-report and alert-notifier tests. */
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { NoSuchKey } from '@aws-sdk/client-s3';
import type { EventBridgeEvent } from 'aws-lambda';
import type { ScanCompletedDetail } from '../../../lambdas/shared/events';
import { findingUid, type Finding, type FindingResource } from '../../../lambdas/shared/findings';
import { findingsKey } from '../../../lambdas/shared/store';

export const BUCKET = 'compliance-audit-test-123456789012';
export const ACCOUNT = '123456789012';
export const SCAN_ID = 'scan-2026-11-25T06-00-00Z';
export const STARTED_AT = '2026-11-25T06:00:00.000Z';
export const FINISHED_AT = '2026-11-25T06:03:10.000Z';

type FindingOverrides = Omit<Partial<Finding>, 'resource'> & {
  resource?: Partial<FindingResource>;
};

/** A FAIL high S3 finding; overrides apply on top, and `uid` follows check/account/region/resource. */
export function finding(overrides: FindingOverrides = {}): Finding {
  const region = overrides.region ?? 'us-east-1';
  const account = overrides.account ?? ACCOUNT;
  const checkId = overrides.checkId ?? 's3_bucket_default_encryption';
  const resource: FindingResource = {
    uid: 'arn:aws:s3:::bucket-a',
    type: 'AWS::S3::Bucket',
    region,
    name: 'bucket-a',
    ...overrides.resource,
  };
  return {
    checkId,
    controlIds: ['S3.17', 'CIS-5.0 2.1.1'],
    title: 'S3 bucket default encryption uses KMS',
    severity: 'high',
    status: 'FAIL',
    statusDetail: `Bucket ${resource.name ?? resource.uid} has no SSE-KMS default encryption.`,
    account,
    region,
    remediation: {
      desc: 'Enable SSE-KMS default encryption.',
      references: [
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
      ],
    },
    scanId: SCAN_ID,
    observedAt: '2026-11-25T06:01:00.000Z',
    ...overrides,
    resource,
    uid: overrides.uid ?? findingUid(checkId, account, region, resource.uid),
  };
}

export function scanDetail(overrides: Partial<ScanCompletedDetail> = {}): ScanCompletedDetail {
  return {
    scanId: SCAN_ID,
    startedAt: STARTED_AT,
    finishedAt: FINISHED_AT,
    findingsKey: findingsKey(SCAN_ID, STARTED_AT),
    counts: { critical: 0, high: 0, medium: 0, low: 0, informational: 0, passed: 0, errors: 0 },
    ...overrides,
  };
}

export function eventOf<D>(
  source: string,
  detailType: string,
  detail: D,
): EventBridgeEvent<string, D> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': detailType,
    source,
    account: ACCOUNT,
    time: FINISHED_AT,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

export function scanCompletedEvent(detail: unknown): EventBridgeEvent<string, unknown> {
  return eventOf('compliance.audit', 'Compliance Scan Completed', detail);
}

/** A GetObject body as the SDK returns it (only transformToString is used). */
export function s3Body(text: string): GetObjectCommandOutput['Body'] {
  return { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'];
}

export function jsonl(findings: readonly Finding[]): string {
  return findings.map((f) => JSON.stringify(f)).join('\n') + '\n';
}

export function noSuchKey(): NoSuchKey {
  return new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
}
