/**
 * The CloudTrail metric filter patterns of the CIS 4.x monitoring checks (CloudWatch.1-14 and
 * the AWS Organizations one), and how a log group's filter pattern is matched against them.
 *
 * Security Hub: "This control fails if the exact metric filters prescribed by CIS are not used.
 * Additional fields or terms cannot be added to the metric filters." So a filter matches only
 * when it is one of the accepted patterns up to form: whitespace, redundant parentheses, quotes
 * around values, keyword case and the order of the operands of `&&` / `||` do not matter (Prowler
 * tolerates the same differences); an extra clause, a missing one or a different grouping does.
 * Accepted for each control: AWS's pattern (Security Hub remediation table) and the CIS v5.0
 * pattern(s) (as Prowler's cis_5.0_aws.json reproduces them; research cis.json facts (e)).
 *
 * Grammar (CloudWatch Logs JSON filter patterns): `{ expr }`, expr = terms joined by `&&` / `||`
 * (`&&` binds tighter) and grouped by parentheses; a term is `$.selector op value`
 * (op `=`, `!=`, `<`, `<=`, `>`, `>=`; value quoted, `%regex%` or bare up to `)`, `&&`, `||`),
 * `$.selector NOT EXISTS`, `$.selector EXISTS` or `$.selector IS NULL | TRUE | FALSE`.
 */

type Node =
  | { readonly kind: 'term'; readonly text: string }
  | { readonly kind: '&&' | '||'; readonly items: readonly Node[] };

class PatternSyntaxError extends Error {}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  parse(): Node {
    const node = this.or();
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text');
    return node;
  }

  private fail(why: string): never {
    throw new PatternSyntaxError(`${why} at ${this.i}`);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i += 1;
  }

  private eat(token: string): boolean {
    this.ws();
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }

  private chain(kind: '&&' | '||', next: () => Node): Node {
    const items = [next()];
    while (this.eat(kind)) items.push(next());
    return items.length === 1 ? items[0]! : { kind, items };
  }

  private or(): Node {
    return this.chain('||', () => this.and());
  }

  private and(): Node {
    return this.chain('&&', () => this.unary());
  }

  private unary(): Node {
    if (this.eat('(')) {
      const inner = this.or();
      if (!this.eat(')')) this.fail('expected )');
      return inner;
    }
    return this.term();
  }

  private term(): Node {
    this.ws();
    const selector = /^\$[^\s=!<>()&|]*/.exec(this.s.slice(this.i))?.[0];
    if (!selector) this.fail('expected a $. selector');
    this.i += selector.length;
    this.ws();
    const keyword = /^(NOT\s+EXISTS|EXISTS|IS\s+(?:NULL|TRUE|FALSE))\b/i.exec(this.s.slice(this.i));
    if (keyword) {
      this.i += keyword[0].length;
      return { kind: 'term', text: `${selector} ${keyword[0].toUpperCase().replace(/\s+/g, ' ')}` };
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(this.s.slice(this.i))?.[0];
    if (!op) this.fail('expected an operator');
    this.i += op.length;
    return { kind: 'term', text: `${selector}${op}${this.value()}` };
  }

  /** A quoted value without its quotes, a `%regex%` as written, or a bare value trimmed. */
  private value(): string {
    this.ws();
    const rest = this.s.slice(this.i);
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest) ?? /^(%(?:[^%\\]|\\.)*%)/.exec(rest);
    if (quoted) {
      this.i += quoted[0].length;
      return quoted[1]!;
    }
    const bare = /^(?:(?!&&|\|\|)[^)])*/.exec(rest)![0];
    if (bare.trim() === '') this.fail('expected a value');
    this.i += bare.length;
    return bare.trim().replace(/\s+/g, ' ');
  }
}

function canonical(node: Node): string {
  if (node.kind === 'term') return node.text;
  const flat = node.items.flatMap((n) => (n.kind === node.kind ? n.items : [n]));
  return `(${flat.map(canonical).sort().join(node.kind)})`;
}

/**
 * The canonical form of a JSON filter pattern (operands sorted, no redundant parentheses,
 * whitespace or quotes), or undefined when it is not a JSON pattern this grammar reads.
 */
export function canonicalPattern(pattern: string): string | undefined {
  const body = /^\s*\{([\s\S]*)\}\s*$/.exec(pattern)?.[1];
  if (body === undefined) return undefined;
  try {
    return canonical(new Parser(body).parse());
  } catch (err) {
    if (err instanceof PatternSyntaxError) return undefined;
    throw err;
  }
}

/** Accepted patterns per check id: AWS's first, then CIS v5.0's. */
export const MONITORING_PATTERNS: Readonly<Record<string, readonly string[]>> = {
  'CloudWatch.1': [
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    '{ $.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent }',
  ],
  'CloudWatch.2': [
    '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    '{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }',
  ],
  'CloudWatch.3': [
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }',
    '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) && ($.userIdentity.type = IAMUser) && ($.responseElements.ConsoleLogin = Success) }',
  ],
  'CloudWatch.4': [
    '{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}',
    '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  ],
  'CloudWatch.5': [
    '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
    '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  ],
  'CloudWatch.6': [
    '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    '{ ($.eventName = ConsoleLogin) && ($.errorMessage = Failed authentication) }',
  ],
  'CloudWatch.7': [
    '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
    '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  ],
  'CloudWatch.8': [
    '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
    '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  ],
  'CloudWatch.9': [
    '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
    '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  ],
  'CloudWatch.10': [
    '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
    '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }',
  ],
  'CloudWatch.11': [
    '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
    '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  ],
  'CloudWatch.12': [
    '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
    '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  ],
  'CloudWatch.13': [
    '{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}',
    '{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  ],
  'CloudWatch.14': [
    '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
    '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  ],
  // CIS v5.0 4.15 only: Security Hub has no control for AWS Organizations changes.
  'CloudWatch.OrganizationsChanges': [
    '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }',
  ],
};

const CANONICAL = new Map(
  Object.entries(MONITORING_PATTERNS).map(([id, patterns]) => [
    id,
    new Set(
      patterns.map((p) => {
        const c = canonicalPattern(p);
        if (c === undefined) throw new Error(`Unreadable built-in pattern for ${id}: ${p}`);
        return c;
      }),
    ),
  ]),
);

/** Whether a metric filter's pattern is one of the patterns accepted for the check. */
export function matchesMonitoringPattern(checkId: string, filterPattern: string): boolean {
  const accepted = CANONICAL.get(checkId);
  if (!accepted) throw new Error(`No metric filter pattern for ${checkId}`);
  const c = canonicalPattern(filterPattern);
  return c !== undefined && accepted.has(c);
}
