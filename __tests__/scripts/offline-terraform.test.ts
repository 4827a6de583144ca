/**
 * The offline Terraform machinery without terraform: where providers come from, the CLI
 * configuration and environment children get, the override file, and the local endpoint's answers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOfflineEndpoint,
  OFFLINE_ACCOUNT,
  OFFLINE_ORGANIZATION,
  offlineZones,
  zoneIdPrefix,
} from '../../scripts/offline-aws-endpoint';
import { stateFromPlan } from '../../scripts/offline-state';
import {
  offlineOverride,
  OfflineWorkspace,
  requiredProviders,
  startOfflineEndpoint,
} from '../../scripts/offline-terraform';
import {
  cliConfig,
  findProviderMirror,
  findTerraform,
  impliedMirrorDirs,
  MIRROR_SETTING,
  mirroredProviders,
  terraformEnv,
  type TerraformToolchain,
} from '../../scripts/terraform-toolchain';

function fakeMirror(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mirror-'));
  const unpacked = join(dir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
  mkdirSync(unpacked, { recursive: true });
  writeFileSync(join(unpacked, 'terraform-provider-aws_v5.100.0_x5'), '');
  const packed = join(dir, 'registry.terraform.io', 'hashicorp', 'awscc');
  mkdirSync(packed, { recursive: true });
  writeFileSync(join(packed, 'terraform-provider-awscc_1.62.0_linux_amd64.zip'), '');
  return dir;
}

describe('provider mirrors', () => {
  it('lists the providers of a mirror, unpacked and packed', () => {
    expect(mirroredProviders(fakeMirror())).toEqual({
      'hashicorp/aws': ['5.100.0'],
      'hashicorp/awscc': ['1.62.0'],
    });
    expect(mirroredProviders(join(tmpdir(), 'no-such-mirror'))).toEqual({});
  });

  it("searches Terraform's implied directories in its documented order", () => {
    const dirs = impliedMirrorDirs(
      { HOME: '/home/u', XDG_DATA_HOME: '', XDG_DATA_DIRS: '' },
      '/work',
    );
    if (process.platform === 'linux')
      expect(dirs).toEqual([
        '/work/terraform.d/plugins',
        '/home/u/.terraform.d/plugins',
        '/home/u/.local/share/terraform/plugins',
        '/usr/local/share/terraform/plugins',
        '/usr/share/terraform/plugins',
      ]);
  });

  it(`uses ${MIRROR_SETTING} first, and names it when it holds no aws provider`, () => {
    const mirror = fakeMirror();
    expect(findProviderMirror({ [MIRROR_SETTING]: mirror }).source).toEqual({
      kind: 'mirror',
      path: mirror,
      providers: mirroredProviders(mirror),
    });
    const empty = mkdtempSync(join(tmpdir(), 'empty-mirror-'));
    expect(findProviderMirror({ [MIRROR_SETTING]: empty }).problem).toBe(
      `${MIRROR_SETTING}=${empty} holds no registry.terraform.io/hashicorp/aws (expected ${empty}/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/)`,
    );
  });

  it('configures the mirror for what it holds and the registry for the rest', () => {
    const mirror = fakeMirror();
    const config = cliConfig({
      kind: 'mirror',
      path: mirror,
      providers: mirroredProviders(mirror),
    });
    expect(config).toContain(`path    = ${JSON.stringify(mirror)}`);
    expect(config).toContain(
      'include = ["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/awscc"]',
    );
    expect(config).toMatch(/direct \{\n {4}exclude = \["registry.terraform.io\/hashicorp\/aws", /);
    expect(config).toMatch(/^plugin_cache_dir = ".+plugin-cache"$/m);
    expect(cliConfig({ kind: 'registry' })).not.toContain('provider_installation');
  });
});

describe('what terraform children get', () => {
  const toolchain: TerraformToolchain = {
    terraformVersion: '1.11.4',
    source: { kind: 'registry' },
    cliConfigFile: '/tmp/x/terraformrc',
    description: 'test',
  };

  it('their own CLI configuration and no AWS identity of this machine', () => {
    const env = terraformEnv(toolchain, {
      PATH: '/bin',
      AWS_PROFILE: 'prod',
      AWS_ACCESS_KEY_ID: 'AKIA',
      TF_CLI_CONFIG_FILE: '/root/.terraformrc',
      TF_PLUGIN_CACHE_DIR: '/elsewhere',
    });
    expect(env.PATH).toBe('/bin');
    expect(env.TF_CLI_CONFIG_FILE).toBe('/tmp/x/terraformrc');
    expect(env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
  });

  it('an override with local state and an aws provider that asks the local endpoint', () => {
    expect(offlineOverride('/ws/terraform.tfstate', 'http://127.0.0.1:1234')).toEqual({
      terraform: { backend: { local: { path: '/ws/terraform.tfstate' } } },
      provider: {
        aws: expect.objectContaining({
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          endpoints: [
            {
              sts: 'http://127.0.0.1:1234',
              ec2: 'http://127.0.0.1:1234',
              organizations: 'http://127.0.0.1:1234',
            },
          ],
        }),
      },
    });
    expect(offlineOverride('/s', 'http://x', false)).toEqual({
      terraform: { backend: { local: { path: '/s' } } },
    });
  });

  it('reads the providers a stack requires, from JSON and HCL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'req-'));
    writeFileSync(
      join(dir, 'cdk.tf.json'),
      JSON.stringify({
        terraform: {
          required_providers: { aws: { source: 'aws' }, awscc: { source: 'hashicorp/awscc' } },
        },
      }),
    );
    writeFileSync(
      join(dir, 'cdk.tf'),
      'terraform {\n  required_providers {\n    aws = {\n      source = "registry.terraform.io/hashicorp/aws"\n    }\n  }\n}\n',
    );
    expect(requiredProviders(join(dir, 'cdk.tf.json'))).toEqual([
      'hashicorp/aws',
      'hashicorp/awscc',
    ]);
    expect(requiredProviders(join(dir, 'cdk.tf'))).toEqual(['hashicorp/aws']);
  });
});

describe('the local endpoint', () => {
  const calls: string[] = [];
  const server = createOfflineEndpoint({ region: 'us-east-1', onRequest: (a) => calls.push(a) });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => server.close());

  const post = async (body: string): Promise<{ status: number; text: string }> => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: r.status, text: await r.text() };
  };

  it('names zones and zone ids as AWS does', () => {
    expect(zoneIdPrefix('us-east-1')).toBe('use1');
    expect(zoneIdPrefix('ap-southeast-2')).toBe('apse2');
    expect(zoneIdPrefix('us-gov-west-1')).toBe('usgw1');
    expect(offlineZones('us-east-1')[0]).toEqual({ name: 'us-east-1a', id: 'use1-az3' });
  });

  it('answers GetCallerIdentity with the offline account', async () => {
    const r = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<Account>${OFFLINE_ACCOUNT}</Account>`);
  });

  it('answers DescribeAvailabilityZones with six zones', async () => {
    const r = await post('Action=DescribeAvailabilityZones&Version=2016-11-15');
    expect(r.text.match(/<zoneName>/g)).toHaveLength(6);
    expect(r.text).toContain('<zoneName>us-east-1a</zoneName><zoneId>use1-az3</zoneId>');
  });

  it('answers DescribeVpcEndpointServices without use1-az3 and with the config gap', async () => {
    const r = await post(
      'Action=DescribeVpcEndpointServices&Version=2016-11-15&Filter.1.Name=service-name&Filter.1.Value.1=com.amazonaws.us-east-1.config',
    );
    expect(r.text).toContain('<serviceName>com.amazonaws.us-east-1.config</serviceName>');
    expect(r.text).toContain(
      '<availabilityZoneSet><item>us-east-1c</item><item>us-east-1d</item><item>us-east-1e</item><item>us-east-1f</item></availabilityZoneSet>',
    );
    const kms = await post(
      'Action=DescribeVpcEndpointServices&Version=2016-11-15&ServiceName.1=com.amazonaws.us-east-1.kms',
    );
    expect(kms.text).toContain('<item>us-east-1b</item><item>us-east-1c</item>');
    expect(kms.text).not.toContain('<item>us-east-1a</item>');
  });

  it('refuses anything else, naming the call', async () => {
    const r = await post('Action=DescribeVpcs&Version=2016-11-15');
    expect(r.status).toBe(400);
    expect(r.text).toContain('not DescribeVpcs');
    expect(calls).toContain('DescribeVpcs');
  });

  it('answers AWS Organizations with an organization the offline account manages, and refuses the rest', async () => {
    const org = async (action: string) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSOrganizationsV20161128.${action}`,
        },
        body: '{}',
      });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    expect((await org('DescribeOrganization')).body).toMatchObject({
      Organization: { Id: OFFLINE_ORGANIZATION.id, MasterAccountId: OFFLINE_ACCOUNT },
    });
    expect((await org('ListRoots')).body).toMatchObject({
      Roots: [{ Id: OFFLINE_ORGANIZATION.rootId }],
    });
    const accounts = (await org('ListAccounts')).body.Accounts as { Id: string }[];
    expect(accounts.map((a) => a.Id)).toEqual([OFFLINE_ACCOUNT, ...OFFLINE_ORGANIZATION.members]);
    const refused = await org('ListPolicies');
    expect(refused.status).toBe(400);
    expect(String(refused.body.message)).toContain('not ListPolicies');
    expect(calls).toContain('ListPolicies');
  });

  it('runs as its own process for terraform, and stops', async () => {
    const endpoint = await startOfflineEndpoint('eu-west-1');
    const r = await fetch(endpoint.url, {
      method: 'POST',
      body: 'Action=DescribeAvailabilityZones',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await r.text()).toContain('<zoneName>eu-west-1a</zoneName><zoneId>euw1-az3</zoneId>');
    await endpoint.stop();
    await expect(fetch(endpoint.url)).rejects.toThrow();
  }, 30_000);
});

const found = findTerraform();
(found.toolchain ? describe : describe.skip)(
  `destroy plans against a state made from a create plan${found.skip ? ` (skipped: ${found.skip})` : ''}`,
  () => {
    it('refuses, naming it, to destroy what prevent_destroy guards', async () => {
      // Arrange: a small stack with a guarded bucket and a plain queue
      const dir = mkdtempSync(join(tmpdir(), 'destroy-'));
      const stack = {
        terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
        provider: { aws: { region: 'us-east-1' } },
        resource: {
          aws_s3_bucket: {
            evidence: {
              bucket: 'evidence-123456789012',
              lifecycle: { prevent_destroy: true },
            },
          },
          aws_sqs_queue: { q: { name: 'q', sqs_managed_sse_enabled: true } },
        },
      };
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack));
      const ws = OfflineWorkspace.create(dir, found.toolchain!);
      try {
        await ws.init();
        const { plan } = await ws.plan();
        const state = stateFromPlan(plan, await ws.providerSchemas()) as {
          resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
        };
        expect(state.resources.map((r) => [r.type, typeof r.instances[0].attributes.arn])).toEqual([
          ['aws_s3_bucket', 'string'],
          ['aws_sqs_queue', 'string'],
        ]);

        // Act / Assert: the guarded bucket stops the destroy plan, naming it
        await expect(ws.plan({ state, destroy: true, refresh: false })).rejects.toThrow(
          /Instance cannot be destroyed — Resource aws_s3_bucket\.evidence has lifecycle\.prevent_destroy set/,
        );
      } finally {
        ws.dispose();
      }
    }, 300_000);
  },
);
