import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ASFF_RESOURCE_TYPES,
  batches,
  defaultProductArn,
  findingBytes,
  fitFinding,
  MAX_FINDING_BYTES,
  toAsff,
} from '../../../lambdas/findings-export/asff';
import { exportToSecurityHub, MAX_ATTEMPTS } from '../../../lambdas/findings-export/security-hub';
import type { Finding } from '../../../lambdas/shared/findings';
import { sampleFindings } from './fixtures';

const PRODUCT_ARN = defaultProductArn('aws', 'us-east-1', '123456789012');
const CTX = {
  productArn: PRODUCT_ARN,
  provider: 'compliance-audit-test',
  updatedAt: '2026-06-01T12:05:00.000Z',
};
const sh = mockClient(SecurityHubClient);
const client = () => new SecurityHubClient({ region: 'us-east-1' });
const noSleep = async () => undefined;
const id = (uid: string) => `compliance-audit-test/${uid}`;

/** Security Hub's copy of one of our findings, as GetFindings returns it. */
function inHub(f: Finding, over: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  const asff = toAsff(f, CTX);
  return {
    ...asff,
    ProductFields: { ...asff.ProductFields, 'aws/securityhub/FindingId': 'x' },
    Workflow: { Status: 'NEW' },
    ...over,
  };
}

beforeEach(() => {
  sh.reset();
  sh.on(GetFindingsCommand).resolves({ Findings: [] });
  sh.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({
    SuccessCount: input.Findings.length,
    FailedCount: 0,
    FailedFindings: [],
  }));
  sh.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
});

describe('toAsff', () => {
  const [fail, , pass, suppressed, error] = sampleFindings().map((f) => toAsff(f, CTX));

  it('fills every field BatchImportFindings requires', () => {
    for (const f of [fail, pass, suppressed, error]) {
      for (const field of [
        'AwsAccountId',
        'CreatedAt',
        'Description',
        'GeneratorId',
        'Id',
        'ProductArn',
        'Resources',
        'SchemaVersion',
        'Severity',
        'Title',
        'Types',
        'UpdatedAt',
      ])
        expect([field, f![field as keyof AwsSecurityFinding]]).toEqual([field, expect.anything()]);
      for (const t of f!.Types!) expect(t).toMatch(/^Software and Configuration Checks\//);
    }
  });

  it('maps the canonical finding: stable Id, control ids, CIS requirements, severity, resources', () => {
    expect(fail).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: id('a'.repeat(64)),
      ProductArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
      GeneratorId: 'S3.8',
      FirstObservedAt: '2026-05-01T12:00:00.000Z',
      CreatedAt: '2026-05-01T12:00:00.000Z',
      Severity: { Label: 'HIGH', Original: 'high' },
      FindingProviderFields: { Severity: { Label: 'HIGH' } },
      Compliance: {
        Status: 'FAILED',
        SecurityControlId: 'S3.8',
        RelatedRequirements: ['CIS AWS Foundations Benchmark v5.0.0/2.1.4'],
      },
      Resources: [
        {
          Type: 'AwsS3Bucket',
          Id: 'arn:aws:s3:::data-1',
          Partition: 'aws',
          Region: 'us-east-1',
          Tags: { Owner: 'team-a' },
        },
      ],
      Remediation: {
        Recommendation: {
          Text: 'Turn on all four block public access settings',
          Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html',
        },
      },
      RecordState: 'ACTIVE',
    });
    expect(fail!.Types).toEqual([
      'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
      'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
    ]);
    expect(pass!.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices']);
    expect(pass!.Compliance).toEqual({ Status: 'PASSED' });
    expect(pass!.Severity!.Label).toBe('INFORMATIONAL');
    expect(error!.Compliance!.Status).toBe('NOT_AVAILABLE');
    expect(error!.Resources![0]!.Type).toBe('AwsAccount');
    expect(suppressed!.Workflow).toEqual({ Status: 'SUPPRESSED' });
    expect(suppressed!.ProductFields).toMatchObject({
      'compliance-audit/SuppressionOwner': 'web@example.com',
      'compliance-audit/SuppressionReason': 'Public website bucket',
    });
  });

  it('uses only real ASFF resource types, Other for the rest', () => {
    for (const t of Object.values(ASFF_RESOURCE_TYPES)) expect(t).toMatch(/^Aws[A-Z][A-Za-z0-9]+$/);
    const other = toAsff(
      {
        ...sampleFindings()[0]!,
        resource: { uid: 'arn:aws:x:::y', type: 'AWS::X::Y', region: 'us-east-1' },
      },
      CTX,
    );
    expect(other.Resources![0]!.Type).toBe('Other');
  });

  it('keeps texts within ASFF limits and every finding within 240 KB', () => {
    const huge = sampleFindings()[0]!;
    const tags = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`k${i}`, 'v'.repeat(250)]),
    );
    const f = toAsff(
      {
        ...huge,
        title: 't'.repeat(5000),
        statusDetail: 'd'.repeat(500_000),
        remediation: { desc: 'r'.repeat(5000), references: [] },
        suppression: { id: 'x', owner: 'o', expires: '2026-12-31', reason: 'w'.repeat(300_000) },
        resource: { ...huge.resource, tags, name: 'n'.repeat(300_000) },
      },
      CTX,
    );
    expect(f.Title!.length).toBe(256);
    expect(f.Description!.length).toBe(1024);
    expect(f.Remediation!.Recommendation!.Text!.length).toBe(512);
    expect(Object.keys(f.Resources![0]!.Tags!)).toHaveLength(50);
    expect(findingBytes(fitFinding(f))).toBeLessThanOrEqual(MAX_FINDING_BYTES);
  });

  it('fitFinding drops tags and details of a finding over 240 KB', () => {
    const f = toAsff(sampleFindings()[0]!, CTX);
    const big = {
      ...f,
      Resources: [
        { ...f.Resources![0]!, Details: { Other: { Name: 'x'.repeat(MAX_FINDING_BYTES) } } },
      ],
    } as AwsSecurityFinding;
    const fitted = fitFinding(big);
    expect(findingBytes(fitted)).toBeLessThanOrEqual(MAX_FINDING_BYTES);
    expect(fitted.Resources![0]!.Details).toBeUndefined();
    expect(fitted.Id).toBe(f.Id);
  });

  it('batches by 100', () => {
    expect(batches(Array.from({ length: 250 }, (_, i) => i)).map((b) => b.length)).toEqual([
      100, 100, 50,
    ]);
  });
});

describe('exportToSecurityHub', () => {
  it('imports FAIL, ERROR and SUPPRESSED findings, at most 100 a call; never-failing PASS is not sent', async () => {
    const many = Array.from({ length: 230 }, (_, i) => ({
      ...sampleFindings()[0]!,
      uid: `u${i}`,
    }));
    const result = await exportToSecurityHub(client(), [...many, ...sampleFindings()], {
      ...CTX,
      regions: ['us-east-1', 'eu-west-1'],
      sleep: noSleep,
    });
    const calls = sh.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings!);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 33]);
    expect(result).toMatchObject({ imported: 233, archived: 0, failed: [] });
    const sent = calls.flat().map((f) => f.Id);
    expect(sent).not.toContain(id('b'.repeat(64)));
    expect(sent).not.toContain(id('c'.repeat(64)));
    expect(sh).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: {
        ProductArn: [{ Value: PRODUCT_ARN, Comparison: 'EQUALS' }],
        Id: [{ Value: 'compliance-audit-test/', Comparison: 'PREFIX' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
    });
  });

  it('archives and resolves what passes now or is gone; leaves what was not re-checked', async () => {
    const [fail, resolved] = sampleFindings();
    const gone = { ...fail!, uid: 'gone' };
    const otherRegion = {
      ...fail!,
      uid: 'eu',
      region: 'ap-south-1',
      resource: { ...fail!.resource, region: 'ap-south-1' },
    };
    sh.on(GetFindingsCommand)
      .resolvesOnce({
        Findings: [inHub(resolved!, { Compliance: { Status: 'FAILED' } }), inHub(gone)],
        NextToken: 'p2',
      })
      .resolvesOnce({ Findings: [inHub(otherRegion)] });

    const result = await exportToSecurityHub(client(), [fail!, resolved!], {
      ...CTX,
      regions: ['us-east-1'],
      sleep: noSleep,
    });

    const imported = sh
      .commandCalls(BatchImportFindingsCommand)
      .flatMap((c) => c.args[0].input.Findings!);
    const byId = new Map(imported.map((f) => [f.Id, f]));
    expect(byId.get(id(resolved!.uid))).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
    expect(byId.get(id('gone'))).toMatchObject({
      RecordState: 'ARCHIVED',
      UpdatedAt: CTX.updatedAt,
    });
    expect(Object.keys(byId.get(id('gone'))!.ProductFields!)).not.toContain(
      'aws/securityhub/FindingId',
    );
    expect(byId.has(id('eu'))).toBe(false);
    expect(sh).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, {
      FindingIdentifiers: [
        { Id: id(resolved!.uid), ProductArn: PRODUCT_ARN },
        { Id: id('gone'), ProductArn: PRODUCT_ARN },
      ],
      Workflow: { Status: 'RESOLVED' },
    });
    expect(result).toMatchObject({
      activeBefore: 3,
      archived: 2,
      notRechecked: 1,
      workflowUpdated: { RESOLVED: 2 },
    });
  });

  it('sets SUPPRESSED with a note on a finding already in Security Hub, and NEW when our suppression ends', async () => {
    const [fail, , , suppressed] = sampleFindings();
    const expiredNow = { ...fail!, uid: 'was-suppressed' };
    sh.on(GetFindingsCommand).resolves({
      Findings: [
        inHub(suppressed!),
        inHub(expiredNow, {
          Workflow: { Status: 'SUPPRESSED' },
          Note: { Text: 'x', UpdatedBy: CTX.provider, UpdatedAt: 'x' },
        }),
      ],
    });

    await exportToSecurityHub(client(), [suppressed!, expiredNow], {
      ...CTX,
      regions: ['us-east-1'],
      sleep: noSleep,
    });

    expect(sh).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, {
      FindingIdentifiers: [{ Id: id(suppressed!.uid), ProductArn: PRODUCT_ARN }],
      Workflow: { Status: 'SUPPRESSED' },
      Note: {
        Text: 'Suppressed by "legacy" until 2026-12-31 (owner web@example.com): Public website bucket',
        UpdatedBy: CTX.provider,
      },
    });
    expect(sh).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, {
      FindingIdentifiers: [{ Id: id('was-suppressed'), ProductArn: PRODUCT_ARN }],
      Workflow: { Status: 'NEW' },
    });
  });

  it('retries FailedFindings and reports what still fails', async () => {
    const [fail, , , , error] = sampleFindings();
    sh.on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 2,
        SuccessCount: 0,
        FailedFindings: [
          { Id: id(fail!.uid), ErrorCode: 'InternalException', ErrorMessage: 'try again' },
          { Id: id(error!.uid), ErrorCode: 'InvalidInput', ErrorMessage: 'bad field' },
        ],
      })
      .resolvesOnce({
        FailedCount: 1,
        SuccessCount: 1,
        FailedFindings: [
          { Id: id(error!.uid), ErrorCode: 'InvalidInput', ErrorMessage: 'bad field' },
        ],
      })
      .resolves({
        FailedCount: 1,
        SuccessCount: 0,
        FailedFindings: [
          { Id: id(error!.uid), ErrorCode: 'InvalidInput', ErrorMessage: 'bad field' },
        ],
      });
    const sleeps: number[] = [];

    const result = await exportToSecurityHub(client(), [fail!, error!], {
      ...CTX,
      regions: ['us-east-1'],
      sleep: async (ms) => void sleeps.push(ms),
    });

    const calls = sh
      .commandCalls(BatchImportFindingsCommand)
      .map((c) => c.args[0].input.Findings!.map((f) => f.Id));
    expect(calls).toEqual([
      [id(fail!.uid), id(error!.uid)],
      [id(fail!.uid), id(error!.uid)],
      [id(error!.uid)],
    ]);
    expect(calls).toHaveLength(MAX_ATTEMPTS);
    expect(sleeps).toEqual([1000, 2000]);
    expect(result.imported).toBe(1);
    expect(result.failed).toEqual([
      {
        id: id(error!.uid),
        operation: 'BatchImportFindings',
        errorCode: 'InvalidInput',
        errorMessage: 'bad field',
      },
    ]);
  });

  it('counts a call that throws as failed for all of its findings, then retries them', async () => {
    const [fail] = sampleFindings();
    sh.on(BatchImportFindingsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    const result = await exportToSecurityHub(client(), [fail!], {
      ...CTX,
      regions: [],
      sleep: noSleep,
    });
    expect(result).toMatchObject({ imported: 1, failed: [] });
    expect(sh.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
  });

  it('reports UnprocessedFindings of a workflow update after its retries', async () => {
    const [, resolved] = sampleFindings();
    sh.on(GetFindingsCommand).resolves({ Findings: [inHub(resolved!)] });
    sh.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [
        {
          FindingIdentifier: { Id: id(resolved!.uid), ProductArn: PRODUCT_ARN },
          ErrorCode: 'FindingNotFound',
          ErrorMessage: 'not yet',
        },
      ],
    });
    const result = await exportToSecurityHub(client(), [resolved!], {
      ...CTX,
      regions: ['us-east-1'],
      sleep: noSleep,
    });
    expect(sh.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(MAX_ATTEMPTS);
    expect(result.failed).toEqual([
      {
        id: id(resolved!.uid),
        operation: 'BatchUpdateFindings',
        errorCode: 'FindingNotFound',
        errorMessage: 'not yet',
      },
    ]);
  });
});
