/**
 * What each of the functions is and which AWS APIs it calls (DESIGN §5). The network reads
 * `services` to create exactly the endpoints the in-VPC functions need; a function that calls a
 * global API (IAM) or other regions needs a NAT gateway to run in the VPC.
 */
import { ORG_FUNCTION_CATALOG } from './organization-functions';
import type { FunctionName, Settings } from './settings';

/** API endpoints, by the short name VPC endpoint services use (`com.amazonaws.<region>.<name>`). */
export type ServiceApi =
  | 's3'
  | 'ec2'
  | 'config'
  | 'kms'
  | 'sns'
  | 'events'
  | 'lambda'
  | 'iam'
  | 'sts'
  | 'xray'
  | 'access-analyzer'
  | 'cloudtrail'
  | 'logs'
  | 'monitoring'
  | 'rds'
  | 'elasticfilesystem'
  | 'securityhub'
  | 'guardduty';

export interface FunctionSpec {
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** APIs the handler calls, besides X-Ray (every function traces). */
  readonly services: readonly ServiceApi[];
  /** Of `services`, those called only under some settings. */
  readonly servicesWhen?: Partial<Record<ServiceApi, (settings: Settings) => boolean>>;
  /** Calls a global endpoint (IAM) or other regions: no private endpoint can serve it. */
  readonly needsInternet: boolean;
}

export const FUNCTION_CATALOG: Readonly<Record<FunctionName, FunctionSpec>> = {
  scanner: {
    description: 'Inventories the account once per service, evaluates every check, writes findings',
    // 1,769 MB is one full vCPU: the scan uses ~0.8 s of CPU per second (npm run bench), so less
    // memory would make it CPU-bound before the API rate limits bind.
    memoryMb: 1769,
    timeoutSeconds: 900,
    services: [
      's3',
      'ec2',
      'iam',
      'lambda',
      'config',
      'events',
      'sts',
      'kms',
      'access-analyzer',
      'cloudtrail',
      'logs',
      'monitoring',
      'sns',
      'rds',
      'elasticfilesystem',
      'securityhub',
      'guardduty',
    ],
    needsInternet: true,
  },
  'json-report': {
    description: 'Writes report.json (summary and findings) for each completed scan',
    memoryMb: 512,
    timeoutSeconds: 120,
    services: ['s3'],
    needsInternet: false,
  },
  'csv-report': {
    description: 'Writes report.csv (RFC 4180, one row per finding) for each completed scan',
    memoryMb: 512,
    timeoutSeconds: 120,
    services: ['s3'],
    needsInternet: false,
  },
  remediation: {
    description:
      'Sets SSE-KMS default encryption on non-compliant buckets (off / dry-run / enforce)',
    memoryMb: 256,
    timeoutSeconds: 300,
    // kms: DescribeKey of the remediation key before any bucket changes; sts: the member
    // accounts' remediation role (ORG_REMEDIATION=members).
    services: ['s3', 'events', 'kms', 'sts'],
    servicesWhen: { sts: (s) => s.organization?.memberRemediation !== undefined },
    needsInternet: false,
  },
  'config-rule-s3-encryption': {
    description: 'Config rule: COMPLIANT only for SSE-KMS or DSSE-KMS with a customer-managed key',
    memoryMb: 256,
    timeoutSeconds: 60,
    services: ['config', 's3', 'kms'],
    needsInternet: false,
  },
  'config-rule-vpc-flow-logs': {
    description: 'Config rule: COMPLIANT when an active flow log covers the VPC',
    memoryMb: 256,
    timeoutSeconds: 120,
    services: ['config', 'ec2'],
    needsInternet: false,
  },
  'config-rule-lambda-settings': {
    description: 'Config rule: reserved concurrency, active tracing, no inline role policies',
    memoryMb: 256,
    timeoutSeconds: 60,
    services: ['config', 'lambda', 'iam'],
    needsInternet: true,
  },
  'alert-notifier': {
    description:
      'Publishes SNS alerts for findings at or above the threshold, Config and remediation events',
    memoryMb: 512,
    timeoutSeconds: 120,
    services: ['s3', 'sns'],
    needsInternet: false,
  },
  'findings-export': {
    description:
      'Writes OCSF Compliance Findings for each completed scan and, when enabled, imports them into Security Hub',
    memoryMb: 512,
    // Security Hub takes 100 findings a call at about 10 calls a second, and a scan can have
    // tens of thousands of findings to import, archive or update.
    timeoutSeconds: 900,
    services: ['s3', 'securityhub'],
    servicesWhen: { securityhub: (s) => s.securityHubExport === 'on' },
    needsInternet: false,
  },
};

/** APIs a function calls under these settings. */
export function servicesOf(spec: FunctionSpec, settings: Settings): ServiceApi[] {
  return spec.services.filter((s) => spec.servicesWhen?.[s]?.(settings) ?? true);
}

/** Whether the function runs in the VPC under these settings. */
export function runsInVpc(spec: FunctionSpec, settings: Settings): boolean {
  return settings.networkEgress === 'nat' || !spec.needsInternet;
}

/** Interface endpoints the in-VPC functions need (S3 has a gateway endpoint instead). */
export function interfaceEndpointServices(settings: Settings): ServiceApi[] {
  const needed = new Set<ServiceApi>();
  const org = settings.organization ? Object.values(ORG_FUNCTION_CATALOG) : [];
  for (const spec of [...Object.values(FUNCTION_CATALOG), ...org]) {
    if (!runsInVpc(spec, settings)) continue;
    for (const s of servicesOf(spec, settings)) if (s !== 's3') needed.add(s);
    needed.add('xray');
  }
  return [...needed].sort();
}
