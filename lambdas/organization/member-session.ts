/**
 * Credentials of a member account: sts:AssumeRole on a role the members stack rolls out (the
 * read-only member role for a scan shard, the remediation role for remediation), with the external
 * id its trust policy requires and a session name naming the scan or run (so the member's
 * CloudTrail says which one made each call; the trust policy requires the prefix).
 *
 * IAM action: `sts:AssumeRole` — `arn:<partition>:iam::*:role/<role name>`, only for roles of the
 * caller's own organization (condition: the resource's org id equals the principal's).
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClient } from '../shared/clients';
import { partitionOf } from '../shared/regions';

/** The member role's MaxSessionDuration; the scanner's tasks end within 15 minutes. */
export const SESSION_SECONDS = 3600;
/** Every scan session name starts with this; the member role's trust policy requires it. */
export const SESSION_PREFIX = 'compliance-scan-';
/** Every remediation session name starts with this; the remediation role's trust policy requires it. */
export const REMEDIATION_SESSION_PREFIX = 'compliance-remediation-';

export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

export function memberRoleArn(homeRegion: string, account: string, roleName: string): string {
  return `arn:${partitionOf(homeRegion)}:iam::${account}:role/${roleName}`;
}

/** `<prefix><id>` (`compliance-scan-<scanId>` by default), within STS's 64 characters. */
export function sessionName(id: string, prefix: string = SESSION_PREFIX): string {
  return `${prefix}${id}`.slice(0, 64);
}

export async function assumeMemberRole(options: {
  readonly homeRegion: string;
  readonly account: string;
  readonly roleName: string;
  readonly externalId: string;
  /** The scan or remediation run: the session is named after it. */
  readonly scanId: string;
  /** @default SESSION_PREFIX */
  readonly sessionPrefix?: string;
}): Promise<MemberCredentials> {
  const out = await awsClient(STSClient, options.homeRegion).send(
    new AssumeRoleCommand({
      RoleArn: memberRoleArn(options.homeRegion, options.account, options.roleName),
      RoleSessionName: sessionName(options.scanId, options.sessionPrefix),
      ExternalId: options.externalId,
      DurationSeconds: SESSION_SECONDS,
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new Error(`sts:AssumeRole for account ${options.account} returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
