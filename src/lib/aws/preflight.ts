// Preflight: an answers set checked against the AWS account, read-only, before
// terraform apply finds out half-way through. Each finding names the answer,
// what AWS said and the fix. A call AWS refuses (AccessDenied), throttles past
// the SDK's retries or cannot be reached skips that check with a note; the
// others still run. The secret's value is read only with consent, and only its
// JSON keys leave the read (never a value).
import type { Answers } from '../inputs/catalogue.js';
import { readBucket, readCluster, readDatabases, readEcrImage, readKey, readRole, readSecret, readSecretKeys, readSecurityGroups, readSubnets, readVpcs, type DatabaseView, type SubnetView } from './account.js';
import type { Aws, Identity, Result } from './clients.js';
import { remedy, type AwsProblem } from './errors.js';
import { askRegistry, parseImage } from './image.js';
import { notAdmitted } from './network.js';

export type Level = 'ok' | 'blocking' | 'warning' | 'skipped';

export interface Finding {
  /** The answer the finding is about (or `(credentials)`, `(region)`). */
  answer: string;
  level: Level;
  /** What AWS said, or what was found. */
  said: string;
  /** What to do (blocking, warning and skipped findings). */
  fix?: string;
}

export interface PreflightOptions {
  /** Whether the secret's value may be read to check its JSON key: asked only when that check needs it. */
  readSecret: () => Promise<boolean>;
  /** The caller, when already known (discovery asked). */
  identity?: Identity;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A refused, throttled or unreachable call: that check is skipped, saying why and what would let it run. */
const skipped = (answer: string, result: { problem: AwsProblem; action: string }): Finding => ({
  answer,
  level: 'skipped',
  said: `not checked: ${result.action} ${result.problem.kind === 'denied' ? 'was refused' : result.problem.kind === 'throttled' ? 'was throttled' : 'failed'} (${result.problem.code}: ${result.problem.message})`,
  fix: remedy(result.problem, result.action),
});

const subnetText = (subnet: SubnetView): string => `${subnet.id}${subnet.name ? ` (${subnet.name})` : ''}: ${subnet.zone}${subnet.reach ? `, ${subnet.reach}` : ''}, ${subnet.cidr}`;

/** Whether a trust policy lets ECS tasks assume the role. */
export function trustsEcsTasks(policy: string): boolean {
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
  return list(parsed.Statement as Record<string, unknown> | Record<string, unknown>[]).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const actions = list(statement.Action as string | string[]);
    if (!actions.some((action) => ['sts:AssumeRole', 'sts:*', '*'].includes(action))) return false;
    const principal = statement.Principal as { Service?: string | string[] } | string | undefined;
    return principal === '*' || list(typeof principal === 'object' ? principal.Service : undefined).includes('ecs-tasks.amazonaws.com');
  });
}

/** The account of an ARN (its fifth field), when it has one. */
const accountOf = (arn: unknown): string | undefined => (typeof arn === 'string' ? arn.split(':')[4] || undefined : undefined);

/** Every check of an answers set; the findings in the order of the answers. */
export async function preflight(answers: Answers, aws: Aws, options: PreflightOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  let identity = options.identity;
  if (!identity) {
    const who = await aws.identity();
    if (!who.ok) {
      return [{ answer: '(credentials)', level: 'blocking', said: `nothing could be checked: ${who.problem.code}: ${who.problem.message}`, fix: remedy(who.problem, undefined, aws.profile) }];
    }
    identity = who.value;
  }
  const configured = await aws.configuredRegion();
  if (configured && configured !== aws.region) {
    findings.push({
      answer: 'aws_region',
      level: 'warning',
      said: `your ${aws.profile ? `profile ${aws.profile}` : 'AWS configuration'} names region ${configured}; these checks read ${aws.region}, the answers' region`,
      fix: `nothing, if ${aws.region} is where the module goes; otherwise change aws_region`,
    });
  }
  for (const name of ['database_password_secret_manager_arn', 'datastore_s3_bucket_kms_key_arn', 'ecs_cluster_id', 'fargate_execution_role_arn']) {
    const account = accountOf(answers[name]);
    if (account && account !== identity.account) {
      findings.push({ answer: name, level: 'warning', said: `is in account ${account}; the credentials are of account ${identity.account}`, fix: 'use credentials of the account the module deploys into, or an ARN of that account' });
    }
  }

  const vpcId = String(answers.metaflow_vpc_id);
  const subnetIds = [String(answers.subnet1_id), String(answers.subnet2_id)];
  const [network, secret, key, bucket, cluster, role, database, image] = await Promise.all([
    checkNetwork(answers, aws, vpcId, subnetIds),
    checkSecret(answers, aws, options),
    checkKey(answers, aws),
    checkBucket(answers, aws),
    checkCluster(answers, aws),
    checkRole(answers, aws),
    readDatabases(aws),
    checkImage(answers, aws, identity),
  ]);
  findings.push(...network.findings, ...secret, ...key, ...bucket, ...cluster, ...role);
  findings.push(...(await checkDatabase(answers, aws, database, network.subnets)));
  findings.push(...image);
  return findings;
}

async function checkNetwork(answers: Answers, aws: Aws, vpcId: string, subnetIds: string[]): Promise<{ findings: Finding[]; subnets?: SubnetView[] }> {
  const findings: Finding[] = [];
  const vpcs = await readVpcs(aws, [vpcId]);
  if (!vpcs.ok) findings.push(skipped('metaflow_vpc_id', vpcs));
  else if (vpcs.value.length === 0) {
    const others = await readVpcs(aws);
    const list = others.ok ? others.value.map((vpc) => `${vpc.id}${vpc.name ? ` (${vpc.name})` : ''}`).slice(0, 5).join(', ') : '';
    findings.push({ answer: 'metaflow_vpc_id', level: 'blocking', said: `${vpcId} does not exist in ${aws.region}`, fix: list ? `choose a VPC of ${aws.region}: ${list}` : `create the VPC first, or check aws_region` });
  } else {
    const vpc = vpcs.value[0]!;
    findings.push({ answer: 'metaflow_vpc_id', level: 'ok', said: `${vpc.id}${vpc.name ? ` (${vpc.name})` : ''} exists: ${vpc.cidrs.join(', ')}` });
    const blocks = Array.isArray(answers.vpc_cidr_blocks) ? answers.vpc_cidr_blocks : [];
    const foreign = blocks.filter((block) => !vpc.cidrs.includes(block));
    if (foreign.length > 0) {
      findings.push({ answer: 'vpc_cidr_blocks', level: 'warning', said: `${foreign.join(', ')} ${foreign.length === 1 ? 'is not a CIDR block' : 'are not CIDR blocks'} of ${vpc.id} (${vpc.cidrs.join(', ')})`, fix: `vpc_cidr_blocks = ${vpc.cidrs.join(',')}` });
    }
  }
  const found = await readSubnets(aws, { ids: subnetIds });
  if (!found.ok) return { findings: [...findings, skipped('subnet1_id', found), skipped('subnet2_id', found)] };
  const byId = new Map(found.value.map((subnet) => [subnet.id, subnet]));
  let inVpc: SubnetView[] | undefined;
  const alternatives = async (avoidZone?: string): Promise<string> => {
    if (!inVpc) {
      const all = await readSubnets(aws, { vpcId });
      inVpc = all.ok ? all.value : [];
    }
    const fits = inVpc.filter((subnet) => subnet.zone !== avoidZone && !subnetIds.includes(subnet.id)).sort((a, b) => (a.reach === 'public' ? 1 : 0) - (b.reach === 'public' ? 1 : 0));
    return fits.length > 0 ? `: ${fits.slice(0, 3).map(subnetText).join('; ')}` : '';
  };
  const [first, second] = subnetIds.map((id) => byId.get(id));
  for (const [name, id, subnet] of [['subnet1_id', subnetIds[0], first], ['subnet2_id', subnetIds[1], second]] as const) {
    if (!subnet) findings.push({ answer: name, level: 'blocking', said: `${id} does not exist in ${aws.region}`, fix: `choose a subnet of ${vpcId}${await alternatives()}` });
    else if (subnet.vpcId !== vpcId) findings.push({ answer: name, level: 'blocking', said: `${id} is in ${subnet.vpcId}, not in metaflow_vpc_id ${vpcId}`, fix: `choose a subnet of ${vpcId}${await alternatives()}` });
    else if (name === 'subnet2_id' && first && first.vpcId === vpcId && first.zone === subnet.zone) {
      findings.push({ answer: name, level: 'blocking', said: `${id} is in ${subnet.zone}, the zone of subnet1_id ${first.id}: the load balancer needs two zones`, fix: `choose a subnet of ${vpcId} in another zone${await alternatives(subnet.zone)}` });
    } else {
      findings.push({ answer: name, level: 'ok', said: subnetText(subnet) });
      if (subnet.reach === 'public' && answers.with_public_ip !== true) {
        findings.push({ answer: name, level: 'warning', said: `${id} is public (its default route is an internet gateway) and with_public_ip is false: tasks there reach neither the image registry nor Secrets Manager without VPC endpoints`, fix: 'choose private subnets (with a NAT gateway), or set with_public_ip to true' });
      } else if (subnet.reach === 'isolated') {
        findings.push({ answer: name, level: 'warning', said: `${id} has no default route: tasks there reach AWS only through VPC endpoints (ECR, S3, Secrets Manager, CloudWatch Logs) and cannot pull a public image`, fix: 'choose subnets with a NAT gateway, or make sure those VPC endpoints exist' });
      } else if (subnet.reach === 'private' && answers.with_public_ip === true) {
        findings.push({ answer: name, level: 'warning', said: `${id} is private (no internet gateway route): a public IP does nothing there`, fix: 'set with_public_ip to false' });
      }
    }
  }
  return { findings, subnets: [first, second].filter((s): s is SubnetView => s !== undefined) };
}

async function checkSecret(answers: Answers, aws: Aws, options: PreflightOptions): Promise<Finding[]> {
  const arn = String(answers.database_password_secret_manager_arn);
  const jsonKey = text(answers.database_password_secret_key);
  const found = await readSecret(aws, arn);
  if (!found.ok) {
    if (found.problem.kind === 'not-found') return [{ answer: 'database_password_secret_manager_arn', level: 'blocking', said: `no such secret: ${found.problem.message}`, fix: 'create the secret, or give the full ARN of an existing one (Secrets Manager console, or aws secretsmanager list-secrets)' }];
    return [skipped('database_password_secret_manager_arn', found)];
  }
  const secret = found.value;
  if (secret.deleted) return [{ answer: 'database_password_secret_manager_arn', level: 'blocking', said: `${secret.name} is scheduled for deletion`, fix: 'restore it (aws secretsmanager restore-secret) or choose another secret' }];
  const findings: Finding[] = [{ answer: 'database_password_secret_manager_arn', level: 'ok', said: `${secret.name} exists${secret.owningService === 'rds' ? ' (managed by RDS: JSON with username and password)' : ''}` }];
  if (secret.owningService === 'rds') {
    if (!jsonKey) findings.push({ answer: 'database_password_secret_key', level: 'blocking', said: 'empty, but RDS-managed secrets hold JSON: the tasks would get the whole JSON text as the password', fix: 'database_password_secret_key = password' });
    else if (['password', 'username'].includes(jsonKey)) findings.push({ answer: 'database_password_secret_key', level: jsonKey === 'password' ? 'ok' : 'warning', said: jsonKey === 'password' ? 'RDS-managed secrets hold the key "password"' : '"username" is the user name, not the password', ...(jsonKey === 'password' ? {} : { fix: 'database_password_secret_key = password' }) });
    else findings.push({ answer: 'database_password_secret_key', level: 'blocking', said: `RDS-managed secrets hold "username" and "password", not "${jsonKey}"`, fix: 'database_password_secret_key = password' });
    return findings;
  }
  // Only the value says which keys it holds: read it only with consent, and keep nothing but the key names.
  if (!jsonKey && !(await options.readSecret())) return findings;
  if (jsonKey && !(await options.readSecret())) {
    findings.push({ answer: 'database_password_secret_key', level: 'skipped', said: `not checked: whether the secret holds "${jsonKey}" shows only in its value`, fix: 'run with --read-secret (or answer yes at the terminal) to let preflight read it; the value is never printed or stored' });
    return findings;
  }
  const keys = await readSecretKeys(aws, arn);
  if (!keys.ok) return [...findings, skipped('database_password_secret_key', keys)];
  const held = keys.value.keys;
  if (jsonKey && held === undefined) findings.push({ answer: 'database_password_secret_key', level: 'blocking', said: `the secret's value is not a JSON object, so it has no key "${jsonKey}"`, fix: 'leave database_password_secret_key empty (the secret is the bare password)' });
  else if (jsonKey && !held!.includes(jsonKey)) findings.push({ answer: 'database_password_secret_key', level: 'blocking', said: `the secret's JSON has no key "${jsonKey}" (its keys: ${held!.join(', ') || 'none'})`, fix: held!.includes('password') ? 'database_password_secret_key = password' : 'name the key that holds the password' });
  else if (jsonKey) findings.push({ answer: 'database_password_secret_key', level: 'ok', said: `the secret's JSON holds "${jsonKey}" (value not shown)` });
  else if (held === undefined) findings.push({ answer: 'database_password_secret_key', level: 'ok', said: 'empty, and the secret is not JSON: the tasks get it whole as the password (value not shown)' });
  else findings.push({ answer: 'database_password_secret_key', level: 'blocking', said: `empty, but the secret holds JSON (keys: ${held.join(', ')}): the tasks would get the whole JSON text as the password`, fix: held.includes('password') ? 'database_password_secret_key = password' : 'name the key that holds the password' });
  return findings;
}

async function checkKey(answers: Answers, aws: Aws): Promise<Finding[]> {
  const arn = String(answers.datastore_s3_bucket_kms_key_arn);
  const found = await readKey(aws, arn);
  if (!found.ok) {
    if (found.problem.kind === 'not-found') return [{ answer: 'datastore_s3_bucket_kms_key_arn', level: 'blocking', said: `no such key: ${found.problem.message}`, fix: 'give the ARN of the key that encrypts the datastore bucket (aws kms list-keys, or the bucket\'s default encryption)' }];
    return [skipped('datastore_s3_bucket_kms_key_arn', found)];
  }
  if (found.value.state !== 'Enabled') {
    return [{ answer: 'datastore_s3_bucket_kms_key_arn', level: 'blocking', said: `the key is ${found.value.state ?? 'not usable'}: S3 cannot encrypt or decrypt with it`, fix: found.value.state === 'PendingDeletion' ? 'cancel its deletion (aws kms cancel-key-deletion) and enable it, or choose another key' : 'enable it (aws kms enable-key --key-id ...) or choose another key' }];
  }
  return [{ answer: 'datastore_s3_bucket_kms_key_arn', level: 'ok', said: `enabled${found.value.manager ? `, ${found.value.manager === 'AWS' ? 'AWS-managed' : 'customer-managed'}` : ''}` }];
}

async function checkBucket(answers: Answers, aws: Aws): Promise<Finding[]> {
  const name = String(answers.s3_bucket_arn).split(':').slice(5).join(':');
  const found = await readBucket(aws, name);
  if (!found.ok) {
    if (found.problem.kind === 'not-found') return [{ answer: 's3_bucket_arn', level: 'blocking', said: `no bucket named ${name} (S3 answered ${found.problem.code})`, fix: 'create the bucket, or give the ARN of the Metaflow datastore bucket (aws s3api list-buckets)' }];
    if (found.problem.kind === 'denied') return [{ answer: 's3_bucket_arn', level: 'skipped', said: `not checked: S3 refused s3:ListBucket on ${name} (it exists, or your policy does not allow the check)`, fix: remedy(found.problem, 's3:ListBucket') }];
    return [skipped('s3_bucket_arn', found)];
  }
  const region = found.value.region;
  if (region && region !== aws.region) return [{ answer: 's3_bucket_arn', level: 'warning', said: `${name} exists in ${region}, not ${aws.region}: every read and write crosses regions`, fix: 'nothing, if that is intended; a datastore bucket in the same region is faster and cheaper' }];
  return [{ answer: 's3_bucket_arn', level: 'ok', said: `${name} exists${region ? ` in ${region}` : ''}` }];
}

async function checkCluster(answers: Answers, aws: Aws): Promise<Finding[]> {
  const arn = text(answers.ecs_cluster_id);
  if (!arn) return [];
  const found = await readCluster(aws, arn);
  if (!found.ok) return [skipped('ecs_cluster_id', found)];
  if (found.value.missing) return [{ answer: 'ecs_cluster_id', level: 'blocking', said: `no such cluster in ${aws.region} (ECS: MISSING)`, fix: 'give the ARN of an existing cluster (aws ecs list-clusters), or leave ecs_cluster_id empty to create one' }];
  if (found.value.status !== 'ACTIVE') return [{ answer: 'ecs_cluster_id', level: 'blocking', said: `the cluster is ${found.value.status}, not ACTIVE`, fix: 'choose an active cluster, or leave ecs_cluster_id empty to create one' }];
  return [{ answer: 'ecs_cluster_id', level: 'ok', said: 'exists and is ACTIVE' }];
}

async function checkRole(answers: Answers, aws: Aws): Promise<Finding[]> {
  const arn = text(answers.fargate_execution_role_arn);
  if (!arn) return [];
  const name = arn.split('/').pop() as string;
  const found = await readRole(aws, name);
  if (!found.ok) {
    if (found.problem.kind === 'not-found') return [{ answer: 'fargate_execution_role_arn', level: 'blocking', said: `no role named ${name}: ${found.problem.message}`, fix: 'give an existing role, or leave it empty to let the module create one' }];
    return [skipped('fargate_execution_role_arn', found)];
  }
  if (!trustsEcsTasks(found.value.trust)) {
    return [{ answer: 'fargate_execution_role_arn', level: 'blocking', said: `${name} does not trust ecs-tasks.amazonaws.com: ECS cannot use it to pull the image and read the secret`, fix: 'add a trust statement allowing sts:AssumeRole to the service principal ecs-tasks.amazonaws.com, or leave the answer empty' }];
  }
  return [{ answer: 'fargate_execution_role_arn', level: 'ok', said: `${name} trusts ecs-tasks.amazonaws.com` }];
}

async function checkDatabase(answers: Answers, aws: Aws, databases: Result<DatabaseView[]>, subnets: readonly SubnetView[] | undefined): Promise<Finding[]> {
  const endpoint = String(answers.rds_master_instance_endpoint);
  const host = endpoint.slice(0, endpoint.lastIndexOf(':')).toLowerCase();
  const port = Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
  if (!databases.ok) return [skipped('rds_master_instance_endpoint', databases)];
  const db = databases.value.find((candidate) => candidate.host.toLowerCase() === host);
  if (!db) {
    if (/\.rds\.amazonaws\.com(\.cn)?$/.test(host)) return [{ answer: 'rds_master_instance_endpoint', level: 'warning', said: `no PostgreSQL database of this account in ${aws.region} has the endpoint ${host}`, fix: 'check the endpoint (aws rds describe-db-instances), the region and the account' }];
    return [{ answer: 'rds_master_instance_endpoint', level: 'skipped', said: `not checked: ${host} is not an RDS endpoint` }];
  }
  const findings: Finding[] = [];
  if (db.port !== port) findings.push({ answer: 'rds_master_instance_endpoint', level: 'blocking', said: `${db.id} listens on port ${db.port}, not ${port}`, fix: `rds_master_instance_endpoint = ${db.host}:${db.port}` });
  else findings.push({ answer: 'rds_master_instance_endpoint', level: db.status && !['available', 'backing-up', 'modifying'].includes(db.status) ? 'warning' : 'ok', said: `${db.kind} ${db.id} (${db.engine}${db.status ? `, ${db.status}` : ''})` });
  const groupId = text(answers.database_security_group_id);
  if (groupId) {
    if (!db.securityGroups.includes(groupId)) findings.push({ answer: 'database_security_group_id', level: 'blocking', said: `${db.id} does not use ${groupId} (it uses ${db.securityGroups.join(', ') || 'none'}): the rule the module adds there admits nothing`, fix: `database_security_group_id = ${db.securityGroups[0] ?? '<its group>'}` });
    else findings.push({ answer: 'database_security_group_id', level: 'ok', said: `${db.id} uses ${groupId}: the module adds the rule that admits the tasks` });
    return findings;
  }
  if (db.vpcId && db.vpcId !== answers.metaflow_vpc_id && !(Array.isArray(answers.database_cidr_blocks) && answers.database_cidr_blocks.length > 0)) {
    findings.push({ answer: 'database_cidr_blocks', level: 'blocking', said: `${db.id} is in ${db.vpcId}, outside metaflow_vpc_id, and database_cidr_blocks is empty: the tasks may send to the database port only inside vpc_cidr_blocks`, fix: `set database_cidr_blocks to the CIDR blocks of ${db.vpcId}'s database subnets, or database_security_group_id` });
  }
  if (!subnets || subnets.length === 0 || db.securityGroups.length === 0) return findings;
  const groups = await readSecurityGroups(aws, db.securityGroups);
  if (!groups.ok) return [...findings, skipped('rds_master_instance_endpoint', groups)];
  const sources = subnets.map((subnet) => subnet.cidr);
  const missing = notAdmitted(groups.value.flatMap((group) => group.ingress), db.port, sources);
  if (missing.length > 0) {
    const names = subnets.filter((subnet) => missing.includes(subnet.cidr)).map((subnet) => `${subnet.cidr} (${subnet.id})`);
    findings.push({
      answer: 'database_security_group_id',
      level: 'blocking',
      said: `the database's security groups (${db.securityGroups.join(', ')}) do not admit TCP ${db.port} from ${names.join(' or ')}, where the tasks run`,
      fix: `database_security_group_id = ${db.securityGroups[0]} (the module then adds the rule), or add an inbound rule for TCP ${db.port} from those blocks`,
    });
  } else findings.push({ answer: 'database_security_group_id', level: 'ok', said: `empty, and the database's security groups admit TCP ${db.port} from both subnets` });
  return findings;
}

async function checkImage(answers: Answers, aws: Aws, identity: Identity): Promise<Finding[]> {
  const image = String(answers.metadata_service_container_image);
  const ref = parseImage(image);
  if (ref.ecr) {
    if (ref.ecr.region !== aws.region || ref.ecr.account !== identity.account) {
      return [{ answer: 'metadata_service_container_image', level: 'skipped', said: `not checked: an ECR image of account ${ref.ecr.account} in ${ref.ecr.region} (these checks read account ${identity.account} in ${aws.region})` }];
    }
    const found = await readEcrImage(aws, ref.ecr.account, ref.repository, ref.reference);
    if (!found.ok) {
      if (found.problem.kind === 'not-found') return [{ answer: 'metadata_service_container_image', level: 'blocking', said: `ECR: ${found.problem.message}`, fix: 'push the image, or correct the repository and tag' }];
      return [skipped('metadata_service_container_image', found)];
    }
    return found.value
      ? [{ answer: 'metadata_service_container_image', level: 'ok', said: `${ref.repository}:${ref.reference} is in ECR` }]
      : [{ answer: 'metadata_service_container_image', level: 'blocking', said: `ECR has no image ${ref.reference} in ${ref.repository}`, fix: 'push the image, or correct the tag' }];
  }
  const answer = await askRegistry(ref);
  if ('unknown' in answer) return [{ answer: 'metadata_service_container_image', level: 'skipped', said: `not checked: ${answer.unknown}` }];
  if (!answer.found) return [{ answer: 'metadata_service_container_image', level: 'blocking', said: `${ref.registry} has no ${ref.repository}:${ref.reference} (HTTP ${answer.status})`, fix: 'correct the image reference (the tags: https://hub.docker.com/r/netflixoss/metaflow_metadata_service/tags for the public image)' }];
  return [{ answer: 'metadata_service_container_image', level: 'ok', said: `${ref.registry} has ${ref.repository}:${ref.reference}` }];
}

const LABEL: Record<Level, string> = { ok: 'ok', blocking: 'BLOCKING', warning: 'warning', skipped: 'skipped' };

/** The findings as printed: one line each (and its fix), then the tally. */
export function describeFindings(findings: readonly Finding[]): string[] {
  const width = Math.max(...Object.values(LABEL).map((label) => label.length));
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`  ${LABEL[finding.level].padEnd(width)}  ${finding.answer}: ${finding.said}`);
    if (finding.fix && finding.level !== 'ok') lines.push(`  ${' '.repeat(width)}  fix: ${finding.fix}`);
  }
  return lines;
}

export function tally(findings: readonly Finding[]): Record<Level, number> {
  const counts: Record<Level, number> = { ok: 0, blocking: 0, warning: 0, skipped: 0 };
  for (const finding of findings) counts[finding.level]++;
  return counts;
}
