// Pure validators. Each takes a value (already of the right JavaScript type) and
// returns undefined when it is acceptable, or a sentence saying what is expected.
// They never throw and import nothing from Yeoman: the catalogue prefixes the
// field name, so the messages here stay short and reusable.
import ipaddr from 'ipaddr.js';
import { parse as parseArn, validate as isArn } from '@aws-sdk/util-arn-parser';

export type Problem = string | undefined;

export const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** Longest name AWS lets a load balancer or target group have. */
export const LB_NAME_MAX = 32;
/**
 * The longest fixed part the module puts between prefix and suffix in a
 * 32-character name (`<prefix>-md-mig-<suffix>` for the migration target group);
 * a test checks it against the names in locals.tf.
 * Kept here so the validator and variables.tf share one number.
 */
export const LB_NAME_INFIX = '-md-mig-';
export const AFFIX_MAX_COMBINED = LB_NAME_MAX - LB_NAME_INFIX.length;

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

export const REGION = /^(?:[a-z]{2}|us-gov|us-iso[a-z]?)-[a-z]+-[0-9]{1,2}$/;

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

export function region(value: string, partition?: unknown): Problem {
  if (!REGION.test(value)) return `${show(value)} is not an AWS region such as us-east-1`;
  if (typeof partition === 'string' && partitionOfRegion(value) !== partition) {
    return `${show(value)} is not a region of partition ${show(partition)} (iam_partition)`;
  }
  return undefined;
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
    resource: /^secret:[A-Za-z0-9/_+=.@-]{1,512}$/,
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

// ---------------------------------------------------------------------------
// Names

export const PG_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

export function pgIdentifier(value: string): Problem {
  return PG_IDENTIFIER.test(value)
    ? undefined
    : `${show(value)} is not a PostgreSQL name: a letter or "_", then letters, digits, "_" or "$", at most 63 characters`;
}

export const AFFIX = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function nameAffix(value: string, other: unknown, otherName: string): Problem {
  if (!AFFIX.test(value)) {
    return `${show(value)} may hold only lowercase letters, digits and inner hyphens (the module joins names with "-" itself)`;
  }
  const otherLength = typeof other === 'string' ? other.length : 0;
  if (value.length + otherLength > AFFIX_MAX_COMBINED) {
    return `is ${value.length} characters and ${otherName} ${otherLength}: together at most ${AFFIX_MAX_COMBINED}, so that load balancer names such as "<prefix>${LB_NAME_INFIX}<suffix>" stay within ${LB_NAME_MAX}`;
  }
  return undefined;
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
