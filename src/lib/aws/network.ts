// Pure readings of a VPC's network, as AWS describes it: whether a subnet
// reaches the internet (and how), and whether security group rules admit a
// port from a set of CIDR blocks. No AWS calls here; unit-tested.
import ipaddr from 'ipaddr.js';

export interface RouteTableView {
  id: string;
  /** Subnets explicitly associated with the table. */
  subnets: readonly string[];
  /** The VPC's main table (it serves every subnet without an explicit association). */
  main: boolean;
  routes: readonly { destination?: string; gatewayId?: string; natGatewayId?: string; transitGatewayId?: string; instanceId?: string; networkInterfaceId?: string; vpcEndpointId?: string; peeringId?: string; state?: string }[];
}

/** How a subnet reaches the internet: an internet gateway (public), a NAT or other default route (private with egress), or not at all. */
export type Reach = 'public' | 'private' | 'isolated';

/** The route table that serves a subnet: its explicit association, else the main table. */
export function tableOf(subnetId: string, tables: readonly RouteTableView[]): RouteTableView | undefined {
  return tables.find((table) => table.subnets.includes(subnetId)) ?? tables.find((table) => table.main);
}

/** Whether a subnet is public (default route to an internet gateway), private (a default route elsewhere: NAT, transit gateway, ...) or isolated (none). */
export function reachOf(subnetId: string, tables: readonly RouteTableView[]): Reach {
  const table = tableOf(subnetId, tables);
  const defaults = (table?.routes ?? []).filter((route) => (route.destination === '0.0.0.0/0' || route.destination === '::/0') && route.state !== 'blackhole');
  if (defaults.some((route) => route.gatewayId?.startsWith('igw-'))) return 'public';
  return defaults.length > 0 ? 'private' : 'isolated';
}

export interface IngressRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidrs: readonly string[];
  groups: readonly string[];
}

/** Whether a rule lets TCP traffic to `port` in (protocol -1 is every protocol and port). */
export function coversPort(rule: IngressRule, port: number): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== '6') return false;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** Whether IPv4 block `inner` lies inside block `outer` (both CIDR notation); false for anything unparsable. */
export function cidrInside(inner: string, outer: string): boolean {
  try {
    const [innerAddress, innerBits] = ipaddr.parseCIDR(inner);
    const [outerAddress, outerBits] = ipaddr.parseCIDR(outer);
    if (innerAddress.kind() !== outerAddress.kind()) return false;
    return innerBits >= outerBits && innerAddress.match([outerAddress, outerBits]);
  } catch {
    return false;
  }
}

/** The CIDR blocks of `sources` that no rule admits to `port` (empty: all are admitted). */
export function notAdmitted(rules: readonly IngressRule[], port: number, sources: readonly string[]): string[] {
  const open = rules.filter((rule) => coversPort(rule, port));
  return sources.filter((source) => !open.some((rule) => rule.cidrs.some((cidr) => cidrInside(source, cidr))));
}
