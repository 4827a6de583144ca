/**
 * Scanner settings from the environment the stack sets (names in shared/env-names.ts). Read and
 * validated before anything is collected, so a bad value fails the run with the variable's name.
 */
import { DEFAULT_ALLOWED_OPEN_PORTS, DEFAULT_MANDATORY_TAGS, ENV } from '../shared/env-names';
import { intEnv, listEnv } from '../shared/env';
import type { CheckConfig } from './checks/types';

/** IAM.3 limit; MAX_KEY_AGE_DAYS overrides. */
export const DEFAULT_MAX_KEY_AGE_DAYS = 90;
/** IAM.22 limit; MAX_UNUSED_DAYS overrides. */
export const DEFAULT_MAX_UNUSED_DAYS = 45;
/** API calls in flight per API operation and region; SCAN_CONCURRENCY overrides. */
export const DEFAULT_SCAN_CONCURRENCY = 8;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface ScanSettings extends CheckConfig {
  /** SCAN_REGIONS, when set (a request's regions come first; neither: every enabled region). */
  readonly regions?: readonly string[];
  readonly concurrency: number;
}

/** A comma-separated port list (blank: `fallback`). */
function portsEnv(name: string, fallback: readonly number[]): number[] {
  return listEnv(name, fallback.map(String)).map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      throw new Error(`Environment variable ${name} must list ports 0-65535, got "${p}"`);
    }
    return n;
  });
}

export function loadSettings(): ScanSettings {
  const ports = portsEnv(ENV.allowedOpenPorts, DEFAULT_ALLOWED_OPEN_PORTS);
  const regions = listEnv(ENV.scanRegions);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined) {
    throw new Error(
      `Environment variable ${ENV.scanRegions} must list region names like us-east-1, got "${bad}"`,
    );
  }
  const mandatoryTags = listEnv(ENV.mandatoryTags, DEFAULT_MANDATORY_TAGS);
  return {
    mandatoryTags,
    allowedOpenPorts: ports,
    // Security Hub's authorizedUdpPorts has no default: no UDP port may be open to the world.
    allowedOpenUdpPorts: portsEnv(ENV.allowedOpenUdpPorts, []),
    maxKeyAgeDays: intEnv(ENV.maxKeyAgeDays, DEFAULT_MAX_KEY_AGE_DAYS, 1),
    maxUnusedDays: intEnv(ENV.maxUnusedDays, DEFAULT_MAX_UNUSED_DAYS, 1),
    concurrency: intEnv(ENV.scanConcurrency, DEFAULT_SCAN_CONCURRENCY, 1),
    ...(regions.length > 0 ? { regions } : {}),
  };
}
