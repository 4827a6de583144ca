/**
 * One scan's findings into AWS Security Hub, keeping Security Hub's view current:
 *
 * 1. GetFindings lists this deployment's ACTIVE findings (Id prefix `<provider>/`).
 * 2. BatchImportFindings, at most 100 findings a call and 240 KB a finding: every FAIL, ERROR and
 *    SUPPRESSED finding as ACTIVE; every finding Security Hub still has ACTIVE that passes now, or
 *    is gone from a region and check this scan re-checked, as ARCHIVED (Compliance PASSED when it
 *    passes). PASS findings that were never failing are not sent.
 * 3. BatchUpdateFindings (customer workflow, which providers cannot set on import after creation):
 *    RESOLVED for what was archived, SUPPRESSED (with a note naming the suppression, its owner and
 *    expiry) for suppressed findings, and NEW again where our own suppression has ended.
 *
 * FailedFindings / UnprocessedFindings are retried (MAX_ATTEMPTS in all) and what still fails is
 * returned, never dropped. Findings of regions the scan did not cover, or of checks that errored,
 * are left as they are.
 *
 * IAM actions:
 * - securityhub:GetFindings, securityhub:BatchUpdateFindings on the hub (…:hub/default)
 * - securityhub:BatchImportFindings on the account's default product (…:product/<account>/default)
 */
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { checkScope } from '../shared/changes';
import { errorMessage, errorName } from '../shared/errors';
import type { Finding } from '../shared/findings';
import { logger } from '../shared/observability';
import { asffId, batches, fitFinding, toAsff, type AsffContext } from './asff';

/** Attempts per finding (the first call and two retries of what failed). */
export const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

type WorkflowStatus = 'NEW' | 'RESOLVED' | 'SUPPRESSED';

export interface FailedExport {
  readonly id: string;
  readonly operation: 'BatchImportFindings' | 'BatchUpdateFindings';
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface SecurityHubResult {
  /** ACTIVE findings of this deployment in Security Hub before the export. */
  readonly activeBefore: number;
  readonly imported: number;
  readonly archived: number;
  readonly workflowUpdated: Record<WorkflowStatus, number>;
  /** Left as they were: their region was not scanned or their check errored. */
  readonly notRechecked: number;
  readonly failed: readonly FailedExport[];
}

export interface ExportOptions extends AsffContext {
  /** Regions this scan covered. */
  readonly regions: readonly string[];
  readonly sleep?: (ms: number) => Promise<void>;
}

interface ActiveFinding {
  readonly finding: AwsSecurityFinding;
  readonly workflow?: string;
  readonly noteBy?: string;
}

/** This deployment's ACTIVE findings in Security Hub, by Id. */
export async function activeFindings(
  client: SecurityHubClient,
  ctx: Pick<AsffContext, 'productArn' | 'provider'>,
): Promise<Map<string, ActiveFinding>> {
  const out = new Map<string, ActiveFinding>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: ctx.productArn, Comparison: 'EQUALS' }],
          Id: [{ Value: `${ctx.provider}/`, Comparison: 'PREFIX' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        NextToken,
      }),
    );
    for (const f of page.Findings ?? []) {
      if (!f.Id) continue;
      out.set(f.Id, { finding: f, workflow: f.Workflow?.Status, noteBy: f.Note?.UpdatedBy });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/**
 * Security Hub's copy of a finding, archived: only the fields a provider imports (the rest are
 * Security Hub's own, such as `aws/securityhub/*` product fields).
 */
export function archivedCopy(f: AwsSecurityFinding, updatedAt: string): AwsSecurityFinding {
  const productFields = Object.fromEntries(
    Object.entries(f.ProductFields ?? {}).filter(([k]) => !k.startsWith('aws/')),
  );
  return {
    SchemaVersion: f.SchemaVersion,
    Id: f.Id,
    ProductArn: f.ProductArn,
    GeneratorId: f.GeneratorId,
    AwsAccountId: f.AwsAccountId,
    Types: f.Types,
    FirstObservedAt: f.FirstObservedAt,
    LastObservedAt: f.LastObservedAt,
    CreatedAt: f.CreatedAt,
    UpdatedAt: updatedAt,
    Severity: f.Severity,
    Title: f.Title,
    Description: f.Description,
    Remediation: f.Remediation,
    ProductFields: productFields,
    Resources: f.Resources,
    Compliance: f.Compliance,
    FindingProviderFields: f.FindingProviderFields,
    RecordState: 'ARCHIVED',
  } as AwsSecurityFinding;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Sends `items` in batches, retrying the ones a call reports as failed (or all of a call that
 * throws) up to MAX_ATTEMPTS; returns what still failed.
 */
async function sendWithRetries<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  send: (batch: T[]) => Promise<{ id: string; code: string; message: string }[]>,
  operation: FailedExport['operation'],
  sleep: (ms: number) => Promise<void>,
): Promise<FailedExport[]> {
  let pending = [...items];
  let failures = new Map<string, FailedExport>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt += 1) {
    if (attempt > 1) await sleep(RETRY_DELAY_MS * 2 ** (attempt - 2));
    failures = new Map();
    for (const batch of batches(pending)) {
      let failed: { id: string; code: string; message: string }[];
      try {
        failed = await send(batch);
      } catch (err) {
        failed = batch.map((i) => ({
          id: idOf(i),
          code: errorName(err),
          message: errorMessage(err),
        }));
      }
      for (const f of failed)
        failures.set(f.id, { id: f.id, operation, errorCode: f.code, errorMessage: f.message });
    }
    pending = pending.filter((i) => failures.has(idOf(i)));
    if (pending.length > 0)
      logger.warn(`${operation}: findings failed`, { attempt, failed: pending.length });
  }
  return [...failures.values()];
}

export async function exportToSecurityHub(
  client: SecurityHubClient,
  findings: readonly Finding[],
  options: ExportOptions,
): Promise<SecurityHubResult> {
  const sleep = options.sleep ?? realSleep;
  const active = await activeFindings(client, options);
  const imports: AwsSecurityFinding[] = [];
  const workflow: { id: string; status: WorkflowStatus; note?: string }[] = [];
  const seen = new Set<string>();
  const erroredScopes = new Set(findings.filter((f) => f.status === 'ERROR').map(checkScope));
  let archived = 0;

  for (const f of findings) {
    const id = asffId(options.provider, f.uid);
    seen.add(id);
    const inHub = active.get(id);
    if (f.status === 'PASS') {
      if (!inHub) continue;
      imports.push(toAsff(f, options, true));
      archived += 1;
      if (inHub.workflow !== 'RESOLVED') workflow.push({ id, status: 'RESOLVED' });
      continue;
    }
    imports.push(toAsff(f, options));
    if (f.status === 'SUPPRESSED' && inHub && inHub.workflow !== 'SUPPRESSED') {
      const s = f.suppression!;
      workflow.push({
        id,
        status: 'SUPPRESSED',
        note: `Suppressed by "${s.id}" until ${s.expires} (owner ${s.owner}): ${s.reason}`,
      });
    } else if (
      f.status !== 'SUPPRESSED' &&
      inHub?.workflow === 'SUPPRESSED' &&
      (inHub.noteBy === options.provider ||
        inHub.finding.ProductFields?.['compliance-audit/SuppressionId'] !== undefined)
    ) {
      // Our own suppression ended (expired or removed): the finding needs attention again.
      workflow.push({ id, status: 'NEW', note: 'The suppression no longer applies.' });
    }
  }

  const covered = new Set([...options.regions, ...findings.map((f) => f.region)]);
  let notRechecked = 0;
  for (const [id, { finding, workflow: status }] of active) {
    if (seen.has(id)) continue;
    const scope = {
      checkId: finding.ProductFields?.['compliance-audit/CheckId'] ?? finding.GeneratorId ?? '',
      account: finding.AwsAccountId ?? '',
      region: finding.Resources?.[0]?.Region ?? finding.Region ?? '',
    };
    if (!covered.has(scope.region) || erroredScopes.has(checkScope(scope))) {
      notRechecked += 1;
      continue;
    }
    imports.push(archivedCopy(finding, options.updatedAt));
    archived += 1;
    if (status !== 'RESOLVED') workflow.push({ id, status: 'RESOLVED' });
  }

  const failed = await sendWithRetries(
    imports.map(fitFinding),
    (f) => f.Id ?? '',
    async (batch) => {
      const out = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      return (out.FailedFindings ?? []).map((x) => ({
        id: x.Id ?? '',
        code: x.ErrorCode ?? 'Unknown',
        message: x.ErrorMessage ?? '',
      }));
    },
    'BatchImportFindings',
    sleep,
  );
  const importFailed = new Set(failed.map((f) => f.id));

  const workflowUpdated: Record<WorkflowStatus, number> = { NEW: 0, RESOLVED: 0, SUPPRESSED: 0 };
  // Updates in groups that share status and note (one BatchUpdateFindings carries one of each).
  const groups = new Map<string, typeof workflow>();
  for (const w of workflow) {
    if (importFailed.has(w.id)) continue;
    const key = `${w.status}\n${w.note ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  for (const group of groups.values()) {
    const { status, note } = group[0]!;
    const updateFailed = await sendWithRetries(
      group,
      (w) => w.id,
      async (batch) => {
        const out = await client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: batch.map((w) => ({ Id: w.id, ProductArn: options.productArn })),
            Workflow: { Status: status },
            ...(note ? { Note: { Text: note.slice(0, 512), UpdatedBy: options.provider } } : {}),
          }),
        );
        return (out.UnprocessedFindings ?? []).map((x) => ({
          id: x.FindingIdentifier?.Id ?? '',
          code: x.ErrorCode ?? 'Unknown',
          message: x.ErrorMessage ?? '',
        }));
      },
      'BatchUpdateFindings',
      sleep,
    );
    workflowUpdated[status] += group.length - updateFailed.length;
    failed.push(...updateFailed);
  }

  return {
    activeBefore: active.size,
    imported: imports.length - importFailed.size,
    archived,
    workflowUpdated,
    notRechecked,
    failed,
  };
}
