/**
 * The settings-dependent facts of a synthesized stack that the plan review and the cost estimate
 * need, read from the Terraform JSON alone (so the review describes exactly what would be applied).
 */
import { maxIntervalSeconds, scheduleProblem } from '../stacks/schedule';
import { environmentSuffix } from './permissions';
import { nested, resources, str, type JsonObject, type TfStack } from './tf-json';

export type RecorderMode = 'auto' | 'create' | 'existing';

export interface FunctionFacts {
  /** Physical name, e.g. scanner-dev. */
  readonly functionName: string;
  /** Name without the suffix, e.g. scanner. */
  readonly name: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly inVpc: boolean;
  readonly architecture: string;
  readonly runtime?: string;
  readonly tracing?: string;
}

export interface StackFacts {
  readonly region: string;
  readonly suffix?: string;
  readonly scanSchedule?: string;
  readonly functions: readonly FunctionFacts[];
  /** Interface endpoints: service short name and number of subnets (AZs). */
  readonly interfaceEndpoints: readonly { readonly service: string; readonly azs: number }[];
  readonly gatewayEndpoints: readonly string[];
  readonly natGateways: number;
  readonly elasticIps: number;
  readonly logGroups: readonly { readonly name: string; readonly retentionDays?: number }[];
  readonly flowLogs: number;
  readonly kmsKeys: number;
  readonly alarms: number;
  readonly dashboards: number;
  readonly configRules: number;
  readonly recorderMode: RecorderMode;
  readonly snsTopics: number;
  readonly emailSubscriptions: number;
  readonly queues: number;
  readonly buckets: readonly { readonly name: string; readonly forceDestroy: boolean }[];
  /** Longest object expiration of the bucket lifecycle rules (findings, reports …). */
  readonly auditRetentionDays?: number;
}

function num(body: JsonObject, key: string): number | undefined {
  const v = body[key];
  return typeof v === 'number'
    ? v
    : typeof v === 'string' && /^\d+$/.test(v)
      ? Number(v)
      : undefined;
}

export function stackFacts(stack: TfStack): StackFacts {
  const suffix = environmentSuffix(stack);
  const provider = stack.json.provider?.aws;
  const providerBody = (Array.isArray(provider) ? provider[0] : provider) ?? {};
  const region = str(providerBody, 'region') ?? 'us-east-1';
  const scanRule = resources(stack, 'aws_cloudwatch_event_rule').find(
    (r) => str(r.body, 'schedule_expression') !== undefined,
  );
  const functions = resources(stack, 'aws_lambda_function').map((fn): FunctionFacts => {
    const functionName = str(fn.body, 'function_name') ?? fn.name;
    return {
      functionName,
      name:
        suffix && functionName.endsWith(`-${suffix}`)
          ? functionName.slice(0, -suffix.length - 1)
          : functionName,
      memoryMb: num(fn.body, 'memory_size') ?? 128,
      timeoutSeconds: num(fn.body, 'timeout') ?? 3,
      reservedConcurrency: num(fn.body, 'reserved_concurrent_executions'),
      inVpc: nested(fn.body, 'vpc_config').length > 0,
      architecture: ((fn.body.architectures as string[] | undefined) ?? ['x86_64'])[0],
      runtime: str(fn.body, 'runtime'),
      tracing: str(nested(fn.body, 'tracing_config')[0] ?? {}, 'mode'),
    };
  });
  const endpoints = resources(stack, 'aws_vpc_endpoint');
  const short = (service: string): string => service.split('.').pop() ?? service;
  const recorder = resources(stack, 'aws_config_configuration_recorder')[0];
  const recorderMode: RecorderMode = !recorder
    ? 'existing'
    : recorder.body.count !== undefined
      ? 'auto'
      : 'create';
  return {
    region,
    suffix,
    scanSchedule: scanRule ? str(scanRule.body, 'schedule_expression') : undefined,
    functions: functions.sort((a, b) => a.name.localeCompare(b.name)),
    interfaceEndpoints: endpoints
      .filter((e) => str(e.body, 'vpc_endpoint_type') === 'Interface')
      .map((e) => ({
        service: short(str(e.body, 'service_name') ?? e.name),
        azs: ((e.body.subnet_ids as unknown[]) ?? []).length || 1,
      })),
    gatewayEndpoints: endpoints
      .filter((e) => str(e.body, 'vpc_endpoint_type') === 'Gateway')
      .map((e) => short(str(e.body, 'service_name') ?? e.name)),
    natGateways: resources(stack, 'aws_nat_gateway').length,
    elasticIps: resources(stack, 'aws_eip').length,
    logGroups: resources(stack, 'aws_cloudwatch_log_group').map((g) => ({
      name: str(g.body, 'name') ?? g.name,
      retentionDays: num(g.body, 'retention_in_days'),
    })),
    flowLogs: resources(stack, 'aws_flow_log').length,
    kmsKeys: resources(stack, 'aws_kms_key').length,
    alarms: resources(stack, 'aws_cloudwatch_metric_alarm').length,
    dashboards: resources(stack, 'aws_cloudwatch_dashboard').length,
    configRules: resources(stack, 'aws_config_config_rule').length,
    recorderMode,
    snsTopics: resources(stack, 'aws_sns_topic').length,
    emailSubscriptions: resources(stack, 'aws_sns_topic_subscription').filter(
      (s) => str(s.body, 'protocol') === 'email',
    ).length,
    queues: resources(stack, 'aws_sqs_queue').length,
    buckets: resources(stack, 'aws_s3_bucket').map((b) => ({
      name: str(b.body, 'bucket') ?? str(b.body, 'bucket_prefix') ?? b.name,
      forceDestroy: b.body.force_destroy === true || b.body.force_destroy === 'true',
    })),
    auditRetentionDays:
      Math.max(
        0,
        ...resources(stack, 'aws_s3_bucket_lifecycle_configuration').flatMap((l) =>
          nested(l.body, 'rule').flatMap((rule) =>
            nested(rule, 'expiration').map((e) => num(e, 'days') ?? 0),
          ),
        ),
      ) || undefined,
  };
}

/** Scheduled runs in a 30-day month (rate exact; cron counted from its longest gap, a lower bound). */
export function runsPerMonth(schedule: string | undefined): number {
  if (!schedule || scheduleProblem(schedule)) return 0;
  return Math.round((30 * 86400) / maxIntervalSeconds(schedule));
}
