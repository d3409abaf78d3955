// A fake AWS on 127.0.0.1 for discovery and preflight, selected the standard
// way (AWS_ENDPOINT_URL): the real SDK clients sign and send real requests in
// each service's own protocol, and this server answers them from a small
// account held in memory:
//
//   EC2        EC2 query (form body, Action=...; XML with lowerCamel names and <item> lists)
//   RDS, IAM, STS   AWS query (form body; XML <Action>Response/<Action>Result)
//   Secrets Manager, ECS, KMS, ECR   AWS JSON 1.1 (X-Amz-Target; JSON; errors as __type)
//   S3         REST-XML, path style (GET / lists buckets, HEAD /<bucket>)
//   a container registry   OCI distribution (HEAD /v2/<repo>/manifests/<ref>, an anonymous bearer token)
//
// Every request is logged as the IAM action it needs (the service comes from
// the SigV4 credential scope), so a test can compare what was called with the
// README's policy. Faults: `deny` an action (each protocol's AccessDenied), or
// `throttle` it n times (each protocol's throttling error).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAccount {
  account: string;
  callerArn: string;
  vpcs: { id: string; cidrs: string[]; name?: string; isDefault?: boolean }[];
  subnets: { id: string; vpcId: string; zone: string; cidr: string; name?: string }[];
  routeTables: { id: string; vpcId: string; main?: boolean; subnets: string[]; routes: { destination: string; gatewayId?: string; natGatewayId?: string }[] }[];
  securityGroups: { id: string; vpcId: string; name: string; ingress: { protocol: string; from?: number; to?: number; cidrs: string[]; groups?: string[] }[] }[];
  secrets: { arn: string; name: string; owningService?: string; value: string; deleted?: boolean }[];
  databases: { id: string; host: string; port: number; engine: string; dbName?: string; username: string; secretArn?: string; securityGroups: string[]; vpcId: string; status: string }[];
  dbClusters: { id: string; host: string; port: number; engine: string; dbName?: string; username: string; securityGroups: string[]; status: string }[];
  ecsClusters: { arn: string; status: string }[];
  keys: { id: string; arn: string; state: string; manager: 'CUSTOMER' | 'AWS'; aliases: string[] }[];
  buckets: { name: string; region: string }[];
  roles: { name: string; arn: string; trust: unknown }[];
  ecrImages: { registryId: string; repository: string; tags: string[] }[];
  /** Images of the OCI registry this server also is (`127.0.0.1:<port>/<repository>:<tag>`). */
  registryImages: { repository: string; tags: string[] }[];
}

export interface Logged {
  /** The IAM action the request needs, e.g. ec2:DescribeVpcs, s3:ListAllMyBuckets. */
  action: string;
  region: string;
  accessKeyId: string;
  /** What the caller sent, parsed (form fields or JSON), for assertions on filters. */
  input: Record<string, unknown>;
  /** The answer: 200, or the error code sent. */
  outcome: string;
}

export interface FakeAws {
  url: string;
  /** host:port, for registry image references. */
  host: string;
  account: FakeAccount;
  log: Logged[];
  deny: Set<string>;
  /** Action → how many more times to answer with throttling. */
  throttle: Map<string, number>;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
export const VPC = 'vpc-0a1b2c3d4e5f67890';
export const OTHER_VPC = 'vpc-0bbbbbbbbbbbbbbbb';
export const SUBNETS = {
  privateA: 'subnet-0123456789abcdef0',
  privateB: 'subnet-0fedcba9876543210',
  privateA2: 'subnet-0aaaaaaaaaaaaaaa2',
  publicA: 'subnet-0cccccccccccccccc',
  isolatedC: 'subnet-0ddddddddddddddd0',
  otherVpc: 'subnet-0eeeeeeeeeeeeeee0',
};
export const DB_HOST = 'metaflow-dev.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com';
export const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:metaflow-dev-db-password-AbCdEf`;
export const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const DISABLED_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000dead-12ab-34cd-56ef-1234567890ab`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/metaflow-dev-ecs-execution`;
export const LAMBDA_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/some-lambda-role`;
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shared`;

/** An account that matches the demo answers (examples/answers.demo.json), with a few traps beside them. */
export function sampleAccount(): FakeAccount {
  const trust = (service: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  return {
    account: ACCOUNT,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/dev`,
    vpcs: [
      { id: VPC, cidrs: ['10.20.0.0/16'], name: 'metaflow-dev' },
      { id: OTHER_VPC, cidrs: ['172.31.0.0/16'], isDefault: true },
    ],
    subnets: [
      { id: SUBNETS.privateA, vpcId: VPC, zone: 'us-east-1a', cidr: '10.20.1.0/24', name: 'private-a' },
      { id: SUBNETS.privateB, vpcId: VPC, zone: 'us-east-1b', cidr: '10.20.2.0/24', name: 'private-b' },
      { id: SUBNETS.privateA2, vpcId: VPC, zone: 'us-east-1a', cidr: '10.20.3.0/24', name: 'private-a2' },
      { id: SUBNETS.publicA, vpcId: VPC, zone: 'us-east-1a', cidr: '10.20.101.0/24', name: 'public-a' },
      { id: SUBNETS.isolatedC, vpcId: VPC, zone: 'us-east-1c', cidr: '10.20.201.0/24', name: 'isolated-c' },
      { id: SUBNETS.otherVpc, vpcId: OTHER_VPC, zone: 'us-east-1b', cidr: '172.31.0.0/20' },
    ],
    routeTables: [
      { id: 'rtb-0000000000000main', vpcId: VPC, main: true, subnets: [], routes: [{ destination: '10.20.0.0/16', gatewayId: 'local' }] },
      { id: 'rtb-00000000000000nat', vpcId: VPC, subnets: [SUBNETS.privateA, SUBNETS.privateB, SUBNETS.privateA2], routes: [{ destination: '10.20.0.0/16', gatewayId: 'local' }, { destination: '0.0.0.0/0', natGatewayId: 'nat-0123456789abcdef0' }] },
      { id: 'rtb-00000000000000igw', vpcId: VPC, subnets: [SUBNETS.publicA], routes: [{ destination: '10.20.0.0/16', gatewayId: 'local' }, { destination: '0.0.0.0/0', gatewayId: 'igw-0123456789abcdef0' }] },
      { id: 'rtb-0000000000000dflt', vpcId: OTHER_VPC, main: true, subnets: [], routes: [{ destination: '0.0.0.0/0', gatewayId: 'igw-0fedcba9876543210' }] },
    ],
    securityGroups: [
      { id: 'sg-0db0000000000000a', vpcId: VPC, name: 'metaflow-dev-db', ingress: [{ protocol: 'tcp', from: 5432, to: 5432, cidrs: ['10.20.0.0/16'] }] },
      { id: 'sg-0db0000000000000b', vpcId: VPC, name: 'closed-db', ingress: [{ protocol: 'tcp', from: 5432, to: 5432, cidrs: ['10.20.1.0/24'] }, { protocol: 'tcp', from: 22, to: 22, cidrs: ['10.20.2.0/24'] }] },
    ],
    secrets: [
      { arn: SECRET_ARN, name: 'metaflow-dev-db-password', value: 'not-json-p4ssw0rd' },
      { arn: RDS_SECRET_ARN, name: 'rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', owningService: 'rds', value: JSON.stringify({ username: 'metaflow', password: 's3cr3t-do-not-print' }) },
      { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:app-json-Zz9Yy8`, name: 'app-json', value: JSON.stringify({ user: 'app', pass: 'hunter2-do-not-print' }) },
      { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:old-Qq1Ww2`, name: 'old', value: 'x', deleted: true },
    ],
    databases: [
      { id: 'metaflow-dev', host: DB_HOST, port: 5432, engine: 'postgres', dbName: 'metaflow', username: 'metaflow', secretArn: RDS_SECRET_ARN, securityGroups: ['sg-0db0000000000000a'], vpcId: VPC, status: 'available' },
      { id: 'closed', host: 'closed.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com', port: 5432, engine: 'postgres', dbName: 'app', username: 'admin', securityGroups: ['sg-0db0000000000000b'], vpcId: VPC, status: 'available' },
      { id: 'legacy-mysql', host: 'legacy.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com', port: 3306, engine: 'mysql', username: 'root', securityGroups: [], vpcId: VPC, status: 'available' },
    ],
    dbClusters: [{ id: 'aurora-md', host: 'aurora-md.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com', port: 5432, engine: 'aurora-postgresql', dbName: 'md', username: 'postgres', securityGroups: ['sg-0db0000000000000a'], status: 'available' }],
    ecsClusters: [
      { arn: CLUSTER_ARN, status: 'ACTIVE' },
      { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/retired`, status: 'INACTIVE' },
    ],
    keys: [
      { id: '1234abcd-12ab-34cd-56ef-1234567890ab', arn: KEY_ARN, state: 'Enabled', manager: 'CUSTOMER', aliases: ['alias/metaflow-datastore'] },
      { id: '0000dead-12ab-34cd-56ef-1234567890ab', arn: DISABLED_KEY_ARN, state: 'Disabled', manager: 'CUSTOMER', aliases: ['alias/old'] },
      { id: 'aaaa0000-12ab-34cd-56ef-1234567890ab', arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/aaaa0000-12ab-34cd-56ef-1234567890ab`, state: 'Enabled', manager: 'AWS', aliases: ['alias/aws/s3'] },
    ],
    buckets: [
      { name: 'metaflow-dev-datastore', region: REGION },
      { name: 'logs-eu', region: 'eu-west-1' },
    ],
    roles: [
      { name: 'metaflow-dev-ecs-execution', arn: ROLE_ARN, trust: trust('ecs-tasks.amazonaws.com') },
      { name: 'some-lambda-role', arn: LAMBDA_ROLE_ARN, trust: trust('lambda.amazonaws.com') },
    ],
    ecrImages: [{ registryId: ACCOUNT, repository: 'metaflow/metadata', tags: ['v2.4.12'] }],
    registryImages: [{ repository: 'netflixoss/metaflow_metadata_service', tags: ['v2.4.12'] }],
  };
}

// ---------------------------------------------------------------------------
// XML and protocol helpers

const esc = (value: unknown): string => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** `{a: 1, b: [..]}` as XML elements; arrays become repeated `member` elements (or the name given). */
type Xml = string | number | boolean | undefined | Xml[] | { [key: string]: Xml } | { $list: Xml[]; $member: string };
function xml(value: Xml): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => xml(item)).join('');
  if (typeof value === 'object') {
    if ('$list' in value && Array.isArray(value.$list)) return value.$list.map((item) => `<${value.$member}>${xml(item)}</${value.$member}>`).join('');
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${xml(v as Xml)}</${k}>`)
      .join('');
  }
  return esc(value);
}
const list = (items: Xml[], member = 'item'): Xml => ({ $list: items, $member: member });

/** Service, region and key id from a SigV4 Authorization header. */
function scope(req: IncomingMessage): { service: string; region: string; accessKeyId: string } {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return { accessKeyId: match?.[1] ?? '', region: match?.[2] ?? '', service: match?.[3] ?? '' };
}

/** Form fields, with EC2's numbered lists folded: Filter.1.Name / Filter.1.Value.1 → Filter: [{Name, Value: [...]}]. */
function form(body: string): Record<string, unknown> {
  const flat = Object.fromEntries(new URLSearchParams(body));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = out;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const last = i === parts.length - 1;
      const index = /^\d+$/.test(part) ? Number(part) - 1 : undefined;
      const slot = (index ?? part) as never;
      if (last) (node as Record<string, unknown>)[slot] = value;
      else {
        const nextIsIndex = /^\d+$/.test(parts[i + 1] as string);
        (node as Record<string, unknown>)[slot] ??= (nextIsIndex ? [] : {}) as never;
        node = (node as Record<string, unknown>)[slot] as Record<string, unknown>;
      }
    }
  }
  return out;
}

const filterValues = (input: Record<string, unknown>, name: string): string[] | undefined => {
  const filters = (input.Filter as { Name: string; Value: string[] }[] | undefined) ?? [];
  const found = filters.find((f) => f?.Name === name);
  return found ? found.Value : undefined;
};

const S3_ACTIONS: Record<string, string> = { ListBuckets: 's3:ListAllMyBuckets', HeadBucket: 's3:ListBucket' };

// ---------------------------------------------------------------------------
// The server

export async function startFakeAws(account: FakeAccount = sampleAccount()): Promise<FakeAws> {
  const log: Logged[] = [];
  const deny = new Set<string>();
  const throttle = new Map<string, number>();
  let host = '';

  const fault = (action: string): 'deny' | 'throttle' | undefined => {
    if (deny.has(action)) return 'deny';
    const left = throttle.get(action) ?? 0;
    if (left > 0) {
      throttle.set(action, left - 1);
      return 'throttle';
    }
    return undefined;
  };

  const send = (res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'fake-request', ...headers });
    res.end(body);
  };

  // ---- EC2 query
  function ec2(action: string, input: Record<string, unknown>): { status: number; body: string } {
    const ok = (inner: string) => ({ status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId>${inner}</${action}Response>` });
    const tags = (name?: string): Xml => (name ? { tagSet: list([{ key: 'Name', value: name }]) } : {});
    const only = <T extends { id: string }>(items: T[], filter: string, key: keyof T = 'id'): T[] => {
      const values = filterValues(input, filter);
      return values ? items.filter((item) => values.includes(String(item[key]))) : items;
    };
    switch (action) {
      case 'DescribeVpcs':
        return ok(xml({ vpcSet: list(only(account.vpcs, 'vpc-id').map((vpc) => ({ vpcId: vpc.id, state: 'available', cidrBlock: vpc.cidrs[0], cidrBlockAssociationSet: list(vpc.cidrs.map((cidr, i) => ({ cidrBlock: cidr, associationId: `vpc-cidr-assoc-${i}`, cidrBlockState: { state: 'associated' } }))), isDefault: vpc.isDefault === true, ...(tags(vpc.name) as object) }))) }));
      case 'DescribeSubnets': {
        let subnets = only(account.subnets, 'subnet-id');
        const vpcs = filterValues(input, 'vpc-id');
        if (vpcs) subnets = subnets.filter((subnet) => vpcs.includes(subnet.vpcId));
        return ok(xml({ subnetSet: list(subnets.map((s) => ({ subnetId: s.id, vpcId: s.vpcId, availabilityZone: s.zone, cidrBlock: s.cidr, state: 'available', ...(tags(s.name) as object) }))) }));
      }
      case 'DescribeRouteTables': {
        const vpcs = filterValues(input, 'vpc-id');
        const tables = account.routeTables.filter((table) => !vpcs || vpcs.includes(table.vpcId));
        return ok(
          xml({
            routeTableSet: list(
              tables.map((t) => ({
                routeTableId: t.id,
                vpcId: t.vpcId,
                associationSet: list([...(t.main ? [{ routeTableAssociationId: `rtbassoc-${t.id}`, main: true }] : []), ...t.subnets.map((subnet) => ({ routeTableAssociationId: `rtbassoc-${subnet}`, subnetId: subnet, main: false }))]),
                routeSet: list(t.routes.map((r) => ({ destinationCidrBlock: r.destination, gatewayId: r.gatewayId, natGatewayId: r.natGatewayId, state: 'active' }))),
              })),
            ),
          }),
        );
      }
      case 'DescribeSecurityGroups': {
        const groups = only(account.securityGroups, 'group-id');
        return ok(
          xml({
            securityGroupInfo: list(
              groups.map((g) => ({
                groupId: g.id,
                groupName: g.name,
                vpcId: g.vpcId,
                ipPermissions: list(g.ingress.map((p) => ({ ipProtocol: p.protocol, fromPort: p.from, toPort: p.to, ipRanges: list(p.cidrs.map((cidr) => ({ cidrIp: cidr }))), groups: list((p.groups ?? []).map((id) => ({ groupId: id }))) }))),
              })),
            ),
          }),
        );
      }
      default:
        return { status: 400, body: ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`) };
    }
  }
  const ec2Error = (code: string, message: string): string => `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>${esc(message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`;

  // ---- AWS query (RDS, IAM, STS)
  const queryOk = (action: string, ns: string, result: Xml): string =>
    `<${action}Response xmlns="${ns}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`;
  const queryError = (code: string, message: string): string => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`;

  function query(service: string, action: string, input: Record<string, unknown>): { status: number; body: string } {
    if (service === 'sts' && action === 'GetCallerIdentity') return { status: 200, body: queryOk(action, 'https://sts.amazonaws.com/doc/2011-06-15/', { Arn: account.callerArn, UserId: 'AIDAFAKE', Account: account.account }) };
    if (service === 'iam' && action === 'GetRole') {
      const role = account.roles.find((r) => r.name === input.RoleName);
      if (!role) return { status: 404, body: queryError('NoSuchEntity', `The role with name ${String(input.RoleName)} cannot be found.`) };
      return { status: 200, body: queryOk(action, 'https://iam.amazonaws.com/doc/2010-05-08/', { Role: { Path: '/', RoleName: role.name, RoleId: 'AROAFAKE', Arn: role.arn, CreateDate: '2024-01-01T00:00:00Z', AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(role.trust)) } }) };
    }
    const ns = 'http://rds.amazonaws.com/doc/2014-10-31/';
    if (service === 'rds' && action === 'DescribeDBInstances') {
      return {
        status: 200,
        body: queryOk(action, ns, {
          DBInstances: list(
            account.databases.map((db) => ({
              DBInstanceIdentifier: db.id,
              Engine: db.engine,
              DBInstanceStatus: db.status,
              MasterUsername: db.username,
              DBName: db.dbName,
              Endpoint: { Address: db.host, Port: db.port },
              VpcSecurityGroups: list(db.securityGroups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })), 'VpcSecurityGroupMembership'),
              DBSubnetGroup: { DBSubnetGroupName: 'default', VpcId: db.vpcId },
              MasterUserSecret: db.secretArn ? { SecretArn: db.secretArn, SecretStatus: 'active' } : undefined,
            })),
            'DBInstance',
          ),
        }),
      };
    }
    if (service === 'rds' && action === 'DescribeDBClusters') {
      return {
        status: 200,
        body: queryOk(action, ns, {
          DBClusters: list(
            account.dbClusters.map((c) => ({
              DBClusterIdentifier: c.id,
              Engine: c.engine,
              Status: c.status,
              MasterUsername: c.username,
              DatabaseName: c.dbName,
              Endpoint: c.host,
              Port: c.port,
              VpcSecurityGroups: list(c.securityGroups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })), 'VpcSecurityGroupMembership'),
            })),
            'DBCluster',
          ),
        }),
      };
    }
    return { status: 400, body: queryError('InvalidAction', `${action} is not known here`) };
  }

  // ---- AWS JSON 1.1 (Secrets Manager, ECS, KMS, ECR)
  function json(service: string, action: string, input: Record<string, any>): { status: number; body: unknown } {
    const notFound = (type: string, message: string) => ({ status: 400, body: { __type: type, message } });
    switch (`${service}:${action}`) {
      case 'secretsmanager:ListSecrets':
        return { status: 200, body: { SecretList: account.secrets.filter((s) => !s.deleted).map((s) => ({ ARN: s.arn, Name: s.name, OwningService: s.owningService })) } };
      case 'secretsmanager:DescribeSecret': {
        const secret = account.secrets.find((s) => s.arn === input.SecretId || s.name === input.SecretId);
        if (!secret) return notFound('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return { status: 200, body: { ARN: secret.arn, Name: secret.name, OwningService: secret.owningService, ...(secret.deleted ? { DeletedDate: 1_700_000_000 } : {}) } };
      }
      case 'secretsmanager:GetSecretValue': {
        const secret = account.secrets.find((s) => s.arn === input.SecretId);
        if (!secret) return notFound('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        return { status: 200, body: { ARN: secret.arn, Name: secret.name, SecretString: secret.value, VersionId: 'v1' } };
      }
      case 'ecs:ListClusters':
        return { status: 200, body: { clusterArns: account.ecsClusters.map((c) => c.arn) } };
      case 'ecs:DescribeClusters': {
        const wanted = (input.clusters as string[]) ?? [];
        const found = account.ecsClusters.filter((c) => wanted.includes(c.arn));
        return { status: 200, body: { clusters: found.map((c) => ({ clusterArn: c.arn, clusterName: c.arn.split('/').pop(), status: c.status })), failures: wanted.filter((arn) => !found.some((c) => c.arn === arn)).map((arn) => ({ arn, reason: 'MISSING' })) } };
      }
      case 'kms:ListKeys':
        return { status: 200, body: { Keys: account.keys.map((k) => ({ KeyId: k.id, KeyArn: k.arn })), Truncated: false } };
      case 'kms:ListAliases':
        return { status: 200, body: { Aliases: account.keys.flatMap((k) => k.aliases.map((alias) => ({ AliasName: alias, AliasArn: `arn:aws:kms:${REGION}:${account.account}:${alias}`, TargetKeyId: k.id }))), Truncated: false } };
      case 'kms:DescribeKey': {
        const key = account.keys.find((k) => k.arn === input.KeyId || k.id === input.KeyId);
        if (!key) return notFound('NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
        return { status: 200, body: { KeyMetadata: { KeyId: key.id, Arn: key.arn, KeyState: key.state, Enabled: key.state === 'Enabled', KeyManager: key.manager, AWSAccountId: account.account } } };
      }
      case 'ecr:DescribeImages': {
        const repo = account.ecrImages.find((r) => r.repository === input.repositoryName && r.registryId === (input.registryId ?? account.account));
        if (!repo) return notFound('RepositoryNotFoundException', `The repository with name '${String(input.repositoryName)}' does not exist in the registry with id '${String(input.registryId)}'`);
        const tag = (input.imageIds as { imageTag?: string }[])[0]?.imageTag;
        if (tag && !repo.tags.includes(tag)) return notFound('ImageNotFoundException', `The image with imageId {imageDigest:'null', imageTag:'${tag}'} does not exist within the repository with name '${repo.repository}' in the registry with id '${repo.registryId}'`);
        return { status: 200, body: { imageDetails: [{ registryId: repo.registryId, repositoryName: repo.repository, imageTags: tag ? [tag] : repo.tags, imageDigest: 'sha256:0' }] } };
      }
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: `${action} is not known here` } };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const who = scope(req);

    // The OCI registry (no SigV4).
    if (url.pathname === '/token') return send(res, 200, 'application/json', JSON.stringify({ token: 'anonymous-token' }));
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest && !req.headers.authorization?.startsWith('AWS4')) {
      log.push({ action: 'registry:HEAD manifest', region: '', accessKeyId: '', input: { repository: manifest[1], reference: manifest[2] }, outcome: '' });
      if (req.headers.authorization !== 'Bearer anonymous-token') {
        return send(res, 401, 'application/json', '{}', { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake-registry",scope="repository:${manifest[1]}:pull"` });
      }
      const image = account.registryImages.find((i) => i.repository === manifest[1]);
      return send(res, image?.tags.includes(manifest[2] as string) ? 200 : 404, 'application/vnd.oci.image.index.v1+json', '');
    }

    const target = req.headers['x-amz-target'];
    let action: string;
    let input: Record<string, unknown>;
    let protocol: 'ec2' | 'query' | 'json' | 's3';
    if (typeof target === 'string') {
      protocol = 'json';
      action = target.split('.').pop() as string;
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } else if (who.service === 's3') {
      protocol = 's3';
      action = req.method === 'HEAD' ? 'HeadBucket' : 'ListBuckets';
      input = { path: url.pathname, query: Object.fromEntries(url.searchParams) };
    } else {
      input = form(body);
      action = String(input.Action ?? '');
      protocol = who.service === 'ec2' ? 'ec2' : 'query';
    }
    const iamAction = protocol === 's3' ? (S3_ACTIONS[action] as string) : `${who.service}:${action}`;
    const entry: Logged = { action: iamAction, region: who.region, accessKeyId: who.accessKeyId, input, outcome: '200' };
    log.push(entry);

    const problem = fault(iamAction);
    if (problem) {
      const [code, status] =
        problem === 'deny'
          ? ({ ec2: ['UnauthorizedOperation', 403], query: ['AccessDenied', 403], json: ['AccessDeniedException', 400], s3: ['AccessDenied', 403] } as const)[protocol]
          : ({ ec2: ['RequestLimitExceeded', 503], query: ['Throttling', 400], json: ['ThrottlingException', 400], s3: ['SlowDown', 503] } as const)[protocol];
      entry.outcome = code;
      const message = problem === 'deny' ? `User: ${account.callerArn} is not authorized to perform: ${iamAction} because no identity-based policy allows the ${iamAction} action` : 'Rate exceeded';
      if (protocol === 'json') return send(res, status, 'application/x-amz-json-1.1', JSON.stringify({ __type: code, message }));
      if (protocol === 'ec2') return send(res, status, 'text/xml', ec2Error(code, message));
      if (protocol === 's3') return send(res, status, 'application/xml', req.method === 'HEAD' ? '' : `<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`);
      return send(res, status, 'text/xml', queryError(code, message));
    }

    if (protocol === 'json') {
      const out = json(who.service, action, input as Record<string, any>);
      if (out.status !== 200) entry.outcome = String((out.body as { __type: string }).__type);
      return send(res, out.status, 'application/x-amz-json-1.1', JSON.stringify(out.body));
    }
    if (protocol === 'ec2' || protocol === 'query') {
      const out = protocol === 'ec2' ? ec2(action, input) : query(who.service, action, input);
      if (out.status !== 200) entry.outcome = /<Code>([^<]+)<\/Code>/.exec(out.body)?.[1] ?? String(out.status);
      return send(res, out.status, 'text/xml', out.body);
    }
    // S3, path style: GET / lists the buckets, HEAD /<bucket> tells whether one exists and where.
    if (action === 'ListBuckets') {
      const buckets = account.buckets.map((b) => ({ Name: b.name, CreationDate: '2024-01-01T00:00:00.000Z', BucketRegion: b.region }));
      return send(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>fake</ID></Owner><Buckets>${xml(list(buckets, 'Bucket'))}</Buckets></ListAllMyBucketsResult>`);
    }
    const name = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    const bucket = account.buckets.find((b) => b.name === name);
    if (!bucket) {
      entry.outcome = 'NotFound';
      return send(res, 404, 'application/xml', '');
    }
    return send(res, 200, 'application/xml', '', { 'x-amz-bucket-region': bucket.region });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}`,
    host,
    account,
    log,
    deny,
    throttle,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The environment that points the SDK at the fake: its endpoint, static keys, a region, no metadata service. */
export function fakeAwsEnv(fake: FakeAws, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-key',
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
