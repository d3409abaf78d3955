// The catalogue of inputs: one declaration per input drives the prompts, the
// CLI flags, the answers file, .yo-rc.json, variables.tf, terraform.tfvars and
// the README tables. Names, types, defaults and descriptions of the module's
// inputs are the contract (the seed module's README) and must not drift.
import * as v from './validators.js';
import { hcl, type HclValue } from './hcl.js';

export type HclType = 'string' | 'number' | 'bool' | 'list(string)' | 'map(string)';
export type Value = string | number | boolean | null | string[] | Record<string, string>;
export type Answers = Record<string, Value>;

export type GroupId = 'naming' | 'network' | 'database' | 'container' | 'access' | 'tags';

export const GROUPS: readonly { id: GroupId; title: string }[] = [
  { id: 'naming', title: 'Region and naming' },
  { id: 'network', title: 'Network' },
  { id: 'database', title: 'Database' },
  { id: 'container', title: 'Container and storage' },
  { id: 'access', title: 'Access and authentication' },
  { id: 'tags', title: 'Tags' },
];

/** A Terraform `validation` block for variables.tf. */
export interface HclValidation {
  /**
   * Null-safe: Terraform's `||` and `&&` evaluate both sides, so a guard is
   * written `x == null ? true : f(x)` and anything that can fail sits in `try()`/`can()`.
   */
  condition: string;
  message: string;
  /** A value of this input that fails exactly this rule; the generated repo's tests plan it and expect the failure. */
  invalid: Value;
}

export interface Input {
  /** Terraform variable name; also the answers-file key and the .yo-rc.json key. */
  name: string;
  type: HclType;
  /** Terraform default; absent means the variable is required. */
  default?: Value;
  /** The seed's description, word for word. */
  description: string;
  /** The question asked at the prompt. */
  prompt: string;
  group: GroupId;
  /** Where the variable lives: the module itself, or only the example root module. */
  scope: 'module' | 'root';
  /** Choices for a list prompt. */
  choices?: readonly string[];
  /** Default offered at the prompt when it should follow earlier answers. */
  suggest?: (answers: Answers) => Value | undefined;
  /** Ask only when this holds; otherwise the suggested or Terraform default is used. */
  when?: (answers: Answers) => boolean;
  /** Field check; `answers` holds whatever else is known so far. */
  validate: (value: never, answers: Answers) => v.Problem;
  /** Mirrors of `validate` in HCL, for variables.tf. */
  hcl?: readonly HclValidation[];
  /** Example shown in the README tables and prompt hints. */
  example: Value;
}

/** `check` for a nullable input: null passes, and the check never sees null. */
const unlessNull = (name: string, nullable: boolean, check: string): string => (nullable ? `var.${name} == null ? true : ${check}` : check);

const arnHcl = (name: string, service: string, resource: string, what: string, nullable = false): HclValidation => ({
  condition: unlessNull(name, nullable, `can(regex(${hcl(`^arn:aws(-us-gov|-cn)?:${service}:${resource}`)}, var.${name}))`),
  message: `${name} must be the ARN of ${what}.`,
  invalid: 'not-an-arn',
});

/** `example` is a valid ARN of the input; the rule's failing value is the same ARN in the China partition. */
const partitionHcl = (name: string, example: string, nullable = false): HclValidation => ({
  condition: unlessNull(name, nullable, `try(split(":", var.${name})[1] == var.iam_partition, false)`),
  message: `${name} must be in the partition named by iam_partition.`,
  invalid: example.replace(/^arn:aws:/, 'arn:aws-cn:').replace(':us-east-1:', ':cn-north-1:'),
});

const cidrListHcl = (name: string, example: string): HclValidation[] => [
  {
    condition: `alltrue([for c in var.${name} : try(!strcontains(c, ":") && cidrsubnet(c, 0, 0) == c, false)])`,
    message: `${name} must hold IPv4 CIDR blocks written as network addresses, such as 10.0.0.0/16.`,
    invalid: ['10.20.0.1/16'],
  },
  { condition: `length(distinct(var.${name})) == length(var.${name})`, message: `${name} must not list a CIDR block twice.`, invalid: [example, example] },
];

/** `can(regex(...))` for a validator's own pattern: one rule, in TypeScript and in HCL (RE2 reads these sources alike). */
const matches = (pattern: RegExp, expression: string): string => `can(regex(${hcl(pattern.source)}, ${expression}))`;

const SECRET_EXAMPLE = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-dev-db-password-AbCdEf';
const ROLE_EXAMPLE = 'arn:aws:iam::123456789012:role/metaflow-dev-ecs-execution';
const BUCKET_EXAMPLE = 'arn:aws:s3:::metaflow-dev-datastore';
const KEY_EXAMPLE = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const fargateTable = Object.fromEntries([...v.FARGATE_SIZES].map(([cpu, memory]) => [String(cpu), memory.map(String)]));

export const INPUTS: readonly Input[] = [
  // ---- Region and naming
  {
    name: 'aws_region',
    type: 'string',
    scope: 'root',
    description: 'AWS region the example root module deploys into',
    prompt: 'AWS region to deploy into',
    group: 'naming',
    example: 'us-east-1',
    validate: (value: string, a) => v.region(value, a.iam_partition),
    hcl: [{ condition: matches(v.REGION, 'var.aws_region'), message: 'aws_region must be an AWS region such as us-east-1.', invalid: 'us-east1' }],
  },
  {
    name: 'iam_partition',
    type: 'string',
    scope: 'module',
    default: 'aws',
    description: 'IAM Partition (Select aws-us-gov for AWS GovCloud, otherwise leave as is)',
    prompt: 'AWS partition',
    group: 'naming',
    choices: v.PARTITIONS,
    example: 'aws',
    suggest: (a) => (typeof a.aws_region === 'string' && !v.region(a.aws_region) ? v.partitionOfRegion(a.aws_region) : undefined),
    validate: (value: string) => v.partition(value),
    hcl: [{ condition: `contains(${hcl([...v.PARTITIONS])}, var.iam_partition)`, message: `iam_partition must be one of ${v.PARTITIONS.join(', ')}.`, invalid: 'aws-eu' }],
  },
  {
    name: 'is_gov',
    type: 'bool',
    scope: 'module',
    default: false,
    description: "Set to true if IAM partition is 'aws-us-gov'",
    prompt: 'Deploying to AWS GovCloud?',
    group: 'naming',
    example: false,
    when: (a) => a.iam_partition === 'aws-us-gov',
    suggest: (a) => a.iam_partition === 'aws-us-gov',
    validate: (value: boolean, a) => v.govFlag(value, a.iam_partition ?? 'aws'),
    hcl: [{ condition: 'var.is_gov == (var.iam_partition == "aws-us-gov")', message: 'is_gov must be true exactly when iam_partition is "aws-us-gov".', invalid: true }],
  },
  {
    name: 'resource_prefix',
    type: 'string',
    scope: 'module',
    description: 'Prefix given to all AWS resources to differentiate between applications',
    prompt: 'Name prefix for every resource (e.g. metaflow)',
    group: 'naming',
    example: 'metaflow',
    validate: (value: string, a) => v.nameAffix(value, a.resource_suffix, 'resource_suffix'),
    hcl: [
      { condition: matches(v.AFFIX, 'var.resource_prefix'), message: 'resource_prefix may hold only lowercase letters, digits and inner hyphens.', invalid: 'Metaflow_' },
      {
        condition: `length(var.resource_prefix) + length(var.resource_suffix) <= ${v.AFFIX_MAX_COMBINED}`,
        message: `resource_prefix and resource_suffix together may be at most ${v.AFFIX_MAX_COMBINED} characters, so load balancer names stay within ${v.LB_NAME_MAX}.`,
        invalid: 'metaflow-metadata-service',
      },
    ],
  },
  {
    name: 'resource_suffix',
    type: 'string',
    scope: 'module',
    description: 'Suffix given to all AWS resources to differentiate between environment and workspace',
    prompt: 'Name suffix for every resource (e.g. the environment: dev, prod)',
    group: 'naming',
    example: 'dev',
    validate: (value: string, a) => v.nameAffix(value, a.resource_prefix, 'resource_prefix'),
    hcl: [{ condition: matches(v.AFFIX, 'var.resource_suffix'), message: 'resource_suffix may hold only lowercase letters, digits and inner hyphens.', invalid: '-dev' }],
  },
  // ---- Network
  {
    name: 'metaflow_vpc_id',
    type: 'string',
    scope: 'module',
    description: 'ID of the Metaflow VPC this SageMaker notebook instance is to be deployed in',
    prompt: 'VPC id',
    group: 'network',
    example: 'vpc-0a1b2c3d4e5f67890',
    validate: (value: string) => v.vpcId(value),
    hcl: [{ condition: matches(v.VPC_ID, 'var.metaflow_vpc_id'), message: 'metaflow_vpc_id must look like vpc- and 8 or 17 hex digits.', invalid: 'vpc-123' }],
  },
  {
    name: 'vpc_cidr_blocks',
    type: 'list(string)',
    scope: 'module',
    description: "The VPC CIDR blocks that we'll access list on our Metadata Service API to allow all internal communications",
    prompt: 'CIDR blocks of the VPC (comma-separated)',
    group: 'network',
    example: ['10.20.0.0/16'],
    validate: (value: string[]) => v.nonEmptyCidrList(value),
    hcl: [{ condition: 'length(var.vpc_cidr_blocks) > 0', message: 'vpc_cidr_blocks must hold at least one CIDR block.', invalid: [] }, ...cidrListHcl('vpc_cidr_blocks', '10.20.0.0/16')],
  },
  {
    name: 'subnet1_id',
    type: 'string',
    scope: 'module',
    description: 'First private subnet used for availability zone redundancy',
    prompt: 'First private subnet id',
    group: 'network',
    example: 'subnet-0123456789abcdef0',
    validate: (value: string) => v.subnetId(value),
    hcl: [{ condition: matches(v.SUBNET_ID, 'var.subnet1_id'), message: 'subnet1_id must look like subnet- and 8 or 17 hex digits.', invalid: 'subnet-xyz' }],
  },
  {
    name: 'subnet2_id',
    type: 'string',
    scope: 'module',
    description: 'Second private subnet used for availability zone redundancy',
    prompt: 'Second private subnet id (another availability zone)',
    group: 'network',
    example: 'subnet-0fedcba9876543210',
    validate: (value: string, a) => v.subnetId(value) ?? v.differentFrom(value, a.subnet1_id, 'subnet1_id'),
    hcl: [
      { condition: matches(v.SUBNET_ID, 'var.subnet2_id'), message: 'subnet2_id must look like subnet- and 8 or 17 hex digits.', invalid: 'subnet-xyz' },
      { condition: 'var.subnet2_id != var.subnet1_id', message: 'subnet2_id must differ from subnet1_id.', invalid: 'subnet-0123456789abcdef0' },
    ],
  },
  {
    name: 'with_public_ip',
    type: 'bool',
    scope: 'module',
    default: false,
    description: 'Enable private IP by default',
    prompt: 'Give the Fargate tasks public IP addresses? (only for public subnets without a NAT gateway)',
    group: 'network',
    example: false,
    validate: () => undefined,
  },
  // ---- Database
  {
    name: 'rds_master_instance_endpoint',
    type: 'string',
    scope: 'module',
    description: 'The database connection endpoint in address:port format',
    prompt: 'Database endpoint (host:port)',
    group: 'database',
    example: 'metaflow-dev.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:5432',
    validate: (value: string) => v.hostPort(value),
    hcl: [
      {
        condition: 'can(regex("^[A-Za-z0-9.-]+:[0-9]{1,5}$", var.rds_master_instance_endpoint)) && try(tonumber(split(":", var.rds_master_instance_endpoint)[1]) <= 65535, false)',
        message: 'rds_master_instance_endpoint must be host:port, such as mydb.abc123.us-east-1.rds.amazonaws.com:5432.',
        invalid: 'metaflow-dev.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:70000',
      },
    ],
  },
  {
    name: 'database_name',
    type: 'string',
    scope: 'module',
    default: 'metaflow',
    description: 'The database name',
    prompt: 'Database name',
    group: 'database',
    example: 'metaflow',
    validate: (value: string) => v.pgIdentifier(value),
    hcl: [{ condition: matches(v.PG_IDENTIFIER, 'var.database_name'), message: 'database_name must be a PostgreSQL name of at most 63 characters.', invalid: 'metaflow-db' }],
  },
  {
    name: 'database_username',
    type: 'string',
    scope: 'module',
    description: 'The database username',
    prompt: 'Database user name',
    group: 'database',
    example: 'metaflow',
    validate: (value: string) => v.pgIdentifier(value),
    hcl: [{ condition: matches(v.PG_IDENTIFIER, 'var.database_username'), message: 'database_username must be a PostgreSQL name of at most 63 characters.', invalid: '1metaflow' }],
  },
  {
    name: 'database_password_secret_manager_arn',
    type: 'string',
    scope: 'module',
    description: 'The arn of the database password stored in AWS secrets manager',
    prompt: 'ARN of the Secrets Manager secret holding the database password',
    group: 'database',
    example: SECRET_EXAMPLE,
    validate: (value: string, a) => v.arn(value, 'secretsmanager-secret', a.iam_partition),
    hcl: [arnHcl('database_password_secret_manager_arn', 'secretsmanager', '[a-z0-9-]+:[0-9]{12}:secret:.+$', 'a Secrets Manager secret'), partitionHcl('database_password_secret_manager_arn', SECRET_EXAMPLE)],
  },
  // ---- Container and storage
  {
    name: 'metadata_service_container_image',
    type: 'string',
    scope: 'module',
    description: 'Container image for metadata service',
    prompt: 'Metadata service container image',
    group: 'container',
    example: 'netflixoss/metaflow_metadata_service:v2.4.12',
    suggest: () => 'netflixoss/metaflow_metadata_service:v2.4.12',
    validate: (value: string) => v.containerImage(value),
    hcl: [
      {
        condition: `${matches(v.IMAGE_RULE, 'var.metadata_service_container_image')} && !endswith(var.metadata_service_container_image, ":latest")`,
        message: 'metadata_service_container_image must be an image reference pinned with a version tag (not latest) or a sha256 digest.',
        invalid: 'netflixoss/metaflow_metadata_service:latest',
      },
    ],
  },
  {
    name: 'metadata_service_cpu',
    type: 'number',
    scope: 'module',
    default: 512,
    description: 'ECS task CPU unit for metadata service',
    prompt: 'Task CPU units',
    group: 'container',
    choices: [...v.FARGATE_SIZES.keys()].map(String),
    example: 512,
    validate: (value: number) => v.fargateCpu(value),
    hcl: [{ condition: `contains(${hcl([...v.FARGATE_SIZES.keys()])}, var.metadata_service_cpu)`, message: `metadata_service_cpu must be one of ${[...v.FARGATE_SIZES.keys()].join(', ')}.`, invalid: 384 }],
  },
  {
    name: 'metadata_service_memory',
    type: 'number',
    scope: 'module',
    default: 1024,
    description: 'ECS task memory in MiB for metadata service',
    prompt: 'Task memory (MiB)',
    group: 'container',
    example: 1024,
    // The smallest memory the chosen CPU allows.
    suggest: (a) => (typeof a.metadata_service_cpu === 'number' ? v.FARGATE_SIZES.get(a.metadata_service_cpu)?.[0] : undefined),
    validate: (value: number, a) => v.fargateMemory(value, a.metadata_service_cpu ?? 512),
    hcl: [
      {
        condition: `contains(lookup(${hcl(fargateTable as HclValue, '    ')}, tostring(var.metadata_service_cpu), []), tostring(var.metadata_service_memory))`,
        message: 'metadata_service_memory must be a Fargate memory size allowed for metadata_service_cpu.',
        invalid: 8192,
      },
    ],
  },
  {
    name: 'fargate_execution_role_arn',
    type: 'string',
    scope: 'module',
    description: "The IAM role that grants access to ECS and Batch services which we'll use as our Metadata Service API's execution_role for our Fargate instance",
    prompt: 'ARN of the ECS task execution role',
    group: 'container',
    example: ROLE_EXAMPLE,
    validate: (value: string, a) => v.arn(value, 'iam-role', a.iam_partition),
    hcl: [arnHcl('fargate_execution_role_arn', 'iam', ':[0-9]{12}:role/.+$', 'an IAM role'), partitionHcl('fargate_execution_role_arn', ROLE_EXAMPLE)],
  },
  {
    name: 'ecs_cluster_id',
    type: 'string',
    scope: 'module',
    default: null,
    description: 'The ID of an existing ECS cluster to run services on. If no cluster ID is specfied, a new cluster will be created.',
    prompt: 'ARN of an existing ECS cluster (leave empty to create one)',
    group: 'container',
    example: null,
    validate: (value: string | null, a) => (value === null ? undefined : v.arn(value, 'ecs-cluster', a.iam_partition)),
    hcl: [arnHcl('ecs_cluster_id', 'ecs', '[a-z0-9-]+:[0-9]{12}:cluster/.+$', 'an ECS cluster (or null)', true), partitionHcl('ecs_cluster_id', 'arn:aws:ecs:us-east-1:123456789012:cluster/shared', true)],
  },
  {
    name: 's3_bucket_arn',
    type: 'string',
    scope: 'module',
    description: "The ARN of the bucket we'll be using as blob storage",
    prompt: 'ARN of the Metaflow datastore S3 bucket',
    group: 'container',
    example: BUCKET_EXAMPLE,
    validate: (value: string, a) => v.arn(value, 's3-bucket', a.iam_partition),
    hcl: [arnHcl('s3_bucket_arn', 's3', '::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', 'an S3 bucket'), partitionHcl('s3_bucket_arn', BUCKET_EXAMPLE)],
  },
  {
    name: 'datastore_s3_bucket_kms_key_arn',
    type: 'string',
    scope: 'module',
    description: 'The ARN of the KMS key used to encrypt the Metaflow datastore S3 bucket',
    prompt: 'ARN of the KMS key that encrypts the datastore bucket',
    group: 'container',
    example: KEY_EXAMPLE,
    validate: (value: string, a) => v.arn(value, 'kms-key', a.iam_partition),
    hcl: [arnHcl('datastore_s3_bucket_kms_key_arn', 'kms', '[a-z0-9-]+:[0-9]{12}:key/.+$', 'a KMS key'), partitionHcl('datastore_s3_bucket_kms_key_arn', KEY_EXAMPLE)],
  },
  // ---- Access and authentication
  {
    name: 'access_list_cidr_blocks',
    type: 'list(string)',
    scope: 'module',
    description: "List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks.",
    prompt: 'CIDR blocks allowed to call the public API, e.g. your VPN (comma-separated; empty = any caller with the key)',
    group: 'access',
    example: ['203.0.113.0/24'],
    validate: (value: string[]) => v.cidrList(value),
    hcl: cidrListHcl('access_list_cidr_blocks', '203.0.113.0/24'),
  },
  {
    name: 'api_basic_auth',
    type: 'bool',
    scope: 'module',
    default: true,
    description: 'Enable basic auth for API Gateway? (requires key export)',
    prompt: 'Require an API key (x-api-key) on the public API?',
    group: 'access',
    example: true,
    validate: () => undefined,
  },
  // ---- Tags
  {
    name: 'standard_tags',
    type: 'map(string)',
    scope: 'module',
    description: 'The standard tags to apply to every AWS resource.',
    prompt: 'Tags for every resource (key=value, comma-separated)',
    group: 'tags',
    example: { environment: 'dev', team: 'ml-platform' },
    validate: (value: Record<string, string>) => v.tags(value),
    hcl: [
      {
        condition: `length(var.standard_tags) <= ${v.TAGS_MAX}`,
        message: `standard_tags may hold at most ${v.TAGS_MAX} tags.`,
        invalid: Object.fromEntries(Array.from({ length: v.TAGS_MAX + 1 }, (_, i) => [`tag${String(i).padStart(2, '0')}`, 'x'])),
      },
      {
        condition: `alltrue([for k, val in var.standard_tags : try(length(k) >= 1 && length(k) <= ${v.TAG_KEY_MAX} && length(val) <= ${v.TAG_VALUE_MAX} && !startswith(lower(k), "aws:") && ${matches(v.TAG_TEXT, 'k')} && ${matches(v.TAG_TEXT, 'val')}, false)])`,
        invalid: { 'aws:owner': 'ml' },
        message: 'standard_tags keys (1-128 characters, not aws:) and values (up to 256) may hold only letters, digits, spaces and _ . : / = + - @.',
      },
    ],
  },
];

export const INPUT_BY_NAME: ReadonlyMap<string, Input> = new Map(INPUTS.map((input) => [input.name, input]));

export const MODULE_INPUTS = INPUTS.filter((input) => input.scope === 'module');

/** The inputs in the order variables.tf lists them (alphabetical, as the seed's table). */
export const MODULE_INPUTS_SORTED = [...MODULE_INPUTS].sort((a, b) => a.name.localeCompare(b.name));

export const isRequired = (input: Input): boolean => !('default' in input);

/** Kebab-case CLI flag for an input: `vpc_cidr_blocks` → `vpc-cidr-blocks`. */
export const flagName = (input: Input): string => input.name.replace(/_/g, '-');
