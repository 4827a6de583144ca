import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { bundleLambda } from '../../lambdas/build';
import { FUNCTION_NAMES } from '../../stacks/settings';
import {
  fakeZipFile,
  ref,
  resourcesOf,
  resourceWith,
  SUFFIX,
  synthStack,
  type TerraformJson,
} from '../helpers/stack';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

describe('ComplianceStack', () => {
  let synth: string;
  let tf: TerraformJson;
  beforeAll(() => {
    ({ synth, tf } = synthStack());
  });

  it('renders the whole stack as recorded (fixed Lambda bundle: no churn on code changes)', () => {
    // Nothing machine-specific may reach the snapshot.
    expect(synth).not.toContain(tmpdir());
    expect(synth).not.toContain(process.cwd());
    expect(synth).toMatchSnapshot();
  });

  it('renders the fixed bundle on every function', () => {
    const { sha256: hash } = fakeZipFile();
    for (const name of FUNCTION_NAMES) {
      expect(synth).toHaveResourceWithProperties(LambdaFunction, {
        function_name: `${name}-${SUFFIX}`,
        source_code_hash: hash,
        filename: expect.stringMatching(/^assets\/fn-.+\/[0-9A-F]+\/function\.zip$/),
      });
    }
  });

  it('renders Terraform >= 1.10 (S3-native locking) and the AWS provider in the stack region', () => {
    expect(tf.terraform.required_version).toBe('>= 1.10.0');
    expect(tf.provider.aws).toEqual([expect.objectContaining({ region: 'us-east-1' })]);
  });

  it('renders every output DESIGN §4 lists, each with a description', () => {
    // GIVEN
    const expected = [
      'vpc_id',
      'private_subnet_ids',
      'audit_bucket_name',
      'audit_bucket_arn',
      ...FUNCTION_NAMES.flatMap((n) => {
        const key = n.replace(/-/g, '_');
        return [`${key}_function_name`, `${key}_function_arn`];
      }),
      'sns_topic_arn',
      'dashboard_name',
      'config_recorder_name',
      'config_recorder_created',
      'data_kms_key_arn',
      'messaging_kms_key_arn',
      'logs_kms_key_arn',
      'remediation_kms_key_arn',
    ];

    // THEN
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(expected));
    for (const [id, output] of Object.entries(tf.output)) {
      expect(`${id}: ${typeof output.description}`).toBe(`${id}: string`);
    }
  });

  it('renders outputs that point at the resources they name', () => {
    const bucket = resourcesOf(tf, 'aws_s3_bucket')[0];
    expect(tf.output.vpc_id.value).toBe(ref('aws_vpc', resourcesOf(tf, 'aws_vpc')[0], 'id'));
    expect(tf.output.private_subnet_ids.value).toEqual(
      resourcesOf(tf, 'aws_subnet').map((s) => ref('aws_subnet', s, 'id')),
    );
    expect(tf.output.audit_bucket_name.value).toBe(ref('aws_s3_bucket', bucket, 'bucket'));
    expect(tf.output.audit_bucket_arn.value).toBe(ref('aws_s3_bucket', bucket, 'arn'));
    for (const name of FUNCTION_NAMES) {
      const fn = resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`);
      const key = name.replace(/-/g, '_');
      expect(tf.output[`${key}_function_name`].value).toBe(
        ref('aws_lambda_function', fn, 'function_name'),
      );
      expect(tf.output[`${key}_function_arn`].value).toBe(ref('aws_lambda_function', fn, 'arn'));
    }
    expect(tf.output.sns_topic_arn.value).toBe(
      ref('aws_sns_topic', resourcesOf(tf, 'aws_sns_topic')[0], 'arn'),
    );
    expect(tf.output.dashboard_name.value).toBe(
      ref(
        'aws_cloudwatch_dashboard',
        resourcesOf(tf, 'aws_cloudwatch_dashboard')[0],
        'dashboard_name',
      ),
    );
    for (const purpose of ['data', 'messaging', 'logs', 'remediation']) {
      const key = resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith(`keys_${purpose}_`))!;
      expect(tf.output[`${purpose}_kms_key_arn`].value).toBe(ref('aws_kms_key', key, 'arn'));
    }
  });
});

describe('ComplianceStack with the real bundler', () => {
  // Cold, this bundles all eight functions once (later runs hit the .build/lambdas cache).
  const BUNDLE_TIMEOUT_MS = 120_000;

  it(
    'renders source_code_hash as the base64 SHA-256 of each zip it points at',
    () => {
      // GIVEN / WHEN: the default bundler (no options.bundle)
      const { tf } = synthStack({}, {});

      // THEN
      for (const name of FUNCTION_NAMES) {
        const bundle = bundleLambda(name);
        const fn = resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`);
        expect(bundle.cached).toBe(true);
        expect(fn.config.source_code_hash).toBe(sha256(fs.readFileSync(bundle.zipPath)));
        expect(basename(String(fn.config.filename))).toBe(basename(bundle.zipPath));
      }
    },
    BUNDLE_TIMEOUT_MS,
  );

  it(
    'builds byte-identical zips twice in a row',
    () => {
      // GIVEN: the cache bypassed for one function, so each call really bundles
      const name = 'config-rule-vpc-flow-logs';
      const { zipPath } = bundleLambda(name);
      const realExistsSync = fs.existsSync;
      const spy = jest
        .spyOn(fs, 'existsSync')
        .mockImplementation((path) => path !== zipPath && realExistsSync(path));

      try {
        // WHEN
        const first = bundleLambda(name);
        const firstBytes = fs.readFileSync(first.zipPath);
        const second = bundleLambda(name);
        const secondBytes = fs.readFileSync(second.zipPath);

        // THEN
        expect([first.cached, second.cached]).toEqual([false, false]);
        expect(second.zipPath).toBe(first.zipPath);
        expect(Buffer.compare(firstBytes, secondBytes)).toBe(0);
        expect(second.sha256).toBe(first.sha256);
        expect(first.sha256).toBe(sha256(firstBytes));
      } finally {
        spy.mockRestore();
      }
    },
    BUNDLE_TIMEOUT_MS,
  );
});
