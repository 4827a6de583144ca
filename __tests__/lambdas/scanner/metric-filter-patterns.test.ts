import {
  canonicalPattern,
  matchesMonitoringPattern,
  MONITORING_PATTERNS,
} from '../../../lambdas/scanner/checks/metric-filter-patterns';

const IDS = Object.keys(MONITORING_PATTERNS);

/** The same pattern written differently: no quotes, spaces around operators, every term in parentheses. */
function restyled(pattern: string): string {
  return pattern
    .replace(/"/g, '')
    .replace(/\s*(!=|=|&&|\|\|)\s*/g, ' $1 ')
    .replace(/\{\s*/, '{   ')
    .replace(/\s*\}$/, '   }');
}

/** The pattern with one more condition, as Security Hub forbids ("additional fields or terms"). */
function withExtraClause(pattern: string): string {
  const body = /^\s*\{([\s\S]*)\}\s*$/.exec(pattern)![1];
  return `{ (${body}) && ($.userIdentity.arn != "arn:aws:iam::123456789012:role/ci") }`;
}

describe('canonicalPattern', () => {
  it('ignores whitespace, quotes, redundant parentheses, keyword case and operand order', () => {
    // Arrange
    const forms = [
      '{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }',
      '{$.eventName=ConsoleLogin&&$.errorMessage=Failed authentication}',
      '{ (($.errorMessage  =  Failed   authentication)) && ($.eventName = ConsoleLogin) }',
    ];

    // Act
    const canonical = forms.map(canonicalPattern);

    // Assert
    expect(new Set(canonical).size).toBe(1);
    expect(canonical[0]).toBe('($.errorMessage=Failed authentication&&$.eventName=ConsoleLogin)');
    expect(canonicalPattern('{ $.userIdentity.invokedBy not exists }')).toBe(
      '$.userIdentity.invokedBy NOT EXISTS',
    );
  });

  it('keeps grouping: a && (b || c) is not (a && b) || c', () => {
    expect(canonicalPattern('{ $.a = 1 && ($.b = 2 || $.c = 3) }')).not.toBe(
      canonicalPattern('{ ($.a = 1 && $.b = 2) || $.c = 3 }'),
    );
  });

  it.each([
    ['a space-delimited term pattern', 'ERROR Exception'],
    ['an unbalanced parenthesis', '{ ($.eventName = CreateTrail }'],
    ['a dangling operator', '{ $.eventName = CreateTrail || }'],
    ['no selector', '{ eventName = CreateTrail }'],
    ['an empty pattern', ''],
  ])('does not read %s', (_label, pattern) => {
    expect(canonicalPattern(pattern)).toBeUndefined();
  });
});

describe('matchesMonitoringPattern', () => {
  it.each(IDS.flatMap((id) => MONITORING_PATTERNS[id]!.map((p) => [id, p] as const)))(
    '%s accepts its documented pattern %s',
    (id, pattern) => {
      expect(matchesMonitoringPattern(id, pattern)).toBe(true);
      expect(matchesMonitoringPattern(id, restyled(pattern))).toBe(true);
    },
  );

  it.each(IDS.map((id) => [id]))('%s rejects its pattern with an extra clause', (id) => {
    for (const pattern of MONITORING_PATTERNS[id]!) {
      expect(matchesMonitoringPattern(id, withExtraClause(pattern))).toBe(false);
    }
  });

  it.each(IDS.map((id) => [id]))("%s rejects every other control's pattern", (id) => {
    const others = IDS.filter((other) => other !== id).flatMap((o) => MONITORING_PATTERNS[o]!);
    expect(others.filter((p) => matchesMonitoringPattern(id, p))).toEqual([]);
  });

  it.each([
    [
      'CloudWatch.1',
      '{ $.eventType != AwsServiceEvent && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root" }',
      true,
    ],
    ['CloudWatch.1', '{ $.userIdentity.type = "Root" }', false],
    [
      'CloudWatch.2',
      '{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") }',
      true,
    ],
    ['CloudWatch.2', '{ ($.errorCode = "*UnauthorizedOperation") }', false],
    // CIS v5.0 4.2's short form; Security Hub's long one without the MFA condition is not it.
    [
      'CloudWatch.3',
      '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }',
      true,
    ],
    [
      'CloudWatch.3',
      '{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      false,
    ],
    // CloudWatch.4 without the eventSource clause is CIS's pattern; missing an event is neither.
    [
      'CloudWatch.4',
      '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)}',
      false,
    ],
    [
      'CloudWatch.5',
      '{($.eventName=StopLogging) || ($.eventName=StartLogging) || ($.eventName=DeleteTrail) || ($.eventName=UpdateTrail) || ($.eventName=CreateTrail)}',
      true,
    ],
    [
      'CloudWatch.5',
      '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging)}',
      false,
    ],
    ['CloudWatch.6', '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed*")}', false],
    ['CloudWatch.7', '{($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion)}', false],
    [
      'CloudWatch.8',
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy))}',
      false,
    ],
    [
      'CloudWatch.9',
      '{($.eventSource=config.amazonaws.com) && ($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder)}',
      false,
    ],
    // CIS v5.0 4.10 adds ModifySecurityGroupRules to Security Hub's six events: both accepted.
    [
      'CloudWatch.10',
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup) || ($.eventName=ModifySecurityGroupRules)}',
      true,
    ],
    [
      'CloudWatch.11',
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation) || ($.eventName=CreateSecurityGroup)}',
      false,
    ],
    [
      'CloudWatch.12',
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway) || ($.eventName=CreateNatGateway)}',
      false,
    ],
    [
      'CloudWatch.13',
      '{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable))}',
      false,
    ],
    ['CloudWatch.14', '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc)}', false],
    ['CloudWatch.OrganizationsChanges', '{ ($.eventSource = organizations.amazonaws.com) }', false],
    ['CloudWatch.5', 'CreateTrail UpdateTrail DeleteTrail', false],
  ])('%s: %s → %s', (id, pattern, expected) => {
    expect(matchesMonitoringPattern(id, pattern)).toBe(expected);
  });

  it('has patterns for CloudWatch.1-14 and the AWS Organizations check, and no others', () => {
    expect(IDS).toEqual([
      ...Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
      'CloudWatch.OrganizationsChanges',
    ]);
    expect(() => matchesMonitoringPattern('CloudWatch.15', '{ $.a = 1 }')).toThrow(
      'No metric filter pattern for CloudWatch.15',
    );
  });
});
