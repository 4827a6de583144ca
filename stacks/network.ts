/**
 * Network of the audit functions: a VPC with two private subnets, a closed default security
 * group, flow logs of ALL traffic to an encrypted log group, and egress either through VPC
 * endpoints (no route to the internet) or one NAT gateway (DESIGN §4).
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, Op, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import type { DeploymentEnvironment } from './environment';
import { ManagedRole } from './iam';

/** Two AZs: the minimum for Lambda's high availability in a VPC. */
const AZ_COUNT = 2;
/**
 * Zone ids (the same physical zone in every account, unlike zone names) that run neither Lambda
 * functions in a VPC nor interface endpoints: use1-az3 in us-east-1.
 */
export const UNSUPPORTED_ZONE_IDS = ['use1-az3'] as const;

export interface AuditNetworkProps {
  readonly env: DeploymentEnvironment;
  /** KMS key of the flow-log group. */
  readonly logsKeyArn: string;
  /** Interface endpoints to create (service short names, e.g. `config`); ignored with NAT egress. */
  readonly interfaceEndpoints: readonly string[];
}

/** The n-th /24 of an IPv4 network, e.g. subnet24('10.20.0.0/16', 1) = 10.20.1.0/24. */
export function subnet24(cidr: string, index: number): string {
  const [address, prefix] = cidr.split('/');
  const size = 2 ** (24 - Number(prefix));
  if (index >= size) throw new Error(`${cidr} has only ${size} /24 subnets`);
  const base = address.split('.').reduce((a, o) => a * 256 + Number(o), 0) + index * 256;
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/24`;
}

export class AuditNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[];
  readonly lambdaSecurityGroup: SecurityGroup;
  readonly flowLogGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;
  readonly endpoints: VpcEndpoint[] = [];
  readonly natGateway?: NatGateway;

  constructor(scope: Construct, id: string, props: AuditNetworkProps) {
    super(scope, id);
    const { env } = props;
    const { settings } = env;

    const azs = new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      excludeZoneIds: [...UNSUPPORTED_ZONE_IDS],
    });
    const services = settings.networkEgress === 'nat' ? [] : [...props.interfaceEndpoints].sort();
    const subnetAzs = this.subnetZones(env, azs, services);
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: settings.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: env.name('compliance-audit') },
    });
    // Managing the default SG with no rules removes every rule AWS put on it (EC2.2).
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-default-closed') },
    });

    const privateRoutes = new RouteTable(this, 'private-routes', {
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-private') },
    });
    this.privateSubnets = Array.from({ length: AZ_COUNT }, (_, i) => {
      const subnet = new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: subnet24(settings.vpcCidr, i),
        availabilityZone: Fn.element(subnetAzs.expression, i),
        mapPublicIpOnLaunch: false,
        tags: { Name: env.name(`compliance-private-${i}`) },
        lifecycle: {
          // The zone choice follows AWS's offer; a later change there must not replace subnets.
          ignoreChanges: ['availability_zone'],
          precondition: [
            {
              condition: Op.gte(Fn.lengthOf(subnetAzs.expression), AZ_COUNT),
              errorMessage: `The audit subnets need ${AZ_COUNT} availability zones that run Lambda and offer every interface endpoint the functions use (${services.join(', ') || 'none'}); this region has fewer. Use NETWORK_EGRESS=nat (no interface endpoints) or another region.`,
            },
          ],
        },
      });
      new RouteTableAssociation(this, `private-${i}-routes`, {
        subnetId: subnet.id,
        routeTableId: privateRoutes.id,
      });
      return subnet;
    });

    this.lambdaSecurityGroup = new SecurityGroup(this, 'lambda-sg', {
      name: env.name('compliance-lambda'),
      description: 'Audit functions: HTTPS out only, nothing in',
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-lambda') },
    });

    // S3 gateway endpoint: free, and keeps audit-bucket traffic off the internet in both modes.
    const s3 = new VpcEndpoint(this, 'endpoint-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${env.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [privateRoutes.id],
      tags: { Name: env.name('compliance-s3') },
    });
    this.endpoints.push(s3);
    new VpcSecurityGroupEgressRule(this, 'lambda-to-s3', {
      securityGroupId: this.lambdaSecurityGroup.id,
      description: 'HTTPS to S3 through the gateway endpoint',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      prefixListId: s3.prefixListId,
    });

    if (settings.networkEgress === 'nat') {
      this.natGateway = this.createNat(env, subnetAzs, privateRoutes);
      new VpcSecurityGroupEgressRule(this, 'lambda-to-internet', {
        securityGroupId: this.lambdaSecurityGroup.id,
        description: 'HTTPS to AWS APIs through the NAT gateway',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      });
    } else {
      this.createInterfaceEndpoints(env, services);
    }

    this.flowLogGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: env.name(`audit-flowlogs-${env.region}`),
      retentionInDays: settings.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    const flowLogRole = new ManagedRole(this, 'flow-log-role', {
      name: env.iamName('flowlogs'),
      description: 'VPC Flow Logs delivery to the audit flow-log group',
      servicePrincipal: 'vpc-flow-logs.amazonaws.com',
      trustConditions: {
        StringEquals: { 'aws:SourceAccount': env.account },
        ArnLike: { 'aws:SourceArn': env.arn('ec2', 'vpc-flow-log/*') },
      },
      statements: [
        {
          sid: 'ListFlowLogStreams',
          actions: ['logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.arn],
        },
        {
          sid: 'DeliverFlowLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.flowLogGroup.arn}:log-stream:*`],
        },
      ],
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.role.arn,
      maxAggregationInterval: 60,
      tags: { Name: env.name('compliance-audit') },
    });
  }

  /**
   * `local.private_subnet_azs`: the zones, by name, that run Lambda (no unsupported zone id) and
   * offer every interface endpoint service used, sorted. Subnets are placed in the first two, so
   * an apply never meets a zone without Lambda or without an endpoint.
   */
  private subnetZones(
    env: DeploymentEnvironment,
    azs: DataAwsAvailabilityZones,
    services: readonly string[],
  ): TerraformLocal {
    const offered = services.map(
      (service) =>
        new DataAwsVpcEndpointService(this, `endpoint-service-${service}`, {
          serviceName: `com.amazonaws.${env.region}.${service}`,
          serviceType: 'Interface',
        }).availabilityZones,
    );
    const zones = new TerraformLocal(
      this,
      'subnet-azs',
      Fn.sort(offered.length ? Fn.setintersection(azs.names, offered) : azs.names),
    );
    zones.overrideLogicalId('private_subnet_azs');
    return zones;
  }

  private createNat(
    env: DeploymentEnvironment,
    subnetAzs: TerraformLocal,
    privateRoutes: RouteTable,
  ): NatGateway {
    const igw = new InternetGateway(this, 'igw', {
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-audit') },
    });
    const publicSubnet = new Subnet(this, 'public-0', {
      vpcId: this.vpc.id,
      cidrBlock: subnet24(env.settings.vpcCidr, AZ_COUNT),
      availabilityZone: Fn.element(subnetAzs.expression, 0),
      mapPublicIpOnLaunch: false,
      tags: { Name: env.name('compliance-public-0') },
    });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-public') },
    });
    new Route(this, 'public-default', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    new RouteTableAssociation(this, 'public-0-routes', {
      subnetId: publicSubnet.id,
      routeTableId: publicRoutes.id,
    });
    const eip = new Eip(this, 'nat-eip', {
      domain: 'vpc',
      tags: { Name: env.name('compliance-nat') },
    });
    const nat = new NatGateway(this, 'nat', {
      allocationId: eip.allocationId,
      subnetId: publicSubnet.id,
      tags: { Name: env.name('compliance-nat') },
      dependsOn: [igw],
    });
    new Route(this, 'private-default', {
      routeTableId: privateRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: nat.id,
    });
    return nat;
  }

  private createInterfaceEndpoints(env: DeploymentEnvironment, services: readonly string[]): void {
    if (services.length === 0) return;
    const endpointSg = new SecurityGroup(this, 'endpoint-sg', {
      name: env.name('compliance-endpoints'),
      description: 'Interface endpoints: HTTPS from the audit functions only',
      vpcId: this.vpc.id,
      tags: { Name: env.name('compliance-endpoints') },
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-from-lambda', {
      securityGroupId: endpointSg.id,
      description: 'HTTPS from the audit functions',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: this.lambdaSecurityGroup.id,
    });
    new VpcSecurityGroupEgressRule(this, 'lambda-to-endpoints', {
      securityGroupId: this.lambdaSecurityGroup.id,
      description: 'HTTPS to the interface endpoints',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: endpointSg.id,
    });
    for (const service of [...services].sort()) {
      this.endpoints.push(
        new VpcEndpoint(this, `endpoint-${service}`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${env.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          // INTERFACE_ENDPOINT_AZS=1: one zone, about half the cost (README: Network).
          subnetIds: this.privateSubnets
            .slice(0, env.settings.interfaceEndpointAzs)
            .map((s) => s.id),
          securityGroupIds: [endpointSg.id],
          tags: { Name: env.name(`compliance-${service}`) },
        }),
      );
    }
  }
}
