/** Config custom rule (change-triggered + periodic): an active flow log must cover each VPC. */
import { runConfigRule } from '../shared/config-rule';
import { instrumentHandler } from '../shared/observability';
import { vpcFlowLogsRule } from './rule';

export const handler = instrumentHandler((event: unknown) => runConfigRule(vpcFlowLogsRule, event));
