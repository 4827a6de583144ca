/**
 * EC2 (EC2 query protocol) answers of the fake AWS, from the region the request went to:
 * regions, security groups, volumes, VPCs and flow logs, instances, network ACLs, subnets,
 * snapshots (owned, and restorable by everyone) with their create-volume permission, and EBS
 * encryption by default. Every Describe* is paginated with NextToken / MaxResults.
 */
import { BENCH_REGIONS, NOT_OPTED_IN_REGIONS, type SyntheticAccount } from './account';
import type { Tag } from './account-common';
import type { RuleSpec } from './account-ec2';
import { EC2_NS, ec2Error, el, page, pageItems, xml, type Reply } from './wire';

const PAGE_MAX = 1000;
/** DescribeNetworkAcls returns at most 100 per page. */
const NACL_PAGE_MAX = 100;
/** The opt-in region among the account's regions. */
const OPT_IN_REGIONS = new Set(['eu-south-1', ...NOT_OPTED_IN_REGIONS]);
const STATE_CODES = { pending: 0, running: 16, stopped: 80, terminated: 48 } as const;

const tagSet = (tags: readonly Tag[]) =>
  `<tagSet>${tags.map(([k, v]) => `<item>${el('key', k)}${el('value', v)}</item>`).join('')}</tagSet>`;
const items = (name: string, list: readonly string[]) => `<${name}>${list.join('')}</${name}>`;

function rulesXml(account: string, groupId: string, rules: readonly RuleSpec[]): string {
  return rules
    .map(
      (r) =>
        `<item>${el('ipProtocol', r.protocol)}${el('fromPort', r.from)}${el('toPort', r.to)}<groups>${r.sourceGroup ? `<item>${el('userId', account)}${el('groupId', groupId)}</item>` : ''}</groups><ipRanges>${(r.cidrs ?? []).map((c) => `<item>${el('cidrIp', c)}</item>`).join('')}</ipRanges><ipv6Ranges>${(r.cidrsV6 ?? []).map((c) => `<item>${el('cidrIpv6', c)}</item>`).join('')}</ipv6Ranges><prefixListIds/></item>`,
    )
    .join('');
}

function describeRegions(a: SyntheticAccount, params: URLSearchParams): string {
  const all = params.get('AllRegions') === 'true';
  const enabled = a.regions.map((r) => [
    r,
    OPT_IN_REGIONS.has(r) ? 'opted-in' : 'opt-in-not-required',
  ]);
  const others = [...BENCH_REGIONS, ...NOT_OPTED_IN_REGIONS]
    .filter((r) => !a.regions.includes(r))
    .map((r) => [r, 'not-opted-in']);
  return items(
    'regionInfo',
    [...enabled, ...(all ? others : [])].map(
      ([r, status]) =>
        `<item>${el('regionName', r)}${el('regionEndpoint', `ec2.${r}.amazonaws.com`)}${el('optInStatus', status)}</item>`,
    ),
  );
}

/** The answer to an EC2 action in `region` (slot -1: a region the account does not use). */
export function ec2(
  a: SyntheticAccount,
  region: string,
  action: string,
  params: URLSearchParams,
): Reply {
  const slot = a.slotOf(region);
  const wrap = (inner: string) =>
    xml(
      `<${action}Response xmlns="${EC2_NS}">${el('requestId', 'bench')}${inner}</${action}Response>`,
    );
  /** A page of the region's items of a kind, as XML, then the next token. */
  const listing = (
    kind: Parameters<SyntheticAccount['inRegion']>[0],
    setName: string,
    render: (i: number) => string | undefined,
    max = PAGE_MAX,
  ) => {
    const p = page(a.inRegion(kind, slot), params.get('NextToken'), max, params.get('MaxResults'));
    return wrap(
      `${items(
        setName,
        pageItems(p, (j) => render(a.indexIn(slot, j))),
      )}${el('nextToken', p.next)}`,
    );
  };
  switch (action) {
    case 'DescribeRegions':
      return wrap(describeRegions(a, params));
    case 'GetEbsEncryptionByDefault':
      return wrap(el('ebsEncryptionByDefault', a.regional(slot).ebsEncryptionByDefault));
    case 'DescribeSecurityGroups':
      return listing('securityGroups', 'securityGroupInfo', (i) => {
        const g = a.securityGroup(i);
        return `<item>${el('ownerId', a.accountId)}${el('groupId', g.id)}${el('groupName', g.name)}${el('groupDescription', 'bench')}<ipPermissions>${rulesXml(a.accountId, g.id, g.ingress)}</ipPermissions><ipPermissionsEgress>${rulesXml(a.accountId, g.id, g.egress)}</ipPermissionsEgress>${el('vpcId', g.vpcId)}${el('securityGroupArn', g.arn)}${tagSet(g.tags)}</item>`;
      });
    case 'DescribeVolumes':
      return listing('volumes', 'volumeSet', (i) => {
        const v = a.volume(i);
        const attachment = v.instanceId
          ? `<item>${el('volumeId', v.id)}${el('instanceId', v.instanceId)}${el('device', '/dev/xvda')}${el('status', 'attached')}</item>`
          : '';
        return `<item>${el('volumeId', v.id)}${el('size', 8)}${el('availabilityZone', `${region}a`)}${el('status', v.instanceId ? 'in-use' : 'available')}${el('createTime', '2024-01-01T00:00:00.000Z')}<attachmentSet>${attachment}</attachmentSet>${el('volumeType', 'gp3')}${el('encrypted', v.encrypted)}${tagSet(v.tags)}</item>`;
      });
    case 'DescribeVpcs':
      return listing('vpcs', 'vpcSet', (i) => {
        const v = a.vpc(i);
        return `<item>${el('vpcId', v.id)}${el('ownerId', v.ownerId)}${el('state', 'available')}${el('cidrBlock', '10.0.0.0/16')}${el('isDefault', v.isDefault)}${tagSet(v.tags)}</item>`;
      });
    case 'DescribeFlowLogs':
      // one flow log per VPC that has one; a page covers a range of the region's VPCs
      return listing('vpcs', 'flowLogSet', (i) => {
        const v = a.vpc(i);
        const f = v.flowLog;
        if (!f) return undefined;
        return `<item>${el('flowLogId', `fl-${v.id.slice(4)}`)}${el('resourceId', v.id)}${el('flowLogStatus', 'ACTIVE')}${el('deliverLogsStatus', f.delivery)}${el('trafficType', f.trafficType)}${el('logDestinationType', 'cloud-watch-logs')}</item>`;
      });
    case 'DescribeInstances':
      return listing('instances', 'reservationSet', (i) => {
        const x = a.instance(i);
        const profile = x.profileArn
          ? `<iamInstanceProfile>${el('arn', x.profileArn)}${el('id', `AIPA${i}`)}</iamInstanceProfile>`
          : '';
        const eni = `<networkInterfaceSet><item>${el('networkInterfaceId', `eni-${x.id.slice(2)}`)}${el('privateIpAddress', '10.0.0.5')}<privateIpAddressesSet><item>${el('privateIpAddress', '10.0.0.5')}${el('primary', true)}${x.publicIp ? `<association>${el('publicIp', x.publicIp)}</association>` : ''}</item>${x.interfaceIp ? `<item>${el('privateIpAddress', '10.0.0.6')}${el('primary', false)}<association>${el('publicIp', x.interfaceIp)}</association></item>` : ''}</privateIpAddressesSet></item></networkInterfaceSet>`;
        const instance = `<item>${el('instanceId', x.id)}${el('imageId', 'ami-0bench')}<instanceState>${el('code', STATE_CODES[x.state])}${el('name', x.state)}</instanceState>${el('instanceType', 't3.micro')}${el('ipAddress', x.publicIp)}${profile}<metadataOptions>${el('state', 'applied')}${el('httpTokens', x.httpTokens)}${el('httpPutResponseHopLimit', 2)}${el('httpEndpoint', x.httpEndpoint)}</metadataOptions>${eni}${tagSet(x.tags)}</item>`;
        return `<item>${el('reservationId', `r-${x.id.slice(2)}`)}${el('ownerId', a.accountId)}<groupSet/><instancesSet>${instance}</instancesSet></item>`;
      });
    case 'DescribeNetworkAcls':
      return listing(
        'networkAcls',
        'networkAclSet',
        (i) => {
          const n = a.networkAcl(i);
          const entries = n.entries
            .map(
              (e) =>
                `<item>${el('ruleNumber', e.rule)}${el('protocol', e.protocol)}${el('ruleAction', e.action)}${el('egress', e.egress === true)}${el('cidrBlock', e.cidr)}${el('ipv6CidrBlock', e.cidrV6)}${e.ports ? `<portRange>${el('from', e.ports[0])}${el('to', e.ports[1])}</portRange>` : ''}</item>`,
            )
            .join('');
          return `<item>${el('networkAclId', n.id)}${el('vpcId', n.vpcId)}${el('default', n.isDefault)}<entrySet>${entries}</entrySet><associationSet/>${tagSet([])}${el('ownerId', n.ownerId)}</item>`;
        },
        NACL_PAGE_MAX,
      );
    case 'DescribeSubnets':
      return listing('subnets', 'subnetSet', (i) => {
        const s = a.subnet(i);
        return `<item>${el('subnetId', s.id)}${el('subnetArn', s.arn)}${el('state', 'available')}${el('vpcId', s.vpcId)}${el('cidrBlock', '10.0.1.0/24')}${el('availabilityZone', `${region}a`)}${el('defaultForAz', s.defaultForAz)}${el('mapPublicIpOnLaunch', s.mapPublicIpOnLaunch)}${el('assignIpv6AddressOnCreation', s.assignIpv6AddressOnCreation)}${el('ownerId', s.ownerId)}${tagSet([])}</item>`;
      });
    case 'DescribeSnapshots': {
      if (params.get('Owner.1') !== 'self') {
        return ec2Error('InvalidParameterCombination', 400, 'fake AWS lists owned snapshots only');
      }
      // RestorableBy all: only the snapshots any account may restore
      const everyone = params.get('RestorableBy.1') === 'all';
      return listing('snapshots', 'snapshotSet', (i) => {
        const s = a.snapshot(i);
        if (everyone && s.sharedWith !== 'all') return undefined;
        return `<item>${el('snapshotId', s.id)}${el('volumeId', s.volumeId)}${el('status', 'completed')}${el('startTime', '2024-01-01T00:00:00.000Z')}${el('progress', '100%')}${el('ownerId', a.accountId)}${el('volumeSize', 8)}${el('encrypted', false)}${tagSet([])}</item>`;
      });
    }
    case 'DescribeSnapshotAttribute': {
      const id = params.get('SnapshotId') ?? '';
      const m = /^snap-([0-9a-f]{17})$/.exec(id);
      const i = m ? parseInt(m[1]!, 16) : NaN;
      if (!(i < a.counts.snapshots) || i % a.regionCount !== slot)
        return ec2Error('InvalidSnapshot.NotFound', 400, `The snapshot '${id}' does not exist.`);
      const s = a.snapshot(i);
      const grant =
        s.sharedWith === 'all'
          ? `<item>${el('group', 'all')}</item>`
          : s.sharedWith
            ? `<item>${el('userId', s.sharedWith)}</item>`
            : '';
      return wrap(
        `${el('snapshotId', id)}<createVolumePermission>${grant}</createVolumePermission>`,
      );
    }
    default:
      return ec2Error('InvalidAction', 400, `fake AWS does not implement ${action}`);
  }
}
