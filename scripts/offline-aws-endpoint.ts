/**
 * A local stand-in for the only AWS APIs our data sources call at plan time, so `terraform plan`
 * runs with no account and no network: STS `GetCallerIdentity` (aws_caller_identity) and EC2
 * `DescribeAvailabilityZones` (aws_availability_zones) and `DescribeVpcEndpointServices`
 * (aws_vpc_endpoint_service); for organization mode (the members stack, and the audit stack with
 * ORG_REMEDIATION=members), AWS Organizations' `DescribeOrganization` and the lists
 * aws_organizations_organization reads (an organization whose management account is the offline
 * account, with one root and two members). Any other
 * call is refused with an error that names it, so a new data source shows up as a clear plan
 * failure, not a hang.
 *
 * The answers are fixed and documented here, and deliberately uneven so that plans show the zone
 * choice at work: zone `<region>a` carries the zone id `<code>-az3` (use1-az3 in us-east-1, the
 * zone that offers neither Lambda nor interface endpoints), and the `config` endpoint service is
 * not offered in `<region>b`. Run as a program it listens on 127.0.0.1 and prints
 * `listening http://127.0.0.1:<port>` (scripts/offline-terraform.ts starts it that way).
 */
import { createServer, type Server } from 'node:http';
import { regionCode } from '../stacks/environment';

/** The account every offline plan sees (AWS's documentation example account). */
export const OFFLINE_ACCOUNT = '123456789012';
/** Zone ids in the order of zone letters a, b, c, d, e, f (a real account maps them at random). */
const ZONE_ID_ORDER = [3, 1, 2, 4, 6, 5];
const ZONE_LETTERS = ['a', 'b', 'c', 'd', 'e', 'f'];
/** Endpoint services missing from some zones, by service short name and zone letter. */
const SERVICE_GAPS: Readonly<Record<string, readonly string[]>> = { config: ['b'] };
/** Zones that offer no interface endpoints at all (as use1-az3 does not). */
const ZONE_IDS_WITHOUT_ENDPOINTS = ['use1-az3'];

/** AWS's zone-id prefix of a region: us-east-1 → use1, ap-southeast-2 → apse2, us-gov-west-1 → usgw1. */
export const zoneIdPrefix = regionCode;

export interface OfflineZone {
  readonly name: string;
  readonly id: string;
}

/** The six zones of a region as the endpoint reports them. */
export function offlineZones(region: string): OfflineZone[] {
  return ZONE_LETTERS.map((letter, i) => ({
    name: `${region}${letter}`,
    id: `${zoneIdPrefix(region)}-az${ZONE_ID_ORDER[i]}`,
  }));
}

/** Zones that offer an endpoint service (full name com.amazonaws.<region>.<service>). */
export function offlineServiceZones(region: string, serviceName: string): string[] {
  const short = serviceName.split('.').pop() ?? serviceName;
  const gaps = (SERVICE_GAPS[short] ?? []).map((l) => `${region}${l}`);
  return offlineZones(region)
    .filter((z) => !ZONE_IDS_WITHOUT_ENDPOINTS.includes(z.id) && !gaps.includes(z.name))
    .map((z) => z.name);
}

export interface EndpointOptions {
  readonly region: string;
  /** Called with each action answered or refused. */
  readonly onRequest?: (action: string) => void;
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const items = (values: readonly string[], render: (v: string) => string): string =>
  values.map((v) => `<item>${render(v)}</item>`).join('');

/** Values of a query-protocol list parameter (`ServiceName.1`, `ServiceName.2` …). */
function listParam(params: URLSearchParams, prefix: string): string[] {
  return [...params.entries()]
    .filter(([k]) => new RegExp(`^${prefix}\\.\\d+$`).test(k))
    .map(([, v]) => v);
}

/** Values of every `Filter.N` whose `Filter.N.Name` is `name`. */
function filterValues(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (const [key, value] of params.entries()) {
    const m = /^Filter\.(\d+)\.Name$/.exec(key);
    if (m && value === name) out.push(...listParam(params, `Filter.${m[1]}.Value`));
  }
  return out;
}

function answer(
  params: URLSearchParams,
  options: EndpointOptions,
): { status: number; body: string } {
  const action = params.get('Action') ?? '(none)';
  const region = options.region;
  const ec2 = (name: string, inner: string): string =>
    `<${name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>offline</requestId>${inner}</${name}Response>`;
  switch (action) {
    case 'GetCallerIdentity':
      return {
        status: 200,
        body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${OFFLINE_ACCOUNT}:user/offline-plan</Arn><UserId>AIDAOFFLINEPLAN</UserId><Account>${OFFLINE_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      };
    case 'DescribeAvailabilityZones':
      return {
        status: 200,
        body: ec2(
          'DescribeAvailabilityZones',
          `<availabilityZoneInfo>${offlineZones(region)
            .map(
              (z) =>
                `<item><zoneName>${z.name}</zoneName><zoneId>${z.id}</zoneId><zoneState>available</zoneState><optInStatus>opt-in-not-required</optInStatus><regionName>${region}</regionName><groupName>${region}</groupName><networkBorderGroup>${region}</networkBorderGroup><zoneType>availability-zone</zoneType><messageSet/></item>`,
            )
            .join('')}</availabilityZoneInfo>`,
        ),
      };
    case 'DescribeVpcEndpointServices': {
      const names = [
        ...listParam(params, 'ServiceName'),
        ...filterValues(params, 'service-name'),
      ].filter((n) => n.startsWith(`com.amazonaws.${region}.`));
      const type = filterValues(params, 'service-type')[0] ?? 'Interface';
      const details = names.map((name) => {
        const short = name.split('.').pop()!;
        const zones = offlineServiceZones(region, name);
        return `<item><serviceName>${xmlEscape(name)}</serviceName><serviceId>vpce-svc-offline${short}</serviceId><serviceType><item><serviceType>${type}</serviceType></item></serviceType><availabilityZoneSet>${items(zones, xmlEscape)}</availabilityZoneSet><owner>amazon</owner><baseEndpointDnsNameSet><item>${short}.${region}.vpce.amazonaws.com</item></baseEndpointDnsNameSet><privateDnsName>${short}.${region}.amazonaws.com</privateDnsName><privateDnsNameSet><item><privateDnsName>${short}.${region}.amazonaws.com</privateDnsName></item></privateDnsNameSet><vpcEndpointPolicySupported>true</vpcEndpointPolicySupported><acceptanceRequired>false</acceptanceRequired><managesVpcEndpoints>false</managesVpcEndpoints><supportedIpAddressTypeSet><item>ipv4</item></supportedIpAddressTypeSet><tagSet/></item>`;
      });
      return {
        status: 200,
        body: ec2(
          'DescribeVpcEndpointServices',
          `<serviceNameSet>${items(names, xmlEscape)}</serviceNameSet><serviceDetailSet>${details.join('')}</serviceDetailSet>`,
        ),
      };
    }
    default: {
      const message = `the offline endpoint answers GetCallerIdentity, DescribeAvailabilityZones and DescribeVpcEndpointServices only, not ${action} (a data source needs a real account or an answer in scripts/offline-aws-endpoint.ts)`;
      return {
        status: 400,
        body:
          params.get('Version') === '2011-06-15'
            ? `<ErrorResponse><Error><Type>Sender</Type><Code>UnsupportedOperation</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>offline</RequestId></ErrorResponse>`
            : `<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>offline</RequestID></Response>`,
      };
    }
  }
}

/** The offline organization: its id, its root, and its accounts (the offline one manages it). */
export const OFFLINE_ORGANIZATION = {
  id: 'o-offline0001',
  rootId: 'r-off1',
  members: ['210987654321', '345678901234'],
} as const;

/** AWS Organizations (JSON 1.1, `X-Amz-Target: AWSOrganizationsV20161128.<Action>`). */
function answerOrganizations(action: string): { status: number; body: string } {
  const o = OFFLINE_ORGANIZATION;
  const orgArn = `arn:aws:organizations::${OFFLINE_ACCOUNT}:organization/${o.id}`;
  const account = (id: string) => ({
    Id: id,
    Arn: `arn:aws:organizations::${OFFLINE_ACCOUNT}:account/${o.id}/${id}`,
    Email: `aws+${id}@example.com`,
    Name: id === OFFLINE_ACCOUNT ? 'management' : `member-${id}`,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: id === OFFLINE_ACCOUNT ? 'CREATED' : 'INVITED',
    JoinedTimestamp: 1_700_000_000,
  });
  const answers: Record<string, unknown> = {
    DescribeOrganization: {
      Organization: {
        Id: o.id,
        Arn: orgArn,
        FeatureSet: 'ALL',
        MasterAccountId: OFFLINE_ACCOUNT,
        MasterAccountArn: account(OFFLINE_ACCOUNT).Arn,
        MasterAccountEmail: account(OFFLINE_ACCOUNT).Email,
        AvailablePolicyTypes: [],
      },
    },
    ListRoots: {
      Roots: [
        {
          Id: o.rootId,
          Arn: `arn:aws:organizations::${OFFLINE_ACCOUNT}:root/${o.id}/${o.rootId}`,
          Name: 'Root',
          PolicyTypes: [],
        },
      ],
    },
    ListAccounts: { Accounts: [OFFLINE_ACCOUNT, ...o.members].map(account) },
    ListAWSServiceAccessForOrganization: {
      EnabledServicePrincipals: [
        { ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' },
      ],
    },
  };
  if (action in answers) return { status: 200, body: JSON.stringify(answers[action]) };
  return {
    status: 400,
    body: JSON.stringify({
      __type: 'UnsupportedOperation',
      message: `the offline endpoint answers DescribeOrganization, ListRoots, ListAccounts and ListAWSServiceAccessForOrganization of AWS Organizations only, not ${action}`,
    }),
  };
}

/** The HTTP server (not yet listening). */
export function createOfflineEndpoint(options: EndpointOptions): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('AWSOrganizationsV20161128.')) {
        const action = target.split('.').pop()!;
        const { status, body } = answerOrganizations(action);
        options.onRequest?.(action);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(body);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
      const { status, body } = answer(params, options);
      options.onRequest?.(params.get('Action') ?? '(none)');
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(body);
    });
  });
}

if (require.main === module) {
  const region = process.argv[2] ?? 'us-east-1';
  const server = createOfflineEndpoint({ region });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`listening http://127.0.0.1:${port}\n`);
  });
  // The parent closes stdin when it is done (or dies): stop then, never linger.
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.stdin.resume();
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
}
