/**
 * The organization scan, executed locally: the state machine definition the stack deploys
 * (its inline-Map variant, built by the same function: aws-local-stepfunctions supports neither
 * ItemReader, ResultWriter nor ToleratedFailurePercentage), its three Lambda tasks bound to the
 * real handlers, against a fake AWS of three accounts in two regions where one account has no
 * member role. Each task runs one invocation at a time, as one Lambda execution environment does.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type { RunOptions } from 'aws-local-stepfunctions';
import type { Context } from 'aws-lambda';
import { handler as accountsHandler } from '../../lambdas/org-accounts/handler';
import { handler as mergeHandler } from '../../lambdas/org-merge/handler';
import { handler as shardHandler } from '../../lambdas/org-shard/handler';
import { CHECKS } from '../../lambdas/scanner/checks/registry';
import { runScan } from '../../lambdas/scanner/run-scan';
import { loadSettings } from '../../lambdas/scanner/settings';
import { configureClients } from '../../lambdas/shared/clients';
import { SCAN_COMPLETED, scanCompletedDetailSchema } from '../../lambdas/shared/events';
import { countFindings, type Finding } from '../../lambdas/shared/findings';
import { LATEST_KEY, scanPointerSchema } from '../../lambdas/shared/store';
import { ORG_SCAN_STATES, orgScanDefinition } from '../../stacks/org-scan-definition';
import {
  ACCOUNTS,
  AUDIT_BUCKET,
  BROKEN,
  HEALTHY,
  HOME,
  REGIONS,
  context,
  fakeOrganization,
  findingsIn,
  orgEnvironment,
  useFake,
  verdicts,
} from './org-fixture';
import './promise-with-resolvers';

const ARNS = {
  accounts: `arn:aws:lambda:${HOME}:999999999999:function:org-accounts-test`,
  shard: `arn:aws:lambda:${HOME}:999999999999:function:org-shard-test`,
  merge: `arn:aws:lambda:${HOME}:999999999999:function:org-merge-test`,
};

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type LocalHandler = NonNullable<
  NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']
>[string];
type JSONValue = Awaited<ReturnType<LocalHandler>>;

/** A Lambda task: the optimized integration's `{Payload}`, one invocation at a time per function. */
function lambdaTask(arn: string, name: string, handler: Handler) {
  let tail: Promise<unknown> = Promise.resolve();
  return async (input: Parameters<LocalHandler>[0]): Promise<JSONValue> => {
    const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
    if (FunctionName !== arn) throw new Error(`${name} invoked as ${FunctionName}`);
    const run = tail.then(() => handler(Payload, context(name)));
    tail = run.catch(() => undefined);
    return { StatusCode: 200, Payload: (await run) as JSONValue };
  };
}

const SCHEDULED = {
  id: 'schedule-1',
  source: 'aws.events',
  'detail-type': 'Scheduled Event',
  detail: {},
};

describe('organization scan, executed locally', () => {
  orgEnvironment();
  const { fake, store } = fakeOrganization();
  let state: Record<string, unknown>;
  let findings: Finding[];

  beforeAll(async () => {
    useFake(fake);
    const definition = orgScanDefinition({
      mode: 'inline',
      functions: ARNS,
      bucket: AUDIT_BUCKET,
      maxConcurrency: 4,
      toleratedFailurePercentage: 25,
      taskTimeoutSeconds: { accounts: 300, shard: 900, merge: 900 },
    });
    const S = ORG_SCAN_STATES;
    const execution = new StateMachine(definition as never).run(SCHEDULED, {
      overrides: {
        taskResourceLocalHandlers: {
          [S.listAccounts]: lambdaTask(ARNS.accounts, 'org-accounts', accountsHandler),
          [S.scanShard]: lambdaTask(ARNS.shard, 'org-shard', shardHandler),
          [S.mergeScan]: lambdaTask(ARNS.merge, 'org-merge', mergeHandler),
        },
      },
    });
    state = (await execution.result) as Record<string, unknown>;
    findings = findingsIn(store, (state.merge as { findingsKey: string }).findingsKey);
  }, 120_000);

  afterAll(() => configureClients({}));

  it('ends with one merged organization scan: findings, latest.json and one event', () => {
    const latest = scanPointerSchema.parse(JSON.parse(store.get(LATEST_KEY)!.toString()));
    expect(latest.scanId).toBe(state.scanId);
    expect(latest.findingsKey).toBe((state.merge as { findingsKey: string }).findingsKey);
    expect(latest.findingsKey).toMatch(/^findings\/dt=\d{4}-\d{2}-\d{2}\/.+\.jsonl$/);
    expect(latest.counts).toEqual(countFindings(findings));

    const events = fake.events.filter((e) => e.DetailType === SCAN_COMPLETED);
    expect(events).toHaveLength(1);
    const detail = scanCompletedDetailSchema.parse(JSON.parse(events[0]!.Detail!));
    expect(detail.scanId).toBe(latest.scanId);
    expect(detail.counts).toEqual(latest.counts);
    expect(detail.regions).toEqual([...REGIONS].sort());
    expect(new Set(findings.map((f) => f.account))).toEqual(new Set(ACCOUNTS.map((a) => a.id)));
    expect(new Set(findings.map((f) => f.scanId))).toEqual(new Set([latest.scanId]));
  });

  it('reports totals per account that add up to the scan', () => {
    const detail = scanPointerSchema.parse(JSON.parse(store.get(LATEST_KEY)!.toString()));
    const accounts = detail.accounts!;
    expect(accounts.map((a) => a.account)).toEqual(ACCOUNTS.map((a) => a.id));
    for (const a of accounts)
      expect(a.counts).toEqual(countFindings(findings.filter((f) => f.account === a.account)));
    expect(accounts.find((a) => a.account === BROKEN)!.failed.sort()).toEqual(
      ['global', ...REGIONS].sort(),
    );
    for (const id of HEALTHY) expect(accounts.find((a) => a.account === id)!.failed).toEqual([]);
    expect(accounts.map((a) => a.name)).toEqual(ACCOUNTS.map((a) => a.name));
  });

  it('turns the account without a role into ERROR findings for everything it hid', () => {
    const broken = findings.filter((f) => f.account === BROKEN);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.filter((f) => f.status !== 'ERROR')).toEqual([]);
    for (const f of broken) expect(f.statusDetail).toMatch(/AssumeRole failed in .*AccessDenied/);
    // Every region and the global services, each for every check a healthy account gets.
    expect(new Set(broken.map((f) => f.region))).toEqual(new Set(REGIONS));
    const healthyChecks = new Set(
      findings.filter((f) => f.account === HEALTHY[0]).map((f) => f.checkId),
    );
    expect(new Set(broken.map((f) => f.checkId))).toEqual(healthyChecks);
    expect(healthyChecks.size).toBe(new Set(CHECKS.map((c) => c.id)).size);

    const latest = scanPointerSchema.parse(JSON.parse(store.get(LATEST_KEY)!.toString()));
    const failed = latest.coverage!.regionsFailed.filter((r) => r.region.startsWith(BROKEN));
    expect(failed.map((r) => r.region).sort()).toEqual(
      ['global', ...REGIONS].map((r) => `${BROKEN}/${r}`).sort(),
    );
    for (const r of failed) expect(r.reason).toMatch(/AccessDenied/);
    expect(latest.coverage!.regionsScanned.sort()).toEqual(
      HEALTHY.flatMap((a) => REGIONS.map((r) => `${a}/${r}`)).sort(),
    );
  });

  it('loses nothing of the healthy accounts: the same verdicts as a single-account scan of each', async () => {
    for (const account of HEALTHY) {
      const reference = fakeOrganization();
      configureClients({
        requestHandler: reference.fake,
        credentials: { accessKeyId: `ASIAFAKE${account}`, secretAccessKey: 'fake' },
      });
      const result = await runScan({
        regions: REGIONS,
        auditBucket: AUDIT_BUCKET,
        homeRegion: HOME,
        accountId: account,
        settings: loadSettings(),
        sleep: async () => undefined,
      });
      const single = findingsIn(reference.store, result.findingsKey);
      const mine = findings.filter((f) => f.account === account);
      expect(verdicts(mine)).toEqual(verdicts(single));
      expect(mine.filter((f) => f.status === 'ERROR')).toEqual([]);
    }
  }, 60_000);

  it('assumes each member role once per shard, with the scan in the session name', () => {
    const sessions = new Set(fake.assumed.map((a) => a.session));
    expect(sessions).toEqual(new Set([`compliance-scan-${String(state.scanId)}`]));
    for (const account of ACCOUNTS)
      expect(fake.assumed.filter((a) => a.account === account.id)).toHaveLength(1 + REGIONS.length);
    expect(fake.assumed.filter((a) => !a.allowed).map((a) => a.account)).toEqual(
      Array(1 + REGIONS.length).fill(BROKEN),
    );
  });

  it('records the failed shards in the Map result, and still succeeds (the inline variant tolerates them)', () => {
    const results = state.map as { account: string; region: string; failure?: unknown }[];
    expect(results).toHaveLength(ACCOUNTS.length * (1 + REGIONS.length));
    expect(results.filter((r) => r.failure).map((r) => r.account)).toEqual(
      Array(1 + REGIONS.length).fill(BROKEN),
    );
    expect((state.merge as { accountsWithFailures: number }).accountsWithFailures).toBe(1);
  });
});
