// What discovery and preflight read from the account, read-only, as plain
// records: VPCs, subnets (zone, and how they reach the internet), route
// tables, security groups, secrets, RDS databases, ECS clusters, KMS keys, S3
// buckets. Each read names its IAM action and returns a Result (never throws).
// The README's policy lists exactly the actions used here and in preflight.ts.
import type { Tag } from '@aws-sdk/client-ec2';
import { allPages, type Aws, type Result } from './clients.js';
import { reachOf, type IngressRule, type Reach, type RouteTableView } from './network.js';

export interface VpcView {
  id: string;
  name?: string;
  /** The VPC's associated IPv4 CIDR blocks. */
  cidrs: string[];
  isDefault: boolean;
}

export interface SubnetView {
  id: string;
  vpcId: string;
  zone: string;
  cidr: string;
  name?: string;
  /** public, private or isolated, from its route table (undefined when route tables could not be read). */
  reach?: Reach;
}

export interface SecretView {
  arn: string;
  name: string;
  /** `rds` for a secret RDS manages (JSON: username, password, ...). */
  owningService?: string;
  kmsKeyId?: string;
  deleted: boolean;
}

export interface DatabaseView {
  kind: 'instance' | 'cluster';
  id: string;
  host: string;
  port: number;
  engine: string;
  databaseName?: string;
  username?: string;
  /** The master user secret RDS manages, when it does. */
  secretArn?: string;
  securityGroups: string[];
  vpcId?: string;
  status?: string;
}

export interface KeyView {
  arn: string;
  id: string;
  aliases: string[];
  state?: string;
  manager?: string;
}

export interface BucketView {
  name: string;
  region?: string;
}

export interface SecurityGroupView {
  id: string;
  name?: string;
  vpcId?: string;
  ingress: IngressRule[];
}

const nameTag = (tags: readonly Tag[] | undefined): string | undefined => tags?.find((tag) => tag.Key === 'Name')?.Value || undefined;

const map = <A, B>(result: Result<A>, f: (value: A) => B): Result<B> => (result.ok ? { ok: true, value: f(result.value) } : result);

export async function readVpcs(aws: Aws, ids?: readonly string[]): Promise<Result<VpcView[]>> {
  const { m, client } = await aws.ec2();
  const filters = ids ? [{ Name: 'vpc-id', Values: [...ids] }] : undefined;
  const found = await allPages(
    (NextToken) => aws.call('ec2:DescribeVpcs', () => client.send(new m.DescribeVpcsCommand({ Filters: filters, NextToken }))),
    (page) => page.Vpcs,
    (page) => page.NextToken,
  );
  return map(found, (vpcs) =>
    vpcs.map((vpc) => ({
      id: vpc.VpcId ?? '',
      name: nameTag(vpc.Tags),
      cidrs: (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === 'associated' || a.CidrBlockState === undefined).map((a) => a.CidrBlock ?? '').filter(Boolean),
      isDefault: vpc.IsDefault === true,
    })),
  );
}

/** The route tables of these VPCs, each with the VPC it belongs to. */
export async function readRouteTables(aws: Aws, vpcIds: readonly string[]): Promise<Result<(RouteTableView & { vpcId: string })[]>> {
  const { m, client } = await aws.ec2();
  const found = await allPages(
    (NextToken) => aws.call('ec2:DescribeRouteTables', () => client.send(new m.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [...vpcIds] }], NextToken }))),
    (page) => page.RouteTables,
    (page) => page.NextToken,
  );
  return map(found, (tables) =>
    tables.map((table) => ({
      id: table.RouteTableId ?? '',
      vpcId: table.VpcId ?? '',
      subnets: (table.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
      main: (table.Associations ?? []).some((a) => a.Main === true),
      routes: (table.Routes ?? []).map((route) => ({
        destination: route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock,
        gatewayId: route.GatewayId,
        natGatewayId: route.NatGatewayId,
        transitGatewayId: route.TransitGatewayId,
        state: route.State,
      })),
    })),
  );
}

/** Subnets of a VPC, the subnets named (whatever their VPC), or all of the region's, each with how it reaches the internet. */
export async function readSubnets(aws: Aws, where: { vpcId: string } | { ids: readonly string[] } | 'all'): Promise<Result<SubnetView[]>> {
  const { m, client } = await aws.ec2();
  const filters = where === 'all' ? undefined : 'vpcId' in where ? [{ Name: 'vpc-id', Values: [where.vpcId] }] : [{ Name: 'subnet-id', Values: [...where.ids] }];
  const found = await allPages(
    (NextToken) => aws.call('ec2:DescribeSubnets', () => client.send(new m.DescribeSubnetsCommand({ Filters: filters, NextToken }))),
    (page) => page.Subnets,
    (page) => page.NextToken,
  );
  if (!found.ok) return found;
  const subnets: SubnetView[] = found.value.map((subnet) => ({ id: subnet.SubnetId ?? '', vpcId: subnet.VpcId ?? '', zone: subnet.AvailabilityZone ?? '', cidr: subnet.CidrBlock ?? '', name: nameTag(subnet.Tags) }));
  // How each reaches the internet: its VPC's route tables, in one call (a refused read leaves it unknown).
  const vpcIds = [...new Set(subnets.map((subnet) => subnet.vpcId))];
  if (vpcIds.length === 0) return { ok: true, value: subnets };
  const tables = await readRouteTables(aws, vpcIds);
  if (tables.ok) for (const subnet of subnets) subnet.reach = reachOf(subnet.id, tables.value.filter((table) => table.vpcId === subnet.vpcId));
  return { ok: true, value: subnets };
}

export async function readSecurityGroups(aws: Aws, ids: readonly string[]): Promise<Result<SecurityGroupView[]>> {
  const { m, client } = await aws.ec2();
  const found = await allPages(
    (NextToken) => aws.call('ec2:DescribeSecurityGroups', () => client.send(new m.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [...ids] }], NextToken }))),
    (page) => page.SecurityGroups,
    (page) => page.NextToken,
  );
  return map(found, (groups) =>
    groups.map((group) => ({
      id: group.GroupId ?? '',
      name: group.GroupName,
      vpcId: group.VpcId,
      ingress: (group.IpPermissions ?? []).map((p) => ({
        protocol: p.IpProtocol ?? '-1',
        fromPort: p.FromPort,
        toPort: p.ToPort,
        cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
        groups: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
      })),
    })),
  );
}

export async function readSecrets(aws: Aws): Promise<Result<SecretView[]>> {
  const { m, client } = await aws.secrets();
  const found = await allPages(
    (NextToken) => aws.call('secretsmanager:ListSecrets', () => client.send(new m.ListSecretsCommand({ NextToken, MaxResults: 100 }))),
    (page) => page.SecretList,
    (page) => page.NextToken,
  );
  return map(found, (secrets) =>
    secrets.map((s) => ({ arn: s.ARN ?? '', name: s.Name ?? '', owningService: s.OwningService, kmsKeyId: s.KmsKeyId, deleted: s.DeletedDate !== undefined })),
  );
}

/** One secret's description (no value): not-found when it does not exist. */
export async function readSecret(aws: Aws, arn: string): Promise<Result<SecretView>> {
  const { m, client } = await aws.secrets();
  const found = await aws.call('secretsmanager:DescribeSecret', () => client.send(new m.DescribeSecretCommand({ SecretId: arn })));
  return map(found, (s) => ({ arn: s.ARN ?? arn, name: s.Name ?? '', owningService: s.OwningService, kmsKeyId: s.KmsKeyId, deleted: s.DeletedDate !== undefined }));
}

/** The JSON keys of a secret's current value; the value itself never leaves this function. `undefined` keys: not JSON. */
export async function readSecretKeys(aws: Aws, arn: string): Promise<Result<{ keys?: string[] }>> {
  const { m, client } = await aws.secrets();
  const found = await aws.call('secretsmanager:GetSecretValue', () => client.send(new m.GetSecretValueCommand({ SecretId: arn })));
  return map(found, (value) => {
    try {
      const parsed: unknown = JSON.parse(value.SecretString ?? '');
      return { keys: parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : undefined };
    } catch {
      return { keys: undefined };
    }
  });
}

/** RDS instances and Aurora clusters of the region, with what the prompts suggest from them. */
export async function readDatabases(aws: Aws): Promise<Result<DatabaseView[]>> {
  const { m, client } = await aws.rds();
  const [instances, clusters] = await Promise.all([
    allPages(
      (Marker) => aws.call('rds:DescribeDBInstances', () => client.send(new m.DescribeDBInstancesCommand({ Marker }))),
      (page) => page.DBInstances,
      (page) => page.Marker,
    ),
    allPages(
      (Marker) => aws.call('rds:DescribeDBClusters', () => client.send(new m.DescribeDBClustersCommand({ Marker }))),
      (page) => page.DBClusters,
      (page) => page.Marker,
    ),
  ]);
  if (!instances.ok) return instances;
  const found: DatabaseView[] = instances.value
    .filter((db) => db.Endpoint?.Address && !db.DBClusterIdentifier)
    .map((db) => ({
      kind: 'instance' as const,
      id: db.DBInstanceIdentifier ?? '',
      host: db.Endpoint?.Address ?? '',
      port: db.Endpoint?.Port ?? 5432,
      engine: db.Engine ?? '',
      databaseName: db.DBName,
      username: db.MasterUsername,
      secretArn: db.MasterUserSecret?.SecretArn,
      securityGroups: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
      vpcId: db.DBSubnetGroup?.VpcId,
      status: db.DBInstanceStatus,
    }));
  // Clusters are a second call: a refusal of it leaves the instances.
  if (clusters.ok) {
    const vpcOf = new Map(instances.value.filter((db) => db.DBClusterIdentifier).map((db) => [db.DBClusterIdentifier, db.DBSubnetGroup?.VpcId]));
    for (const cluster of clusters.value) {
      if (!cluster.Endpoint) continue;
      found.push({
        kind: 'cluster',
        id: cluster.DBClusterIdentifier ?? '',
        host: cluster.Endpoint,
        port: cluster.Port ?? 5432,
        engine: cluster.Engine ?? '',
        databaseName: cluster.DatabaseName,
        username: cluster.MasterUsername,
        secretArn: cluster.MasterUserSecret?.SecretArn,
        securityGroups: (cluster.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? '').filter(Boolean),
        vpcId: vpcOf.get(cluster.DBClusterIdentifier),
        status: cluster.Status,
      });
    }
  }
  return { ok: true, value: found.filter((db) => /postgres/i.test(db.engine)).sort((a, b) => a.id.localeCompare(b.id)) };
}

export async function readClusters(aws: Aws): Promise<Result<string[]>> {
  const { m, client } = await aws.ecs();
  return allPages(
    (nextToken) => aws.call('ecs:ListClusters', () => client.send(new m.ListClustersCommand({ nextToken }))),
    (page) => page.clusterArns,
    (page) => page.nextToken,
  );
}

export async function readCluster(aws: Aws, arn: string): Promise<Result<{ status?: string; missing: boolean }>> {
  const { m, client } = await aws.ecs();
  const found = await aws.call('ecs:DescribeClusters', () => client.send(new m.DescribeClustersCommand({ clusters: [arn] })));
  return map(found, (page) => {
    const cluster = page.clusters?.[0];
    return { status: cluster?.status, missing: cluster === undefined || (page.failures ?? []).some((f) => f.reason === 'MISSING') };
  });
}

/** The customer keys of the region with their aliases (AWS-managed aliases left out), and each key's state. */
export async function readKeys(aws: Aws): Promise<Result<KeyView[]>> {
  const { m, client } = await aws.kms();
  const [keys, aliases] = await Promise.all([
    allPages(
      (Marker) => aws.call('kms:ListKeys', () => client.send(new m.ListKeysCommand({ Marker }))),
      (page) => page.Keys,
      (page) => (page.Truncated ? page.NextMarker : undefined),
    ),
    allPages(
      (Marker) => aws.call('kms:ListAliases', () => client.send(new m.ListAliasesCommand({ Marker }))),
      (page) => page.Aliases,
      (page) => (page.Truncated ? page.NextMarker : undefined),
    ),
  ]);
  if (!keys.ok) return keys;
  const byKey = new Map<string, string[]>();
  for (const alias of aliases.ok ? aliases.value : []) {
    if (!alias.TargetKeyId || alias.AliasName?.startsWith('alias/aws/')) continue;
    byKey.set(alias.TargetKeyId, [...(byKey.get(alias.TargetKeyId) ?? []), alias.AliasName ?? '']);
  }
  const views: KeyView[] = keys.value.map((key) => ({ arn: key.KeyArn ?? '', id: key.KeyId ?? '', aliases: byKey.get(key.KeyId ?? '') ?? [] }));
  // State and manager of the first keys (one call each): disabled and AWS-managed keys are marked.
  await Promise.all(
    views.slice(0, 25).map(async (view) => {
      const described = await readKey(aws, view.arn);
      if (described.ok) Object.assign(view, { state: described.value.state, manager: described.value.manager });
    }),
  );
  return { ok: true, value: views.filter((view) => view.manager !== 'AWS') };
}

export async function readKey(aws: Aws, arn: string): Promise<Result<{ state?: string; manager?: string; arn?: string }>> {
  const { m, client } = await aws.kms();
  const found = await aws.call('kms:DescribeKey', () => client.send(new m.DescribeKeyCommand({ KeyId: arn })));
  return map(found, (page) => ({ state: page.KeyMetadata?.KeyState, manager: page.KeyMetadata?.KeyManager, arn: page.KeyMetadata?.Arn }));
}

export async function readBuckets(aws: Aws): Promise<Result<BucketView[]>> {
  const { m, client } = await aws.s3();
  const found = await allPages(
    (ContinuationToken) => aws.call('s3:ListAllMyBuckets', () => client.send(new m.ListBucketsCommand({ ContinuationToken, MaxBuckets: 1000 }))),
    (page) => page.Buckets,
    (page) => page.ContinuationToken,
  );
  return map(found, (buckets) => buckets.map((bucket) => ({ name: bucket.Name ?? '', region: bucket.BucketRegion })));
}

/** Whether a bucket exists and this caller may list it (HeadBucket needs s3:ListBucket), and its region. */
export async function readBucket(aws: Aws, name: string): Promise<Result<{ region?: string }>> {
  const { m, client } = await aws.s3();
  const found = await aws.call('s3:ListBucket', () => client.send(new m.HeadBucketCommand({ Bucket: name })));
  return map(found, (page) => ({ region: page.BucketRegion }));
}

/** A role's trust policy (decoded JSON text). */
export async function readRole(aws: Aws, name: string): Promise<Result<{ trust: string }>> {
  const { m, client } = await aws.iam();
  const found = await aws.call('iam:GetRole', () => client.send(new m.GetRoleCommand({ RoleName: name })));
  return map(found, (page) => ({ trust: decodeURIComponent(page.Role?.AssumeRolePolicyDocument ?? '') }));
}

/** Whether an ECR repository of the account holds the image (a tag or a sha256 digest). */
export async function readEcrImage(aws: Aws, registryId: string, repository: string, reference: string): Promise<Result<boolean>> {
  const { m, client } = await aws.ecr();
  const imageId = reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference };
  const found = await aws.call('ecr:DescribeImages', () => client.send(new m.DescribeImagesCommand({ registryId, repositoryName: repository, imageIds: [imageId] })));
  return map(found, (page) => (page.imageDetails ?? []).length > 0);
}
