/**
 * Network ACL rule analysis (pure), the way a network ACL treats a packet: inbound entries in
 * ascending rule number, the first entry that matches decides (allow or deny); the last entry,
 * `*` (32767), denies everything. "Open from the world" asks whether a packet from any internet
 * address reaches the port, so only entries whose source is the whole address space (0.0.0.0/0,
 * or ::/0 for IPv6 packets, which meet IPv6 entries only) match every such packet: a DENY for
 * 0.0.0.0/0 numbered before the ALLOW closes the port, a DENY for a narrower range does not.
 */
import type { NetworkAclEntry } from '../inventory/types';
import { protocolName, WORLD_IPV4, WORLD_IPV6, type PortProtocol } from './sg-rules';

/** A port the ACL lets in from the world, and the entry that lets it in. */
export interface NaclOpening {
  readonly protocol: PortProtocol;
  readonly port: number;
  readonly source: typeof WORLD_IPV4 | typeof WORLD_IPV6;
  readonly ruleNumber: number;
}

function matches(entry: NetworkAclEntry, protocol: PortProtocol, port: number): boolean {
  const p = protocolName(entry.protocol);
  if (p === 'all') return true;
  if (p !== protocol) return false;
  return !entry.portRange || (entry.portRange.from <= port && port <= entry.portRange.to);
}

/** The inbound entry that lets `protocol`/`port` in from `source`, or undefined when denied. */
export function allowingEntry(
  entries: readonly NetworkAclEntry[],
  protocol: PortProtocol,
  port: number,
  source: typeof WORLD_IPV4 | typeof WORLD_IPV6,
): NetworkAclEntry | undefined {
  const world = entries
    .filter((e) => !e.egress)
    .filter((e) => (source === WORLD_IPV4 ? e.cidrBlock : e.ipv6CidrBlock) === source)
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  const deciding = world.find((e) => matches(e, protocol, port));
  return deciding?.action === 'allow' ? deciding : undefined;
}

/** Every (protocol, port, source) among those asked that the ACL lets in from the world. */
export function naclOpenings(
  entries: readonly NetworkAclEntry[],
  ports: readonly number[],
  protocols: readonly PortProtocol[],
): NaclOpening[] {
  const openings: NaclOpening[] = [];
  for (const source of [WORLD_IPV4, WORLD_IPV6] as const)
    for (const protocol of protocols)
      for (const port of ports) {
        const entry = allowingEntry(entries, protocol, port, source);
        if (entry) openings.push({ protocol, port, source, ruleNumber: entry.ruleNumber });
      }
  return openings;
}

export function describeOpening(o: NaclOpening): string {
  return `rule ${o.ruleNumber} allows ${o.protocol} ${o.port} from ${o.source}`;
}
