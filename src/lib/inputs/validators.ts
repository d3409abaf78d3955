// Pure validators. Each takes a value (already of the right JavaScript type) and
// returns undefined when it is acceptable, or a sentence saying what is expected.
// They never throw and import nothing from Yeoman: the catalogue prefixes the
// field name, so the messages here stay short and reusable.
import ipaddr from 'ipaddr.js';
import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser';
import { SDK_PARTITIONS } from './regions.js';
import { closest } from './suggest.js';

export type Problem = string | undefined;

export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** Longest name AWS lets a load balancer or target group have. */
export const LB_NAME_MAX = 32;
// LB_NAME_INFIX and AFFIX_MAX_COMBINED follow from DERIVED_NAMES (section "Names").

/** Fargate task sizes: cpu units → allowed memory in MiB. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Quote a user value for a message, shortened and with control characters made visible. */
export function show(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return typeof value === 'string' ? JSON.stringify(text) : text;
}

// ---------------------------------------------------------------------------
// Networks

export function cidr(value: string): Problem {
  if (!/^[0-9./]+$/.test(value) || !ipaddr.IPv4.isValidCIDR(value)) {
    return `${show(value)} is not an IPv4 CIDR block such as 10.0.0.0/16`;
  }
  const [address, bits] = ipaddr.IPv4.parseCIDR(value);
  const network = ipaddr.IPv4.networkAddressFromCIDR(value).toString();
  if (address.toString() !== network || value !== `${network}/${bits}`) {
    return `${show(value)} is not a network address; did you mean ${network}/${bits}?`;
  }
  return undefined;
}

export function cidrList(values: readonly string[]): Problem {
  const seen = new Set<string>();
  for (const [i, value] of values.entries()) {
    const problem = cidr(value);
    if (problem) return `item ${i + 1}: ${problem}`;
    if (seen.has(value)) return `${show(value)} is listed twice`;
    seen.add(value);
  }
  return undefined;
}

export function nonEmptyCidrList(values: readonly string[]): Problem {
  if (values.length === 0) return 'at least one CIDR block is required';
  return cidrList(values);
}

export const VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
export const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

export function securityGroupId(value: string): Problem {
  return SECURITY_GROUP_ID.test(value)
    ? undefined
    : `${show(value)} is not a security group id: expected "sg-" and 8 or 17 lowercase hex digits (a group of another account or region cannot be named: give database_cidr_blocks instead)`;
}

export function vpcId(value: string): Problem {
  return VPC_ID.test(value)
    ? undefined
    : `${show(value)} is not a VPC id: expected "vpc-" and 8 or 17 lowercase hex digits`;
}

export function subnetId(value: string): Problem {
  return SUBNET_ID.test(value)
    ? undefined
    : `${show(value)} is not a subnet id: expected "subnet-" and 8 or 17 lowercase hex digits`;
}

export function differentFrom(value: string, other: unknown, otherName: string): Problem {
  return value === other ? `must differ from ${otherName} (two subnets give two availability zones)` : undefined;
}

// ---------------------------------------------------------------------------
// Regions and partitions

/** The shape of a region name (the region part of ARNs is checked with it); `region()` checks the real list. */
export const REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?)-[a-z]+-[0-9]{1,2}$/;

function sdkRegions(partition: Partition): readonly string[] {
  const regions = SDK_PARTITIONS.find((p) => p.id === partition)?.regions ?? [];
  if (regions.length === 0) throw new Error(`the AWS SDK's partition data lists no regions for partition ${partition}`);
  return regions;
}

/** The regions of each partition we support, from the partition data the AWS SDK ships (see regions.ts). */
export const REGIONS: Readonly<Record<Partition, readonly string[]>> = {
  aws: sdkRegions('aws'),
  'aws-us-gov': sdkRegions('aws-us-gov'),
  'aws-cn': sdkRegions('aws-cn'),
};

/** Every region of the three partitions, partition by partition: the list variables.tf checks aws_region against. */
export const ALL_REGIONS: readonly string[] = PARTITIONS.flatMap((p) => REGIONS[p]);

const isPartition = (value: unknown): value is Partition => (PARTITIONS as readonly unknown[]).includes(value);

/** The supported partition whose list holds `region`, if any. */
export function listedPartition(region: string): Partition | undefined {
  return PARTITIONS.find((p) => REGIONS[p].includes(region));
}

/** The partition of a region: the one that lists it, else the one its name points to. */
export function partitionOfRegion(region: string): Partition {
  const listed = listedPartition(region);
  if (listed) return listed;
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** How many edits a mistyped region may be from the one meant ("eu-wset-1" is 2 from "eu-west-1"). */
export const REGION_TYPO_DISTANCE = 3;

/** The listed region nearest a mistyped one: in `partition` first, then in any supported partition. */
export function suggestRegion(value: string, partition?: Partition): { region: string; partition: Partition } | undefined {
  const typed = value.trim().toLowerCase();
  const own = partition ? closest(typed, REGIONS[partition], REGION_TYPO_DISTANCE) : undefined;
  if (own && partition) return { region: own, partition };
  const any = closest(typed, ALL_REGIONS, REGION_TYPO_DISTANCE);
  const home = any === undefined ? undefined : listedPartition(any);
  return any && home ? { region: any, partition: home } : undefined;
}

export function region(value: string, partition?: unknown): Problem {
  const home = listedPartition(value);
  if (home) {
    if (typeof partition === 'string' && home !== partition) {
      return `${show(value)} is not a region of partition ${show(partition)} (iam_partition): it is a region of ${show(home)}`;
    }
    return undefined;
  }
  const foreign = SDK_PARTITIONS.find((p) => !isPartition(p.id) && p.regions.includes(value));
  if (foreign) {
    return `${show(value)} is a region of partition ${show(foreign.id)}, which this module does not support: expected a region of ${PARTITIONS.join(', ')}`;
  }
  const wanted = isPartition(partition) ? partition : undefined;
  const what = wanted ? `a region of partition ${show(wanted)}` : 'an AWS region';
  const guess = suggestRegion(value, wanted);
  if (guess) {
    const elsewhere = guess.partition === wanted ? '' : ` (partition ${show(guess.partition)})`;
    return `${show(value)} is not ${what}: did you mean ${show(guess.region)}${elsewhere}?`;
  }
  return `${show(value)} is not ${what}: expected one of ${(wanted ? REGIONS[wanted] : ALL_REGIONS).join(', ')}`;
}

export function partition(value: string): Problem {
  return (PARTITIONS as readonly string[]).includes(value)
    ? undefined
    : `${show(value)} is not a partition: expected one of ${PARTITIONS.join(', ')}`;
}

export function govFlag(value: boolean, iamPartition: unknown): Problem {
  const gov = iamPartition === 'aws-us-gov';
  if (value === gov) return undefined;
  return gov
    ? 'must be true when iam_partition is "aws-us-gov"'
    : `must be false unless iam_partition is "aws-us-gov" (it is ${show(iamPartition)})`;
}

// ---------------------------------------------------------------------------
// ARNs

export type ArnKind = 'secretsmanager-secret' | 'kms-key' | 'iam-role' | 's3-bucket' | 'ecs-cluster';

interface ArnRule {
  service: string;
  what: string;
  example: string;
  regional: boolean;
  resource: RegExp;
}

const ARN_RULES: Record<ArnKind, ArnRule> = {
  'secretsmanager-secret': {
    service: 'secretsmanager',
    what: 'a Secrets Manager secret',
    example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-db-AbCdEf',
    regional: true,
    // Secrets another service manages are named "<service>!...", e.g. RDS's rds!db-<uuid>.
    resource: /^secret:(?:[a-z]+!)?[A-Za-z0-9/_+=.@-]{1,512}$/,
  },
  'kms-key': {
    service: 'kms',
    what: 'a KMS key',
    example: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    regional: true,
    resource: /^key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
  },
  'iam-role': {
    service: 'iam',
    what: 'an IAM role',
    example: 'arn:aws:iam::123456789012:role/ecs-execution',
    regional: false,
    resource: /^role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  },
  's3-bucket': {
    service: 's3',
    what: 'an S3 bucket',
    example: 'arn:aws:s3:::metaflow-datastore',
    regional: false,
    resource: /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  },
  'ecs-cluster': {
    service: 'ecs',
    what: 'an ECS cluster',
    example: 'arn:aws:ecs:us-east-1:123456789012:cluster/metaflow',
    regional: true,
    resource: /^cluster\/[A-Za-z0-9_-]{1,255}$/,
  },
};

export function arn(value: string, kind: ArnKind, iamPartition?: unknown): Problem {
  const rule = ARN_RULES[kind];
  const expected = `expected the ARN of ${rule.what}, like ${rule.example}`;
  // The parser accepts anything with five colons; check the shape ourselves first.
  if (!/^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:\S+$/.test(value) || !isArn(value)) {
    return `${show(value)} is not an ARN: ${expected}`;
  }
  const parts = parseArn(value);
  if (partition(parts.partition)) return `${show(value)} has unknown partition ${show(parts.partition)}`;
  if (parts.service !== rule.service) {
    return `${show(value)} is an ARN of service ${show(parts.service)}: ${expected}`;
  }
  if (rule.regional ? !REGION.test(parts.region) : parts.region !== '') {
    return `${show(value)} has ${rule.regional ? 'no valid region' : 'a region, which this kind of ARN never has'}: ${expected}`;
  }
  if (kind === 's3-bucket' ? parts.accountId !== '' : !/^[0-9]{12}$/.test(parts.accountId)) {
    return `${show(value)} has ${kind === 's3-bucket' ? 'an account id, which bucket ARNs never have' : 'no 12-digit account id'}: ${expected}`;
  }
  if (!rule.resource.test(parts.resource) || (kind === 's3-bucket' && /\.\.|^\d+\.\d+\.\d+\.\d+$/.test(parts.resource))) {
    return `${show(value)} does not name ${rule.what}: ${expected}`;
  }
  if (typeof iamPartition === 'string' && parts.partition !== iamPartition) {
    return `${show(value)} is in partition ${show(parts.partition)} but iam_partition is ${show(iamPartition)}`;
  }
  return undefined;
}

/**
 * A full Secrets Manager ARN: the name is followed by "-" and the 6 random
 * characters Secrets Manager appends. ECS takes a partial ARN, but IAM policies
 * naming it match no secret, so the task fails to start with AccessDenied.
 * One rule for the validator and variables.tf (RE2 reads it alike).
 */
export const SECRET_FULL_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;

const SHELL_SAFE = /^[A-Za-z0-9/_+=.@-]+$/;

export function secretArn(value: string, iamPartition?: unknown): Problem {
  const problem = arn(value, 'secretsmanager-secret', iamPartition);
  if (problem) return problem;
  if (SECRET_FULL_ARN.test(value)) return undefined;
  const name = parseArn(value).resource.slice('secret:'.length);
  const id = SHELL_SAFE.test(name) ? name : `'${name}'`;
  return (
    `${show(value)} looks like a partial ARN: a full Secrets Manager ARN ends in -XXXXXX (6 characters Secrets Manager appends to the name), ` +
    `and without them IAM grants match no secret, so the task would fail to start with AccessDenied; ` +
    `copy the ARN from the console or \`aws secretsmanager describe-secret --secret-id ${id} --query ARN\``
  );
}

/**
 * An existing ECS cluster must be where the service goes: in aws_region, and in
 * the account of the execution role (a service, its cluster and its execution
 * role live in one account). Checks only what the other answers tell: a missing
 * or invalid one is skipped (its own field reports it).
 */
export function clusterPlacement(value: string, awsRegion: unknown, executionRoleArn: unknown): Problem {
  if (arn(value, 'ecs-cluster')) return undefined;
  const cluster = parseArn(value);
  if (typeof awsRegion === 'string' && !region(awsRegion) && cluster.region !== awsRegion) {
    return (
      `${show(value)} is a cluster in region ${show(cluster.region)}, but aws_region is ${show(awsRegion)}: ` +
      `an ECS service runs in its cluster's region; name a cluster in ${awsRegion}, or leave it empty to create one`
    );
  }
  if (typeof executionRoleArn === 'string' && !arn(executionRoleArn, 'iam-role')) {
    const roleAccount = parseArn(executionRoleArn).accountId;
    if (roleAccount !== cluster.accountId) {
      return (
        `${show(value)} is a cluster in account ${cluster.accountId}, but fargate_execution_role_arn is in account ${roleAccount}: ` +
        `the ECS service, its cluster and its execution role live in one account; name a cluster in account ${roleAccount}, or leave it empty to create one`
      );
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Names

export const PG_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export function pgIdentifier(value: string): Problem {
  return PG_IDENTIFIER.test(value)
    ? undefined
    : `${show(value)} is not a PostgreSQL name: a letter or "_", then letters, digits, "_" or "$", at most 63 characters`;
}

export const AFFIX = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/** What AWS allows in one kind of name. */
export interface AwsNameRule {
  /** The kind of name, for messages: `load balancer`. */
  what: string;
  max: number;
  /** Matches a name made only of allowed characters. */
  chars: RegExp;
  /** The allowed characters, for messages. */
  charsText: string;
  /** The name must not begin or end with a hyphen. */
  noEdgeHyphen?: boolean;
  /** Beginnings AWS reserves for itself. */
  reservedStarts?: readonly string[];
}

const ECS_NAME = { max: 255, chars: /^[A-Za-z0-9_-]+$/, charsText: 'letters, digits, "_" and "-"' };
const IAM_NAME = { chars: /^[\w+=,.@-]+$/, charsText: 'letters, digits and _ + = , . @ -' };
const LB_NAME = { max: LB_NAME_MAX, chars: /^[A-Za-z0-9-]+$/, charsText: 'letters, digits and "-"', noEdgeHyphen: true };

export const AWS_NAME_RULES = {
  loadBalancer: { what: 'load balancer', ...LB_NAME, reservedStarts: ['internal-'] },
  targetGroup: { what: 'target group', ...LB_NAME },
  iamRole: { what: 'IAM role', max: 64, ...IAM_NAME },
  iamRolePolicy: { what: 'IAM role policy', max: 128, ...IAM_NAME },
  lambdaFunction: { what: 'Lambda function', max: 64, chars: /^[A-Za-z0-9_-]+$/, charsText: 'letters, digits, "_" and "-"' },
  logGroup: { what: 'CloudWatch log group', max: 512, chars: /^[A-Za-z0-9._\/#-]+$/, charsText: 'letters, digits and . _ - / #' },
  // The module sets name_prefix: Terraform appends 26 characters, and the whole name may have 255.
  securityGroupPrefix: {
    what: 'security group',
    max: 255 - 26,
    chars: /^[A-Za-z0-9 ._:\/()#,@[\]+=&;{}!$*-]+$/,
    charsText: 'letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
    reservedStarts: ['sg-'],
  },
  // A whole security group name (name, not name_prefix): the names an adopted deployment keeps.
  securityGroup: {
    what: 'security group',
    max: 255,
    chars: /^[A-Za-z0-9 ._:\/()#,@[\]+=&;{}!$*-]+$/,
    charsText: 'letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
    reservedStarts: ['sg-'],
  },
  ecsCluster: { what: 'ECS cluster', ...ECS_NAME },
  ecsService: { what: 'ECS service', ...ECS_NAME },
  ecsTaskFamily: { what: 'ECS task definition family', ...ECS_NAME },
  eventRule: { what: 'EventBridge rule', max: 64, chars: /^[A-Za-z0-9._-]+$/, charsText: 'letters, digits and . _ -' },
  scalingPolicy: { what: 'Application Auto Scaling policy', max: 256, chars: /^[\x20-\x7e]+$/, charsText: 'printable ASCII characters' },
} as const satisfies Record<string, AwsNameRule>;

/** A name the module builds from resource_prefix and resource_suffix, and the AWS rule it must meet. */
export interface DerivedName {
  /** The local in locals.tf (`nlb_name`) or the resource (`aws_iam_role.task`) that carries the name. */
  id: string;
  /**
   * The name with `{prefix}` and `{suffix}` for the two inputs, and `{region}`
   * for the region the module deploys to (local.region), as templates/*.tf spell it out.
   */
  template: string;
  rule: AwsNameRule;
  /** Every "--" of the built name becomes "-", as Terraform's replace(name, "--", "-") does (a name an adopted deployment keeps). */
  collapseHyphens?: true;
}

/**
 * The longest region name of the supported partitions: a name with `{region}`
 * is checked with it, so it fits in every region.
 */
export const LONGEST_REGION: string = ALL_REGIONS.reduce((a, b) => (b.length > a.length ? b : a));

/** Every AWS name the module derives from resource_prefix and resource_suffix (locals.tf: name = "{prefix}-metadata-{suffix}"). */
export const DERIVED_NAMES: readonly DerivedName[] = [
  { id: 'nlb_name', template: '{prefix}-md-{suffix}', rule: AWS_NAME_RULES.loadBalancer },
  { id: 'tg_api_name', template: '{prefix}-md-api-{suffix}', rule: AWS_NAME_RULES.targetGroup },
  { id: 'tg_mig_name', template: '{prefix}-md-mig-{suffix}', rule: AWS_NAME_RULES.targetGroup },
  // IAM names are global to the account: the region keeps two deployments with the same affixes apart.
  { id: 'aws_iam_role.task', template: '{prefix}-metadata-{suffix}-{region}-task', rule: AWS_NAME_RULES.iamRole },
  { id: 'aws_iam_role.execution', template: '{prefix}-metadata-{suffix}-{region}-execution', rule: AWS_NAME_RULES.iamRole },
  { id: 'aws_iam_role.db_migrate', template: '{prefix}-metadata-{suffix}-{region}-db-migrate', rule: AWS_NAME_RULES.iamRole },
  // An inline policy on the caller's execution role, which deployments in other regions may share.
  { id: 'aws_iam_role_policy.execution_db_secret', template: '{prefix}-metadata-{suffix}-{region}-db-password', rule: AWS_NAME_RULES.iamRolePolicy },
  { id: 'aws_lambda_function.db_migrate', template: '{prefix}-metadata-{suffix}-db-migrate', rule: AWS_NAME_RULES.lambdaFunction },
  { id: 'aws_cloudwatch_log_group.service', template: '/ecs/{prefix}-metadata-{suffix}', rule: AWS_NAME_RULES.logGroup },
  { id: 'aws_cloudwatch_log_group.db_migrate', template: '/aws/lambda/{prefix}-metadata-{suffix}-db-migrate', rule: AWS_NAME_RULES.logGroup },
  { id: 'aws_cloudwatch_log_group.api_access', template: '/aws/apigateway/{prefix}-metadata-{suffix}', rule: AWS_NAME_RULES.logGroup },
  { id: 'aws_security_group.metadata_service', template: '{prefix}-metadata-{suffix}-service-', rule: AWS_NAME_RULES.securityGroupPrefix },
  { id: 'aws_security_group.nlb', template: '{prefix}-metadata-{suffix}-nlb-', rule: AWS_NAME_RULES.securityGroupPrefix },
  { id: 'aws_ecs_cluster.this', template: '{prefix}-metadata-{suffix}', rule: AWS_NAME_RULES.ecsCluster },
  { id: 'aws_ecs_service.this', template: '{prefix}-metadata-{suffix}', rule: AWS_NAME_RULES.ecsService },
  { id: 'aws_ecs_task_definition.this', template: '{prefix}-metadata-{suffix}', rule: AWS_NAME_RULES.ecsTaskFamily },
  { id: 'aws_ecs_task_definition.schema_upgrade', template: '{prefix}-metadata-{suffix}-schema-upgrade', rule: AWS_NAME_RULES.ecsTaskFamily },
  { id: 'aws_cloudwatch_event_rule.secret_rotated', template: '{prefix}-metadata-{suffix}-secret-rotated', rule: AWS_NAME_RULES.eventRule },
  { id: 'aws_appautoscaling_policy.cpu', template: '{prefix}-metadata-{suffix}-cpu', rule: AWS_NAME_RULES.scalingPolicy },
];

/** A derived name for a prefix and suffix (and a region: by default the longest). */
export function derivedName(entry: DerivedName, prefix: string, suffix: string, region: string = LONGEST_REGION): string {
  const name = entry.template.replace('{prefix}', () => prefix).replace('{suffix}', () => suffix).replace('{region}', () => region);
  return entry.collapseHyphens ? name.replaceAll('--', '-') : name;
}

/** The fixed characters of a derived name: its template without the two affixes (the region at its longest). */
const fixedPart = (entry: DerivedName): string => derivedName(entry, '', '');

/** The derived name that leaves prefix and suffix the fewest characters (ties: the last listed). */
const TIGHTEST = DERIVED_NAMES.reduce((a, b) => (b.rule.max - fixedPart(b).length <= a.rule.max - fixedPart(a).length ? b : a));

/**
 * The longest fixed part the module puts between prefix and suffix in a
 * 32-character name (`<prefix>-md-mig-<suffix>` for the migration target group).
 */
export const LB_NAME_INFIX = fixedPart(TIGHTEST);
/** The most characters resource_prefix and resource_suffix may have together: every derived name stays within its AWS maximum. */
export const AFFIX_MAX_COMBINED = TIGHTEST.rule.max - LB_NAME_INFIX.length;

/**
 * Beginnings AWS reserves in names that start with resource_prefix, and the
 * kind of name: a prefix `p` is refused when `${p}-` starts with one (the
 * module always puts "-" after the prefix).
 */
export const RESERVED_PREFIX_STARTS: readonly { start: string; what: string }[] = DERIVED_NAMES.filter((d) => d.template.startsWith('{prefix}-'))
  .flatMap((d) => (d.rule.reservedStarts ?? []).map((start) => ({ start, what: d.rule.what })))
  .filter((r, i, all) => all.findIndex((o) => o.start === r.start) === i);

export type NameBreak = { entry: DerivedName; kind: 'length' | 'chars' | 'hyphen' | 'reserved'; detail: string };

/** Every AWS rule a name of `names` (by default the module's own) breaks with this prefix and suffix. */
export function nameBreaks(prefix: string, suffix: string, names: readonly DerivedName[] = DERIVED_NAMES): NameBreak[] {
  const out: NameBreak[] = [];
  for (const entry of names) {
    const { rule } = entry;
    const name = derivedName(entry, prefix, suffix);
    if (name.length > rule.max) {
      out.push({ entry, kind: 'length', detail: `would be ${name.length} characters, more than the ${rule.max} AWS allows` });
    }
    if (!rule.chars.test(name)) out.push({ entry, kind: 'chars', detail: `would hold characters AWS does not allow there (only ${rule.charsText})` });
    if (rule.noEdgeHyphen && (name.startsWith('-') || name.endsWith('-'))) {
      out.push({ entry, kind: 'hyphen', detail: `would ${name.startsWith('-') ? 'begin' : 'end'} with a hyphen, which AWS does not allow` });
    }
    const reserved = rule.reservedStarts?.find((start) => name.startsWith(start));
    if (reserved) out.push({ entry, kind: 'reserved', detail: `would begin with ${show(reserved)}, which AWS reserves` });
  }
  return out;
}

export const describeBreak = (b: NameBreak, name: string): string => `the ${b.entry.rule.what} name ${show(name)} ${b.detail}`;

/** Every AWS rule a derived name would break with this prefix and suffix: one sentence each, naming the name and the rule. */
export function derivedNameProblems(prefix: string, suffix: string): string[] {
  return nameBreaks(prefix, suffix).map((b) => describeBreak(b, derivedName(b.entry, prefix, suffix)));
}

/** The shortest legal affix, standing in for the other one when checking what this one alone breaks. */
const SHORTEST_AFFIX = 'a';

/**
 * resource_prefix or resource_suffix (`otherName` names the other one): the
 * characters, then every AWS name the module derives from both. When the other
 * is known, only what this value contributes to is reported; when it is not,
 * what would break whatever it turns out to be.
 */
export function nameAffix(value: string, other: unknown, otherName: 'resource_prefix' | 'resource_suffix'): Problem {
  if (!AFFIX.test(value)) {
    return `${show(value)} may hold only lowercase letters, digits and inner hyphens (the module joins names with "-" itself)`;
  }
  const isPrefix = otherName === 'resource_suffix';
  const pair = (mine: string, theirs: string): [string, string] => (isPrefix ? [mine, theirs] : [theirs, mine]);
  const key = (b: NameBreak) => `${b.entry.id} ${b.kind}`;
  const known = typeof other === 'string' && AFFIX.test(other);
  const theirs = known ? other : SHORTEST_AFFIX;
  // Breaks that stay when this value is the shortest legal one are the other's doing.
  const notMine = new Set(nameBreaks(...pair(SHORTEST_AFFIX, theirs)).map(key));
  const mine = nameBreaks(...pair(value, theirs)).filter((b) => !notMine.has(key(b)));
  const first = mine[0];
  if (!first) return undefined;
  const shown = derivedName(first.entry, ...pair(value, known ? theirs : `<${otherName}>`));
  const more = mine.length > 1 ? ` (and ${mine.length - 1} more derived name${mine.length > 2 ? 's' : ''})` : '';
  if (first.kind !== 'length') return `${describeBreak(first, shown)}${more}`;
  const detail = known
    ? `with ${otherName} ${show(other)}, ${describeBreak(first, shown)}`
    : `${describeBreak({ ...first, detail: first.detail.replace('would be', 'would be at least') }, shown)}, as ${otherName} has at least ${SHORTEST_AFFIX.length} character`;
  return `${detail}${more}: resource_prefix and resource_suffix may have at most ${AFFIX_MAX_COMBINED} characters together`;
}

// ---------------------------------------------------------------------------
// Endpoints and images

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function hostPort(value: string): Problem {
  const expected = 'expected host:port such as mydb.abc123.us-east-1.rds.amazonaws.com:5432';
  const match = /^([^:\s]+):([0-9]{1,5})$/.exec(value);
  if (!match) return `${show(value)} is not an endpoint: ${expected}`;
  const host = match[1] as string;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return `${show(value)} has port ${port}, outside 1-65535`;
  const isIp = ipaddr.IPv4.isValidFourPartDecimal(host);
  if (!isIp && (host.length > 253 || !host.split('.').every((label) => HOST_LABEL.test(label)) || /^[0-9.]+$/.test(host))) {
    return `${show(value)} has no valid host name: ${expected}`;
  }
  return undefined;
}

const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(
  `^(?:(?<registry>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?)/)?` +
    `(?<path>${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*)` +
    `(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?` +
    `(?:@(?<digest>sha256:[a-f0-9]{64}))?$`,
);

/** IMAGE without group names, for RE2 (Terraform's `regex`) and JavaScript alike. */
export const IMAGE_RULE = new RegExp(IMAGE.source.replace(/\?<[a-z]+>/g, ''));

export function containerImage(value: string): Problem {
  const expected = 'expected registry/repository:tag or repository@sha256:<64 hex digits>';
  if (value.length > 255) return `is ${value.length} characters long, more than 255`;
  const match = IMAGE.exec(value);
  if (!match?.groups) return `${show(value)} is not a container image reference: ${expected}`;
  const { registry, tag, digest } = match.groups;
  if (registry && !/[.:]/.test(registry) && registry !== 'localhost') {
    // "netflixoss/x:tag": the first part is a namespace, not a registry; the regex
    // took it as a registry only if it could not be a path component.
    if (!new RegExp(`^${IMAGE_COMPONENT}$`).test(registry)) {
      return `${show(value)} is not a container image reference: ${expected}`;
    }
  }
  if (!tag && !digest) return `${show(value)} has no tag or digest: pin a version (${expected})`;
  if (tag === 'latest' && !digest) return `${show(value)} uses the moving tag "latest": pin a version or a digest`;
  return undefined;
}

// ---------------------------------------------------------------------------
// Sizes

export function fargateCpu(value: number): Problem {
  return FARGATE_SIZES.has(value) ? undefined : `${show(value)} is not a Fargate CPU size: one of ${[...FARGATE_SIZES.keys()].join(', ')}`;
}

export function fargateMemory(value: number, cpu: unknown): Problem {
  if (!Number.isInteger(value) || value <= 0) return `${show(value)} is not a whole number of MiB`;
  const allowed = typeof cpu === 'number' ? FARGATE_SIZES.get(cpu) : undefined;
  if (!allowed) return undefined; // the cpu field reports its own problem
  if (allowed.includes(value)) return undefined;
  const first = allowed[0];
  const last = allowed[allowed.length - 1];
  const step = allowed.length > 1 ? (allowed[1] as number) - (first as number) : 0;
  return `${value} MiB does not fit ${cpu} CPU units on Fargate: allowed ${cpu === 256 ? allowed.join(', ') : `${first}-${last} in steps of ${step}`}`;
}

// ---------------------------------------------------------------------------
// Tags

/** Characters every tagging API accepts (IAM, ECS, Lambda, ELB, API Gateway, logs). */
export const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
/** AWS allows 50 tags a resource; the module adds none of its own beyond these. */
export const TAGS_MAX = 50;

export function tags(value: Readonly<Record<string, string>>): Problem {
  const entries = Object.entries(value);
  if (entries.length > TAGS_MAX) return `has ${entries.length} tags; AWS allows at most ${TAGS_MAX} on a resource`;
  for (const [key, text] of entries) {
    if (key.length < 1 || [...key].length > TAG_KEY_MAX) return `tag key ${show(key)} must be 1-${TAG_KEY_MAX} characters`;
    if (!TAG_TEXT.test(key)) return `tag key ${show(key)} may hold only letters, digits, spaces and _ . : / = + - @`;
    if (/^aws:/i.test(key)) return `tag key ${show(key)} starts with "aws:", which AWS reserves`;
    if (typeof text !== 'string') return `tag ${show(key)} must have a string value`;
    if ([...text].length > TAG_VALUE_MAX) return `tag ${show(key)} has a value over ${TAG_VALUE_MAX} characters`;
    if (!TAG_TEXT.test(text)) return `tag ${show(key)} has value ${show(text)}: only letters, digits, spaces and _ . : / = + - @ are allowed`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Tunables added beyond the seed inputs

/** A JSON key ECS can name in `valueFrom` (`<arn>:<key>::`): no colon. */
export const SECRET_JSON_KEY = /^[A-Za-z0-9_.-]{1,255}$/;

export function secretJsonKey(value: string): Problem {
  return SECRET_JSON_KEY.test(value) ? undefined : `${show(value)} is not a usable JSON key: 1-255 letters, digits, "_", "." or "-" (or leave it empty)`;
}

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export function sslMode(value: string): Problem {
  return (SSL_MODES as readonly string[]).includes(value) ? undefined : `${show(value)} is not a PostgreSQL SSL mode: one of ${SSL_MODES.join(', ')}`;
}

/** The modes that check the server's certificate against a CA bundle: the only ones that read database_ssl_root_cert_path. */
export const isVerifyMode = (mode: unknown): boolean => typeof mode === 'string' && mode.startsWith('verify-');

/** The bundle of every RDS certificate authority, for all regions (AWS's own download). */
export const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** The public image of the service, which holds no RDS CA bundle. */
export const PUBLIC_IMAGE = /^(?:(?:docker\.io|registry-1\.docker\.io|index\.docker\.io)\/)?netflixoss\/metaflow_metadata_service(?:[:@]|$)/;

/** What an image must hold for verify-ca/verify-full: the one sentence the refusal, the notes and the input's description share. */
export const CA_BUNDLE_NEED = `the public netflixoss image holds no RDS CA bundle: build an image FROM it that adds ${RDS_CA_BUNDLE_URL} at the path database_ssl_root_cert_path names, and deploy that image`;

/**
 * verify-ca and verify-full need the CA bundle's path in the image, and only
 * they read one (`path` undefined: not known yet, so nothing to say).
 */
export function sslModeAndBundle(mode: string, path: unknown): Problem {
  if (path === undefined) return undefined;
  if (isVerifyMode(mode) && path === null) {
    return (
      `${mode} checks the database server's certificate against a CA bundle inside the container image, so it needs database_ssl_root_cert_path; ` +
      `${CA_BUNDLE_NEED}. Or choose require: TLS without checking the certificate`
    );
  }
  if (!isVerifyMode(mode) && path !== null) {
    return `${show(mode)} reads no CA bundle, but database_ssl_root_cert_path is ${show(path)}: choose verify-ca or verify-full, or leave database_ssl_root_cert_path empty`;
  }
  return undefined;
}

/** A path inside the image, in characters a libpq connection URI takes as they are (the image's migration script puts it in one unescaped). */
export const CONTAINER_PATH = /^\/[A-Za-z0-9._\/-]+$/;

export function sslRootCertPath(value: string | null): Problem {
  if (value === null || CONTAINER_PATH.test(value)) return undefined;
  return `${show(value)} is not an absolute path of letters, digits and . _ / - (a file inside the container image)`;
}

/**
 * What an accepted SSL mode will do on a database that accepts only TLS, as
 * RDS for PostgreSQL 15 and later does by default (checked against the service
 * v2.4.12): a caution, not a refusal, since a server without TLS takes them.
 */
export function sslModeCaution(mode: string): string | undefined {
  if (mode !== 'disable' && mode !== 'allow') return undefined;
  return (
    `with ${mode}, the service's API still connects to a server that accepts only TLS (libpq falls back), but its schema migrations (goose, ` +
    'which the schema upgrade task runs on the first apply and for every new image) fail there, and RDS for PostgreSQL 15 and later accepts only TLS by default. Choose require unless your server offers no TLS'
  );
}

/** An RDS-managed master user secret (rds!db-..., rds!cluster-...): it rotates, by default every 7 days. */
export function rotatingSecretCaution(arn: string): string | undefined {
  if (!/:secret:rds!/.test(arn)) return undefined;
  return (
    'this is an RDS-managed master user secret, which RDS rotates (every 7 days by default). The module restarts the service after each rotation, ' +
    'and for the minute or two that takes, new database connections fail. To avoid that, give the service its own database user and secret'
  );
}

/** verify-ca/verify-full with the public image: it has no RDS CA bundle at any path. */
export function publicImageCaution(image: string, mode: unknown): string | undefined {
  if (!isVerifyMode(mode) || !PUBLIC_IMAGE.test(image)) return undefined;
  return `database_ssl_mode is ${String(mode)}, and ${CA_BUNDLE_NEED}`;
}

/** Upper bound on the task count: a metadata service this size is a misconfiguration. */
export const TASKS_MAX = 50;

export function taskCount(value: number): Problem {
  return Number.isInteger(value) && value >= 1 && value <= TASKS_MAX ? undefined : `${show(value)} is not a whole number of tasks from 1 to ${TASKS_MAX}`;
}

export function atLeast(value: number, other: unknown, otherName: string): Problem {
  return typeof other === 'number' && value < other ? `${value} is less than ${otherName} (${other})` : undefined;
}

export function percentTarget(value: number): Problem {
  return value >= 10 && value <= 90 ? undefined : `${show(value)} is not a target utilisation from 10 to 90 percent`;
}

/**
 * The retention periods CloudWatch Logs accepts, in days, and 0: the aws
 * provider's "never expire" (it sets no retention policy), as the provider's
 * own list for retention_in_days has it.
 */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 0] as const;

export function logRetention(value: number): Problem {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? undefined
    : `${show(value)} is not a retention CloudWatch Logs accepts: one of ${LOG_RETENTION_DAYS.filter((d) => d > 0).join(', ')}, or 0 to keep logs forever`;
}

/**
 * API Gateway's default account-level throttle per region (requests per second
 * and burst): a stage or an API key cannot be given more, so the limits here
 * stop at them.
 */
export const API_RATE_MAX = 10_000;
export const API_BURST_MAX = 5_000;

export function throttleRate(value: number): Problem {
  return Number.isInteger(value) && value >= 1 && value <= API_RATE_MAX
    ? undefined
    : `${show(value)} is not a whole number of requests per second from 1 to ${API_RATE_MAX} (API Gateway's default account limit)`;
}

export function throttleBurst(value: number): Problem {
  return Number.isInteger(value) && value >= 1 && value <= API_BURST_MAX
    ? undefined
    : `${show(value)} is not a whole number of requests from 1 to ${API_BURST_MAX} (API Gateway's default account burst)`;
}

export function quotaLimit(value: number): Problem {
  return Number.isSafeInteger(value) && value >= 1 ? undefined : `${show(value)} is not a whole number of requests of at least 1`;
}

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

export function quotaPeriod(value: string): Problem {
  return (QUOTA_PERIODS as readonly string[]).includes(value) ? undefined : `${show(value)} is not a quota period: one of ${QUOTA_PERIODS.join(', ')}`;
}

/** The public API would take any caller: published, with no API key and no source-IP list. */
export function apiIsOpen(answers: Readonly<Record<string, unknown>>): boolean {
  const list = answers.access_list_cidr_blocks;
  return answers.enable_api_gateway !== false && answers.api_basic_auth === false && Array.isArray(list) && list.length === 0;
}

export function openApiConsent(value: boolean, answers: Readonly<Record<string, unknown>>): Problem {
  if (value || !apiIsOpen(answers)) return undefined;
  return (
    'with api_basic_auth false and an empty access_list_cidr_blocks, anyone on the internet could read and write your run metadata ' +
    '(the metadata service has no authentication of its own). Turn on api_basic_auth, list your CIDR blocks, keep the API private ' +
    '(enable_api_gateway false), or accept it explicitly with allow_open_api: true (--allow-open-api)'
  );
}
