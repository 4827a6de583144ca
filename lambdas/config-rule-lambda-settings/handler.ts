/** Config custom rule: reserved concurrency, Active tracing, execution role without inline policies. */
import { runConfigRule } from '../shared/config-rule';
import { instrumentHandler } from '../shared/observability';
import { lambdaSettingsRule } from './rule';

export const handler = instrumentHandler((event: unknown) =>
  runConfigRule(lambdaSettingsRule, event),
);
