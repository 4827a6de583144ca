/**
 * A three-account organization in two regions behind the fake AWS (bench/organization): one
 * account has no member role. Shared by the local execution test and the task tests.
 */
import type { Context } from 'aws-lambda';
import { memberAccount } from '../../bench/organization/member-account';
import {
  FakeOrganization,
  MemoryStore,
  type FakeAccount,
} from '../../bench/organization/fake-organization';
import { FakeAws } from '../../bench/scanner/fake-aws';
import { configureClients } from '../../lambdas/shared/clients';
import type { Finding } from '../../lambdas/shared/findings';
import { parseJsonl } from '../../lambdas/shared/store';
import { fakeContext } from '../helpers/lambda-context';

export const HOME = 'us-east-1';
export const REGIONS = ['us-east-1', 'eu-west-1'];
export const AUDIT_ACCOUNT = '999999999999';
export const AUDIT_BUCKET = `compliance-audit-test-${AUDIT_ACCOUNT}`;
export const MEMBER_ROLE = 'compliance-audit-member-test';
export const EXTERNAL_ID = 'compliance-audit-test';
export const ROOT = 'r-abcd';
export const OU = 'ou-abcd-11111111';
/** Resources per account part (small: the test runs in seconds). */
const RESOURCES = 40;

export const ACCOUNTS: readonly FakeAccount[] = [
  { id: '111111111111', name: 'prod', parent: ROOT },
  { id: '222222222222', name: 'dev', parent: OU },
  { id: '333333333333', name: 'sandbox', parent: ROOT, hasRole: false },
];
export const BROKEN = '333333333333';
export const HEALTHY = ['111111111111', '222222222222'];

/** The audit account's own keys (the fake routes any key it did not issue to the audit account). */
export const AUDIT_CREDENTIALS = { accessKeyId: 'AKIDAUDITACCOUNT', secretAccessKey: 'fake' };

/** One clock for every fake organization of a test file: a reference scan sees the same dates. */
const NOW_MS = Date.now();

export function fakeOrganization(
  accounts: readonly FakeAccount[] = ACCOUNTS,
  nowMs = NOW_MS,
): { fake: FakeOrganization; store: MemoryStore } {
  const store = new MemoryStore();
  const fake = new FakeOrganization({
    rootId: ROOT,
    ous: { [OU]: ROOT },
    accounts,
    regions: REGIONS,
    auditBucket: AUDIT_BUCKET,
    store,
    memberRoleName: MEMBER_ROLE,
    externalId: EXTERNAL_ID,
    part: (account, part) =>
      new FakeAws({
        account: memberAccount(RESOURCES, account, part === 'global' ? HOME : part, nowMs),
        latencyMs: 0,
        auditBucket: AUDIT_BUCKET,
      }),
  });
  return { fake, store };
}

/** The environment the stack sets on the three org functions. */
export function orgEnvironment(): void {
  process.env.AWS_REGION = HOME;
  process.env.AUDIT_BUCKET = AUDIT_BUCKET;
  process.env.EVENT_BUS_NAME = 'default';
  process.env.ORG_MEMBER_ROLE_NAME = MEMBER_ROLE;
  process.env.ORG_EXTERNAL_ID = EXTERNAL_ID;
  process.env.AWS_MAX_ATTEMPTS = '2';
}

/** Every SDK client now talks to `fake` with the audit account's keys. */
export function useFake(fake: FakeOrganization): void {
  configureClients({ requestHandler: fake, credentials: AUDIT_CREDENTIALS });
}

export function context(name: string): Context {
  return {
    ...fakeContext(name),
    invokedFunctionArn: `arn:aws:lambda:${HOME}:${AUDIT_ACCOUNT}:function:${name}-test`,
    getRemainingTimeInMillis: () => 600_000,
  };
}

export function findingsIn(store: MemoryStore, key: string): Finding[] {
  const body = store.get(key);
  if (!body) throw new Error(`no object ${key}`);
  return parseJsonl<Finding>(body.toString('utf-8'), key);
}

/** What two scans of the same account must agree on (ids and times differ). */
export function verdicts(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.uid} ${f.checkId} ${f.status} ${f.statusDetail}`).sort();
}
