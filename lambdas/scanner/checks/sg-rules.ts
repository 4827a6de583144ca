/**
 * Security-group rule analysis (pure). Only ingress rules matter here; egress is ignored by every
 * caller. A rule is "open to the world" for its IPv4 0.0.0.0/0 and IPv6 ::/0 sources; rules whose
 * source is another security group or a prefix list are not. Protocol `-1` opens every port of
 * every protocol; TCP/UDP rules open FromPort..ToPort; ICMP opens no TCP or UDP port.
 */
import type { SecurityGroupRule } from '../inventory/types';

export const WORLD_IPV4 = '0.0.0.0/0';
export const WORLD_IPV6 = '::/0';

export type PortProtocol = 'tcp' | 'udp';

/** A port range that one rule opens to the world, with the source that makes it open. */
export interface OpenRange {
  /** `all` for protocol -1. */
  readonly protocol: PortProtocol | 'all';
  readonly from: number;
  readonly to: number;
  readonly source: string;
}

/** Normalises protocol names and numbers: `6`→tcp, `17`→udp, `-1`/`all`→all. */
export function protocolName(protocol: string): string {
  const p = protocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === '1') return 'icmp';
  if (p === '58') return 'icmpv6';
  return p;
}

/** World sources of a rule (0.0.0.0/0 and ::/0 only; SG and prefix-list sources never count). */
export function worldSources(rule: SecurityGroupRule): string[] {
  return [
    ...rule.ipv4Ranges.filter((c) => c === WORLD_IPV4),
    ...rule.ipv6Ranges.filter((c) => c === WORLD_IPV6),
  ];
}

/** TCP/UDP port ranges the ingress rules open to the world. */
export function openRanges(ingress: readonly SecurityGroupRule[]): OpenRange[] {
  const ranges: OpenRange[] = [];
  for (const rule of ingress) {
    const sources = worldSources(rule);
    if (sources.length === 0) continue;
    const protocol = protocolName(rule.protocol);
    if (protocol !== 'all' && protocol !== 'tcp' && protocol !== 'udp') continue;
    const allPorts =
      protocol === 'all' ||
      rule.fromPort === undefined ||
      rule.toPort === undefined ||
      rule.fromPort === -1 ||
      rule.toPort === -1;
    for (const source of sources) {
      ranges.push({
        protocol,
        from: allPorts ? 0 : rule.fromPort!,
        to: allPorts ? 65535 : rule.toPort!,
        source,
      });
    }
  }
  return ranges;
}

/** True when the range opens `port` over one of `protocols` (protocol -1 opens all of them). */
export function rangeOpens(
  range: OpenRange,
  port: number,
  protocols: readonly PortProtocol[],
): boolean {
  const protocolMatches = range.protocol === 'all' || protocols.includes(range.protocol);
  return protocolMatches && range.from <= port && port <= range.to;
}

/** Ranges opening `port` (TCP or UDP unless narrowed) to the world. */
export function rangesOpening(
  ingress: readonly SecurityGroupRule[],
  port: number,
  protocols: readonly PortProtocol[] = ['tcp', 'udp'],
): OpenRange[] {
  return openRanges(ingress).filter((r) => rangeOpens(r, port, protocols));
}

/** True when every port of the range is in `allowed`. */
function allAllowed(r: OpenRange, allowed: ReadonlySet<number>): boolean {
  if (r.to - r.from + 1 > allowed.size) return false;
  for (let p = r.from; p <= r.to; p += 1) if (!allowed.has(p)) return false;
  return true;
}

/**
 * World-open ranges reaching a port outside the allow-lists (Security Hub's authorizedTcpPorts
 * and authorizedUdpPorts): protocol -1 always does; a TCP or UDP range does unless every port in
 * it is on its protocol's list (80/443 open on a web SG passes with the default TCP list; no UDP
 * port is allowed by default).
 */
export function rangesBeyond(
  ingress: readonly SecurityGroupRule[],
  allowedTcp: readonly number[],
  allowedUdp: readonly number[] = [],
): OpenRange[] {
  const lists = { tcp: new Set(allowedTcp), udp: new Set(allowedUdp) };
  return openRanges(ingress).filter(
    (r) => r.protocol === 'all' || !allAllowed(r, lists[r.protocol]),
  );
}

export function describeRange(r: OpenRange): string {
  const ports =
    r.protocol === 'all'
      ? 'all traffic'
      : `${r.protocol} ${r.from === r.to ? r.from : `${r.from}-${r.to}`}`;
  return `${ports} from ${r.source}`;
}
