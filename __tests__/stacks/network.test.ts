import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { FUNCTION_CATALOG, servicesOf } from '../../stacks/function-catalog';
import { subnet24 } from '../../stacks/network';
import {
  FUNCTION_NAMES,
  loadStackProps,
  resolveSettings,
  type FunctionName,
} from '../../stacks/settings';
import {
  iamNameOf,
  policyNamed,
  ref,
  resourcesOf,
  resourceWith,
  SUFFIX,
  synthStack,
  type Synthesized,
  type TerraformJson,
} from '../helpers/stack';

const lambdaSg = (tf: TerraformJson) =>
  resourceWith(tf, 'aws_security_group', 'name', `compliance-lambda-${SUFFIX}`);
const endpointServices = (tf: TerraformJson, type: 'Interface' | 'Gateway'): string[] =>
  resourcesOf(tf, 'aws_vpc_endpoint')
    .filter((e) => e.config.vpc_endpoint_type === type)
    .map((e) => String(e.config.service_name).replace('com.amazonaws.us-east-1.', ''))
    .sort();
const functionsInVpc = (tf: TerraformJson): FunctionName[] =>
  FUNCTION_NAMES.filter(
    (name) =>
      resourceWith(tf, 'aws_lambda_function', 'function_name', `${name}-${SUFFIX}`).config
        .vpc_config !== undefined,
  );

describe('subnet24', () => {
  it.each([
    ['10.20.0.0/16', 0, '10.20.0.0/24'],
    ['10.20.0.0/16', 1, '10.20.1.0/24'],
    ['10.20.0.0/16', 255, '10.20.255.0/24'],
    ['10.30.16.0/20', 2, '10.30.18.0/24'],
    ['172.16.4.0/22', 3, '172.16.7.0/24'],
  ])('%s #%i is %s', (cidr, index, expected) => {
    expect(subnet24(cidr, index)).toBe(expected);
  });

  it('refuses an index past the last /24', () => {
    expect(() => subnet24('172.16.4.0/22', 4)).toThrow('172.16.4.0/22 has only 4 /24 subnets');
  });
});

describe('AuditNetwork', () => {
  describe('with the default settings (endpoints egress)', () => {
    let synth: string;
    let tf: TerraformJson;
    beforeAll(() => {
      ({ synth, tf } = synthStack());
    });

    it('renders a VPC with the default CIDR and two private subnets in two AZs', () => {
      // GIVEN / WHEN: the default stack
      const vpc = resourcesOf(tf, 'aws_vpc')[0];
      const azsId = Object.keys(tf.data?.aws_availability_zones ?? {})[0];

      // THEN
      expect(synth).toHaveResourceWithProperties(Vpc, {
        cidr_block: '10.20.0.0/16',
        enable_dns_hostnames: true,
        enable_dns_support: true,
      });
      expect(synth).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
        state: 'available',
      });
      for (const [i, cidr] of ['10.20.0.0/24', '10.20.1.0/24'].entries()) {
        expect(synth).toHaveResourceWithProperties(Subnet, {
          vpc_id: ref('aws_vpc', vpc, 'id'),
          cidr_block: cidr,
          map_public_ip_on_launch: false,
          availability_zone: `\${element(local.private_subnet_azs, ${i})}`,
        });
      }
      expect(resourcesOf(tf, 'aws_subnet')).toHaveLength(2);
      expect(tf.data?.aws_availability_zones?.[azsId]).toMatchObject({
        exclude_zone_ids: ['use1-az3'],
      });
    });

    it('places the subnets in zones that run Lambda and offer every interface endpoint used', () => {
      // GIVEN: one endpoint-service data source per interface endpoint
      const services = Object.entries(tf.data?.aws_vpc_endpoint_service ?? {});
      const endpoints = resourcesOf(tf, 'aws_vpc_endpoint')
        .filter((e) => e.config.vpc_endpoint_type === 'Interface')
        .map((e) => e.config.service_name)
        .sort();
      expect(services.map(([, s]) => s.service_name).sort()).toEqual(endpoints);
      expect(services.every(([, s]) => s.service_type === 'Interface')).toBe(true);

      // THEN: the zones are the sorted intersection, and too few stop the plan with a reason
      const azsId = Object.keys(tf.data?.aws_availability_zones ?? {})[0];
      expect(tf.locals?.private_subnet_azs).toBe(
        `\${sort(setintersection(data.aws_availability_zones.${azsId}.names, ${services
          .map(([id]) => `tolist(data.aws_vpc_endpoint_service.${id}.availability_zones)`)
          .join(', ')}))}`,
      );
      for (const subnet of resourcesOf(tf, 'aws_subnet')) {
        expect(subnet.config.lifecycle).toEqual({
          ignore_changes: ['availability_zone'],
          precondition: [
            {
              condition: '${(length(local.private_subnet_azs) >= 2)}',
              error_message: expect.stringContaining(
                'The audit subnets need 2 availability zones that run Lambda and offer every interface endpoint the functions use (config, ec2, events, kms, sns, xray)',
              ),
            },
          ],
        });
      }
    });

    it('renders the default security group closed (managed, with no rule)', () => {
      const vpc = resourcesOf(tf, 'aws_vpc')[0];
      expect(synth).toHaveResourceWithProperties(DefaultSecurityGroup, {
        vpc_id: ref('aws_vpc', vpc, 'id'),
      });
      const [defaultSg] = resourcesOf(tf, 'aws_default_security_group');
      expect(defaultSg.config).not.toHaveProperty('ingress');
      expect(defaultSg.config).not.toHaveProperty('egress');
    });

    it('renders the Lambda security group with HTTPS egress only and no ingress', () => {
      // GIVEN
      const sg = lambdaSg(tf);
      const sgId = ref('aws_security_group', sg, 'id');

      // THEN: no inline rules (they would fight the rule resources)
      expect(sg.config).not.toHaveProperty('ingress');
      expect(sg.config).not.toHaveProperty('egress');
      const egress = resourcesOf(tf, 'aws_vpc_security_group_egress_rule').filter(
        (r) => r.config.security_group_id === sgId,
      );
      expect(egress.length).toBeGreaterThan(0);
      for (const rule of egress) {
        expect(rule.config).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
      }
      const ingress = resourcesOf(tf, 'aws_vpc_security_group_ingress_rule').filter(
        (r) => r.config.security_group_id === sgId,
      );
      expect(ingress).toEqual([]);
    });

    it('renders flow logs of ALL traffic to the KMS-encrypted group audit-flowlogs-<region>-<suffix>', () => {
      // GIVEN
      const group = resourceWith(
        tf,
        'aws_cloudwatch_log_group',
        'name',
        `audit-flowlogs-us-east-1-${SUFFIX}`,
      );
      const logsKey = resourcesOf(tf, 'aws_kms_key').find((k) => k.id.startsWith('keys_logs'));
      const role = resourceWith(tf, 'aws_iam_role', 'name', iamNameOf('flowlogs'));

      // THEN
      expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
        name: `audit-flowlogs-us-east-1-${SUFFIX}`,
        retention_in_days: 90,
        kms_key_id: ref('aws_kms_key', logsKey!, 'arn'),
      });
      expect(synth).toHaveResourceWithProperties(FlowLog, {
        vpc_id: ref('aws_vpc', resourcesOf(tf, 'aws_vpc')[0], 'id'),
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: ref('aws_cloudwatch_log_group', group, 'arn'),
        iam_role_arn: ref('aws_iam_role', role, 'arn'),
      });
    });

    it('renders a flow-log role trusted only by VPC Flow Logs of this account, writing only its group', () => {
      // GIVEN
      const role = resourceWith(tf, 'aws_iam_role', 'name', iamNameOf('flowlogs'));
      const group = resourceWith(
        tf,
        'aws_cloudwatch_log_group',
        'name',
        `audit-flowlogs-us-east-1-${SUFFIX}`,
      );
      const groupArn = ref('aws_cloudwatch_log_group', group, 'arn');

      // THEN
      const trust = JSON.parse(role.config.assume_role_policy as string);
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': expect.stringContaining('aws_caller_identity') },
            ArnLike: {
              'aws:SourceArn': expect.stringMatching(/:ec2:us-east-1:.+:vpc-flow-log\/\*$/),
            },
          },
        }),
      ]);
      // Each action on the resource type IAM evaluates it against: streams, or the group.
      expect(policyNamed(tf, iamNameOf('flowlogs'))).toEqual([
        {
          Sid: 'ListFlowLogStreams',
          Effect: 'Allow',
          Action: 'logs:DescribeLogStreams',
          Resource: groupArn,
        },
        {
          Sid: 'DeliverFlowLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${groupArn}:log-stream:*`,
        },
      ]);
    });

    it('renders an S3 gateway endpoint on the private route table', () => {
      const routes = resourcesOf(tf, 'aws_route_table')[0];
      expect(synth).toHaveResourceWithProperties(VpcEndpoint, {
        service_name: 'com.amazonaws.us-east-1.s3',
        vpc_endpoint_type: 'Gateway',
        route_table_ids: [ref('aws_route_table', routes, 'id')],
      });
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
        security_group_id: ref('aws_security_group', lambdaSg(tf), 'id'),
        prefix_list_id: ref(
          'aws_vpc_endpoint',
          resourceWith(tf, 'aws_vpc_endpoint', 'service_name', 'com.amazonaws.us-east-1.s3'),
          'prefix_list_id',
        ),
        from_port: 443,
        to_port: 443,
      });
    });

    it('renders exactly the interface endpoints the in-VPC functions call, plus X-Ray', () => {
      // GIVEN: scanner and config-rule-lambda-settings call IAM (global) and stay outside the VPC
      const inVpc = functionsInVpc(tf);
      const needed = new Set<string>(['xray']);
      for (const name of inVpc)
        for (const service of servicesOf(
          FUNCTION_CATALOG[name],
          resolveSettings({ environmentSuffix: 'test' }),
        ))
          if (service !== 's3') needed.add(service);

      // THEN
      expect(inVpc).toEqual(
        FUNCTION_NAMES.filter((n) => n !== 'scanner' && n !== 'config-rule-lambda-settings'),
      );
      expect(endpointServices(tf, 'Interface')).toEqual([...needed].sort());
      expect(endpointServices(tf, 'Interface')).toEqual([
        'config',
        'ec2',
        'events',
        'kms',
        'sns',
        'xray',
      ]);
      expect(endpointServices(tf, 'Gateway')).toEqual(['s3']);
    });

    it('renders interface endpoints with private DNS in both subnets, reachable from the functions only', () => {
      // GIVEN
      const endpointSg = resourceWith(
        tf,
        'aws_security_group',
        'name',
        `compliance-endpoints-${SUFFIX}`,
      );
      const subnets = resourcesOf(tf, 'aws_subnet').map((s) => ref('aws_subnet', s, 'id'));

      // THEN
      for (const endpoint of resourcesOf(tf, 'aws_vpc_endpoint').filter(
        (e) => e.config.vpc_endpoint_type === 'Interface',
      )) {
        expect(endpoint.config).toMatchObject({
          private_dns_enabled: true,
          subnet_ids: subnets,
          security_group_ids: [ref('aws_security_group', endpointSg, 'id')],
        });
      }
      expect(synth).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
        security_group_id: ref('aws_security_group', endpointSg, 'id'),
        referenced_security_group_id: ref('aws_security_group', lambdaSg(tf), 'id'),
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
      });
      expect(resourcesOf(tf, 'aws_vpc_security_group_ingress_rule')).toHaveLength(1);
    });

    it('renders no route to the internet', () => {
      expect(synth).not.toHaveResource(NatGateway);
      expect(synth).not.toHaveResource(InternetGateway);
      expect(synth).not.toHaveResource(Eip);
      expect(synth).not.toHaveResource(Route);
      expect(
        resourcesOf(tf, 'aws_vpc_security_group_egress_rule').filter(
          (r) => r.config.cidr_ipv4 !== undefined,
        ),
      ).toEqual([]);
    });
  });

  describe('with NETWORK_EGRESS nat', () => {
    let nat: Synthesized;
    beforeAll(() => {
      nat = synthStack({ networkEgress: 'nat', vpcCidr: '10.30.16.0/20' });
    });

    it('renders one NAT gateway in a public subnet behind an internet gateway', () => {
      // GIVEN
      const { synth, tf } = nat;
      const vpcId = ref('aws_vpc', resourcesOf(tf, 'aws_vpc')[0], 'id');
      const igw = resourcesOf(tf, 'aws_internet_gateway')[0];
      const publicSubnet = resourcesOf(tf, 'aws_subnet').find(
        (s) => s.config.cidr_block === '10.30.18.0/24',
      );
      const eip = resourcesOf(tf, 'aws_eip')[0];
      const natGw = resourcesOf(tf, 'aws_nat_gateway')[0];

      // THEN
      expect(synth).toHaveResourceWithProperties(InternetGateway, { vpc_id: vpcId });
      expect(publicSubnet).toBeDefined();
      expect(synth).toHaveResourceWithProperties(Eip, { domain: 'vpc' });
      expect(synth).toHaveResourceWithProperties(NatGateway, {
        allocation_id: ref('aws_eip', eip, 'allocation_id'),
        subnet_id: ref('aws_subnet', publicSubnet!, 'id'),
      });
      expect(resourcesOf(tf, 'aws_nat_gateway')).toHaveLength(1);
      expect(synth).toHaveResourceWithProperties(Route, {
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: ref('aws_internet_gateway', igw, 'id'),
      });
      expect(synth).toHaveResourceWithProperties(Route, {
        destination_cidr_block: '0.0.0.0/0',
        nat_gateway_id: ref('aws_nat_gateway', natGw, 'id'),
      });
    });

    it('chooses zones by the Lambda exclusion alone (no interface endpoints)', () => {
      const azsId = Object.keys(nat.tf.data?.aws_availability_zones ?? {})[0];
      expect(nat.tf.data?.aws_vpc_endpoint_service).toBeUndefined();
      expect(nat.tf.locals?.private_subnet_azs).toBe(
        `\${sort(data.aws_availability_zones.${azsId}.names)}`,
      );
      expect(resourcesOf(nat.tf, 'aws_subnet').map((s) => s.config.availability_zone)).toEqual([
        '${element(local.private_subnet_azs, 0)}',
        '${element(local.private_subnet_azs, 1)}',
        '${element(local.private_subnet_azs, 0)}',
      ]);
    });

    it('renders the private subnets from VPC_CIDR', () => {
      expect(nat.synth).toHaveResourceWithProperties(Vpc, { cidr_block: '10.30.16.0/20' });
      expect(
        resourcesOf(nat.tf, 'aws_subnet')
          .map((s) => s.config.cidr_block)
          .sort(),
      ).toEqual(['10.30.16.0/24', '10.30.17.0/24', '10.30.18.0/24']);
    });

    it('renders every function in the VPC and no interface endpoint', () => {
      expect(functionsInVpc(nat.tf)).toEqual([...FUNCTION_NAMES]);
      expect(endpointServices(nat.tf, 'Interface')).toEqual([]);
      expect(endpointServices(nat.tf, 'Gateway')).toEqual(['s3']);
      expect(() =>
        resourceWith(nat.tf, 'aws_security_group', 'name', `compliance-endpoints-${SUFFIX}`),
      ).toThrow();
    });

    it('renders the Lambda security group with HTTPS egress to the internet only', () => {
      const sgId = ref('aws_security_group', lambdaSg(nat.tf), 'id');
      expect(nat.synth).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
        security_group_id: sgId,
        cidr_ipv4: '0.0.0.0/0',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
      });
      for (const rule of resourcesOf(nat.tf, 'aws_vpc_security_group_egress_rule')) {
        expect(rule.config).toMatchObject({
          security_group_id: sgId,
          from_port: 443,
          to_port: 443,
        });
      }
    });
  });
});

describe('INTERFACE_ENDPOINT_AZS', () => {
  it('puts every interface endpoint in the first zone only with 1 (about half the cost)', () => {
    const { tf } = synthStack({ interfaceEndpointAzs: 1 });
    const first = resourcesOf(tf, 'aws_subnet').find((s) => s.id.startsWith('network_private-0_'))!;
    const interfaces = resourcesOf(tf, 'aws_vpc_endpoint').filter(
      (e) => e.config.vpc_endpoint_type === 'Interface',
    );
    expect(interfaces.length).toBeGreaterThan(0);
    for (const e of interfaces)
      expect(e.config.subnet_ids).toEqual([ref('aws_subnet', first, 'id')]);
    // The functions keep both zones.
    const fn = resourcesOf(tf, 'aws_lambda_function').find((f) => f.config.vpc_config)!;
    expect((fn.config.vpc_config as { subnet_ids: string[] }).subnet_ids).toHaveLength(2);
  });

  it('is read from the environment, 2 by default, and refuses anything but 1 or 2', () => {
    expect(
      resolveSettings(loadStackProps({ INTERFACE_ENDPOINT_AZS: '1' })).interfaceEndpointAzs,
    ).toBe(1);
    expect(resolveSettings(loadStackProps({})).interfaceEndpointAzs).toBe(2);
    expect(() => loadStackProps({ INTERFACE_ENDPOINT_AZS: '3' })).toThrow(
      'INTERFACE_ENDPOINT_AZS 3: use 2 (default) or 1',
    );
    expect(() => loadStackProps({ INTERFACE_ENDPOINT_AZS: 'one' })).toThrow(
      'INTERFACE_ENDPOINT_AZS "one": a whole number',
    );
  });
});
