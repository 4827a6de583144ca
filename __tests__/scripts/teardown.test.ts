/**
 * RETAIN_AUDIT_DATA and teardown: which resources the synthesized configuration keeps on destroy,
 * and, offline with a real terraform and provider, what a destroy plan does to a state holding
 * every resource — a plain destroy stops on prevent_destroy, and after `npm run teardown`'s state
 * removal the destroy plan deletes everything except the audit bucket and its data key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { removeFromState, retainedAddresses } from '../../scripts/teardown';
import { terraformVersion } from '../../scripts/terraform-toolchain';
import type { TfJson, TfStack } from '../../scripts/tf-json';
import {
  destroyPlan,
  findProviderMirror,
  madeUpState,
  prepareOffline,
  terraform,
} from '../helpers/offline-destroy';
import { buildStack, synthStack } from '../helpers/stack';

/** The audit bucket, what configures it, the data key and its alias (construct paths). */
const KEPT = [
  'aws_kms_alias.keys_data-alias',
  'aws_kms_key.keys_data',
  'aws_s3_bucket.audit-storage_bucket',
  'aws_s3_bucket_lifecycle_configuration.audit-storage_lifecycle',
  'aws_s3_bucket_ownership_controls.audit-storage_ownership',
  'aws_s3_bucket_policy.audit-storage_policy',
  'aws_s3_bucket_public_access_block.audit-storage_public-access-block',
  'aws_s3_bucket_server_side_encryption_configuration.audit-storage_encryption',
  'aws_s3_bucket_versioning.audit-storage_versioning',
];
/** Logical ids end in a hash of the path: compare without it. */
const withoutHash = (address: string): string => address.replace(/_[0-9A-F]{8}$/, '');

const asStack = (tf: unknown): TfStack => ({
  name: 'test',
  dir: '.',
  file: 'cdk.tf.json',
  json: tf as TfJson,
});

describe('RETAIN_AUDIT_DATA in the synthesized configuration', () => {
  it('keeps exactly the audit bucket, its configuration, the data key and its alias', () => {
    // GIVEN / WHEN
    const { tf } = synthStack({ retainAuditData: true, remediationMode: 'enforce' });

    // THEN
    expect(retainedAddresses(asStack(tf)).map(withoutHash)).toEqual(KEPT);
    const bucket = Object.values(tf.resource.aws_s3_bucket)[0];
    expect(bucket).toMatchObject({ force_destroy: false, lifecycle: { prevent_destroy: true } });
    // Every other key (messaging, logs, remediation) is scheduled for deletion as usual.
    expect(Object.values(tf.resource.aws_kms_key).map((k) => k.lifecycle)).toEqual([
      { prevent_destroy: true },
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('keeps nothing by default, and the bucket is force_destroy', () => {
    const { tf } = synthStack();
    expect(retainedAddresses(asStack(tf))).toEqual([]);
    expect(Object.values(tf.resource.aws_s3_bucket)[0]).toMatchObject({ force_destroy: true });
  });
});

const mirror = findProviderMirror();
const skip = !terraformVersion()
  ? 'no terraform binary on PATH'
  : !mirror
    ? 'no provider mirror with hashicorp/aws (set TF_PROVIDER_MIRROR)'
    : undefined;
if (skip) process.stderr.write(`offline destroy plan skipped: ${skip}\n`);

/** Three provider starts under contention on a 2-core machine. */
const PLAN_TIMEOUT_MS = 600_000;

(skip ? describe.skip : describe)(
  `destroy of a retained deployment, planned offline${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it(
      'stops a plain destroy, and after teardown removes them from state destroys all but the evidence',
      () => {
        // GIVEN a deployment (every resource in state) with RETAIN_AUDIT_DATA=true
        const stack = buildStack({ retainAuditData: true, configRecorderMode: 'create' });
        const dir = join(Testing.fullSynth(stack), 'stacks', 'test');
        const offline = prepareOffline(dir, mirror!);
        expect(terraform(offline, ['init', '-input=false', '-no-color']).code).toBe(0);
        madeUpState(offline, mirror!);
        const kept = retainedAddresses(asStack(readJson(dir)));

        // WHEN destroyed as it is
        const plain = destroyPlan(offline);

        // THEN Terraform refuses the whole destroy (no plan, so nothing is applied), naming
        // every kept resource
        expect(plain.code).not.toBe(0);
        const refused = plain.errors.map(
          (e) =>
            /^Instance cannot be destroyed: Resource (\S+) has lifecycle\.prevent_destroy set/.exec(
              e,
            )?.[1] ?? e,
        );
        expect(refused.sort()).toEqual(kept);

        // WHEN teardown removes the kept resources from state
        const removed = removeFromState(dir, kept, offline.env);
        const after = destroyPlan(offline);

        // THEN the destroy plan deletes every other resource and none of the kept ones
        expect(removed).toEqual(kept);
        expect(after.errors).toEqual([]);
        expect(after.code).toBe(0);
        const all = Object.entries(readJson(dir).resource!).flatMap(([type, byName]) =>
          Object.entries(byName).map(([name, body]) =>
            body.count === undefined ? `${type}.${name}` : `${type}.${name}[0]`,
          ),
        );
        expect(after.deletes).toEqual(all.filter((a) => !kept.includes(a)).sort());
        expect(after.deletes.map(withoutHash)).not.toContain('aws_s3_bucket.audit-storage_bucket');
        expect(after.deletes.map(withoutHash)).not.toContain('aws_kms_key.keys_data');
      },
      PLAN_TIMEOUT_MS,
    );
  },
);

function readJson(dir: string): TfJson {
  return JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as TfJson;
}
