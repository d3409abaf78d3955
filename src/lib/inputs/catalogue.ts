// The catalogue of inputs: one declaration per input drives the prompts, the
// CLI flags, the answers file, .yo-rc.json, variables.tf, terraform.tfvars and
// the README tables. Names, types, defaults and descriptions of the module's
// inputs are the contract (the seed module's README) and must not drift.
import * as v from './validators.js';
import { hcl, type HclValue } from '../render/hcl.js';
import * as adopt from '../adopt/terraform-aws-metaflow.js';

export type HclType = 'string' | 'number' | 'bool' | 'list(string)' | 'map(string)';
export type Value = string | number | boolean | null | string[] | Record<string, string>;
export type Answers = Record<string, Value>;

export type GroupId = 'adopt' | 'naming' | 'network' | 'database' | 'container' | 'access' | 'tags';

export const GROUPS: readonly { id: GroupId; title: string }[] = [
  { id: 'adopt', title: 'Adopting an existing deployment' },
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
  /** Other inputs' (valid) values under which `invalid` fails, when the rule reads them. */
  context?: Answers;
}

export interface Input {
  /** Terraform variable name; also the answers-file key and the .yo-rc.json key. */
  name: string;
  type: HclType;
  /** Terraform default; absent means the variable is required. */
  default?: Value;
  /**
   * What the variable is for. The seed's words, except where they were wrong
   * (a SageMaker notebook in a VPC id, "private IP" for a public IP switch,
   * basic auth for an API key): the README lists those corrections.
   */
  description: string;
  /** The question asked at the prompt. */
  prompt: string;
  group: GroupId;
  /**
   * Where the variable lives: the module itself, or only the example root
   * module; `generator`: no variable at all, an answer about what to generate
   * (adopting an existing deployment), stored and asked like the others.
   */
  scope: 'module' | 'root' | 'generator';
  /**
   * Not one of the seed module's 23 inputs: added by this generator, optional,
   * with a default that keeps a seed caller's behaviour (listed in the README).
   */
  addition?: true;
  /** null is an answer (empty text at the prompt); implied by a null default. */
  nullable?: true;
  /** What a null answer does, for the summary (say, "a dedicated role is created"). */
  nullMeans?: string;
  /** At the prompt, when this answer is refused, ask these again too (the refusal is about their combination). */
  reaskWith?: readonly string[];
  /** Choices for a list prompt. */
  choices?: readonly string[];
  /** Default offered at the prompt when it should follow earlier answers. */
  suggest?: (answers: Answers) => Value | undefined;
  /** Ask only when this holds; otherwise the suggested or Terraform default is used. */
  when?: (answers: Answers) => boolean;
  /** Field check; `answers` holds whatever else is known so far. */
  validate: (value: never, answers: Answers) => v.Problem;
  /** A caution about an accepted value, printed as a note (at the prompt after its group, unattended after the checks); never refuses. */
  warn?: (value: never, answers: Answers) => string | undefined;
  /** Mirrors of `validate` in HCL, for variables.tf. */
  hcl?: readonly HclValidation[];
  /** The rules variables.tf holds instead when adopting an existing deployment (adopt_from), where they differ. */
  adoptedHcl?: readonly HclValidation[];
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

/** The validators' task-count rule (a whole number from 1 to TASKS_MAX) in HCL. */
const taskCountHcl = (name: string, invalid: number): HclValidation => ({
  condition: `var.${name} >= 1 && var.${name} <= ${v.TASKS_MAX} && floor(var.${name}) == var.${name}`,
  message: `${name} must be a whole number from 1 to ${v.TASKS_MAX}.`,
  invalid,
});

/** `can(regex(...))` for a validator's own pattern: one rule, in TypeScript and in HCL (RE2 reads these sources alike). */
const matches = (pattern: RegExp, expression: string): string => `can(regex(${hcl(pattern.source)}, ${expression}))`;

const SECRET_EXAMPLE = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-dev-db-password-AbCdEf';
const ROLE_EXAMPLE = 'arn:aws:iam::123456789012:role/metaflow-dev-ecs-execution';
const BUCKET_EXAMPLE = 'arn:aws:s3:::metaflow-dev-datastore';
const KEY_EXAMPLE = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const fargateTable = Object.fromEntries([...v.FARGATE_SIZES].map(([cpu, memory]) => [String(cpu), memory.map(String)]));

export const INPUTS: readonly Input[] = [
  // ---- Adopting an existing deployment (src/lib/adopt/terraform-aws-metaflow.ts)
  {
    name: 'adopt_from',
    type: 'string',
    scope: 'generator',
    default: null,
    nullMeans: 'a new deployment',
    description: `Adopt an existing deployment of ${adopt.SOURCE.repository}'s metadata-service module (${adopt.SOURCE.release}) instead of creating a new one: the load balancer, API, stage, key, usage plan, cluster and service are kept (moved blocks, and the names AWS would replace them for), not destroyed. null: a new deployment`,
    prompt: `Adopt an existing deployment made with ${adopt.SOURCE.repository}? (keeps its URLs, API key, load balancer and service)`,
    group: 'adopt',
    choices: adopt.ADOPTABLE,
    example: 'terraform-aws-metaflow',
    // Chosen with --adopt-from or in the answers file, never asked of a new deployment: nothing in
    // a new user's session, summary or .yo-rc.json changes. Once given, it is shown and stored (so a
    // re-run keeps adopting), and the adoption's other questions are asked.
    when: (a) => adopt.adopting(a),
    validate: (value: string | null) => (value === null ? undefined : adopt.adoptSource(value)),
    warn: (value: string | null) =>
      value === null
        ? undefined
        : `adopting: resource_prefix and resource_suffix are read exactly as ${adopt.SOURCE.repository}'s module was given them (through its root module: metaflow- and -dev, or an empty suffix), database_password_secret_manager_arn names a secret holding the database's current password, and nothing is applied before you check the plan (README.md, "Adopting an existing deployment")`,
  },
  {
    name: 'adopt_module_address',
    type: 'string',
    scope: 'generator',
    default: null,
    nullMeans: 'not adopting',
    description: `Address of the adopted module in your Terraform state (terraform state list): module.<name> when you called ${adopt.SOURCE.module} directly; through the repository's root module, module.<name> then .module.${adopt.SOURCE.rootCall}. examples/complete/adopt.tf moves it to module.metadata_service. Only with adopt_from`,
    prompt: `Its address in your state (terraform state list: module.<name>, or module.<name>.module.${adopt.SOURCE.rootCall} through the root module)`,
    group: 'adopt',
    example: `module.metaflow.module.${adopt.SOURCE.rootCall}`,
    when: (a) => adopt.adopting(a),
    validate: (value: string | null, a) => adopt.moduleAddress(value, a),
  },
  // ---- Region and naming
  {
    name: 'aws_region',
    type: 'string',
    scope: 'root',
    description: 'AWS region the example root module deploys into',
    prompt: 'AWS region to deploy into',
    group: 'naming',
    example: 'us-east-1',
    // The region may be right and the partition wrong: ask both again.
    reaskWith: ['iam_partition', 'is_gov'],
    validate: (value: string, a) => v.region(value, a.iam_partition),
    // The regions of the three partitions, from the AWS SDK's partition data (the list region() checks).
    hcl: [
      {
        condition: `contains(${hcl([...v.ALL_REGIONS], '    ')}, var.aws_region)`,
        message: `aws_region must be a region of the ${v.PARTITIONS.join(', ')} partitions (the AWS SDK's list), such as us-east-1.`,
        invalid: 'us-east-7',
      },
    ],
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
    // Adopting, it follows the partition (the old module declared it and read the partition instead).
    when: (a) => a.iam_partition === 'aws-us-gov' && !adopt.adopting(a),
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
    validate: (value: string, a) => (adopt.adopting(a) ? adopt.adoptedAffix(value, a.resource_suffix, 'resource_suffix') : adopt.orAdopt(value, v.nameAffix(value, a.resource_suffix, 'resource_suffix'))),
    adoptedHcl: adopt.ADOPTED_PREFIX_HCL,
    hcl: [
      { condition: matches(v.AFFIX, 'var.resource_prefix'), message: 'resource_prefix may hold only lowercase letters, digits and inner hyphens.', invalid: 'Metaflow_' },
      {
        condition: `length(var.resource_prefix) + length(var.resource_suffix) <= ${v.AFFIX_MAX_COMBINED}`,
        message: `resource_prefix and resource_suffix together may be at most ${v.AFFIX_MAX_COMBINED} characters, so load balancer names stay within ${v.LB_NAME_MAX}.`,
        invalid: 'metaflow-metadata-service',
      },
      {
        // The module puts "-" after the prefix: "internal" gives the load balancer "internal-md-<suffix>".
        condition: `try(!anytrue([for start in ${hcl(v.RESERVED_PREFIX_STARTS.map((r) => r.start))} : startswith("\${var.resource_prefix}-", start)]), false)`,
        message: `resource_prefix must not be ${v.RESERVED_PREFIX_STARTS.map((r) => `"${r.start.replace(/-$/, '')}"`).join(' or ')} nor begin with ${v.RESERVED_PREFIX_STARTS.map((r) => `"${r.start}"`).join(' or ')}: AWS reserves ${v.RESERVED_PREFIX_STARTS.map((r) => `${r.what} names that begin with "${r.start}"`).join(' and ')}.`,
        invalid: 'internal',
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
    validate: (value: string, a) => (adopt.adopting(a) ? adopt.adoptedAffix(value, a.resource_prefix, 'resource_prefix') : adopt.orAdopt(value, v.nameAffix(value, a.resource_prefix, 'resource_prefix'))),
    adoptedHcl: adopt.ADOPTED_SUFFIX_HCL,
    hcl: [{ condition: matches(v.AFFIX, 'var.resource_suffix'), message: 'resource_suffix may hold only lowercase letters, digits and inner hyphens.', invalid: '-dev' }],
  },
  // ---- Network
  {
    name: 'metaflow_vpc_id',
    type: 'string',
    scope: 'module',
    description: 'ID of the VPC the metadata service runs in: the VPC of subnet1_id and subnet2_id',
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
    description: 'Give the Fargate tasks public IP addresses; only for public subnets without a NAT gateway (false keeps the tasks private)',
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
    prompt: 'Full ARN of the Secrets Manager secret holding the database password (it ends in -XXXXXX)',
    group: 'database',
    example: SECRET_EXAMPLE,
    validate: (value: string, a) => v.secretArn(value, a.iam_partition),
    warn: (value: string) => v.rotatingSecretCaution(value),
    hcl: [
      arnHcl('database_password_secret_manager_arn', 'secretsmanager', '[a-z0-9-]+:[0-9]{12}:secret:.+$', 'a Secrets Manager secret'),
      partitionHcl('database_password_secret_manager_arn', SECRET_EXAMPLE),
      {
        condition: matches(v.SECRET_FULL_ARN, 'var.database_password_secret_manager_arn'),
        message:
          'database_password_secret_manager_arn must be the full ARN, ending in "-" and the 6 characters Secrets Manager appends to the name: ECS accepts a partial ARN but IAM does not match it, so the task would fail with AccessDenied.',
        invalid: SECRET_EXAMPLE.replace(/-[A-Za-z0-9]{6}$/, ''),
      },
    ],
  },
  {
    name: 'database_password_secret_key',
    type: 'string',
    scope: 'module',
    addition: true,
    default: null,
    nullMeans: 'the secret holds the bare password',
    description:
      'JSON key of the password inside the secret, when the secret holds JSON (RDS-managed master user secrets use "password"); null when the secret holds only the password',
    prompt: 'JSON key of the password inside the secret (empty: the secret is the bare password)',
    group: 'database',
    example: null,
    // RDS names the secrets it manages rds!db-... or rds!cluster-..., and stores JSON in them.
    suggest: (a) => (typeof a.database_password_secret_manager_arn === 'string' && /:secret:rds!/.test(a.database_password_secret_manager_arn) ? 'password' : undefined),
    validate: (value: string | null) => (value === null ? undefined : v.secretJsonKey(value)),
    hcl: [
      {
        condition: `var.database_password_secret_key == null ? true : ${matches(v.SECRET_JSON_KEY, 'var.database_password_secret_key')}`,
        message: 'database_password_secret_key must be a JSON key of 1-255 letters, digits, _ . or - (or null).',
        invalid: 'db:password',
      },
    ],
  },
  {
    name: 'database_ssl_mode',
    type: 'string',
    scope: 'module',
    addition: true,
    default: 'require',
    description:
      'PostgreSQL SSL mode of the service\'s database connections (disable, allow, prefer, require, verify-ca, verify-full). RDS for PostgreSQL 15+ accepts only TLS by default, where the service\'s migrations fail with disable and allow; verify-ca and verify-full need database_ssl_root_cert_path, the RDS CA bundle in the image',
    prompt: 'SSL mode for the database connection (require: TLS; verify-ca/verify-full also check the certificate, with an image that holds the RDS CA bundle)',
    group: 'database',
    choices: v.SSL_MODES,
    example: 'require',
    // A verify mode without a bundle: ask both again.
    reaskWith: ['database_ssl_root_cert_path'],
    // The combinations with database_ssl_root_cert_path are checked here, on one of the two
    // (Terraform refuses validations of two variables that read each other).
    validate: (value: string, a) => v.sslMode(value) ?? v.sslModeAndBundle(value, a.database_ssl_root_cert_path),
    warn: (value: string) => v.sslModeCaution(value),
    hcl: [
      { condition: `contains(${hcl([...v.SSL_MODES])}, var.database_ssl_mode)`, message: `database_ssl_mode must be one of ${v.SSL_MODES.join(', ')}.`, invalid: 'required' },
      {
        condition: 'startswith(var.database_ssl_mode, "verify-") ? var.database_ssl_root_cert_path != null : true',
        message: `database_ssl_mode verify-ca and verify-full check the server's certificate against a CA bundle in the image: set database_ssl_root_cert_path (${v.CA_BUNDLE_NEED}).`,
        invalid: 'verify-full',
        context: { database_ssl_root_cert_path: null },
      },
      {
        condition: 'var.database_ssl_root_cert_path == null ? true : startswith(var.database_ssl_mode, "verify-")',
        message: 'database_ssl_root_cert_path is read only with database_ssl_mode verify-ca or verify-full: choose one of those, or set database_ssl_root_cert_path to null.',
        invalid: 'require',
        context: { database_ssl_root_cert_path: '/etc/ssl/certs/rds-global-bundle.pem' },
      },
    ],
  },
  {
    name: 'database_ssl_root_cert_path',
    type: 'string',
    scope: 'module',
    addition: true,
    default: null,
    nullMeans: 'no CA bundle; only verify-ca and verify-full read one',
    description: `Path, inside the container image, of the CA bundle that verifies the database server's certificate: required by database_ssl_mode verify-ca and verify-full, null with every other mode. The module passes it as MF_METADATA_DB_SSL_ROOT_CERT_PATH (read by the service) and MF_METADATA_DB_SSL_ROOT_CERT (read by the image's migration script). The public netflixoss image holds no RDS CA bundle: build an image FROM it that adds the RDS global bundle (global-bundle.pem from AWS's RDS trust store, README.md) at this path`,
    prompt: `Path of the RDS CA bundle inside your image (the netflixoss image has none: add ${v.RDS_CA_BUNDLE_URL} in an image built FROM it)`,
    group: 'database',
    example: '/etc/ssl/certs/rds-global-bundle.pem',
    when: (a) => v.isVerifyMode(a.database_ssl_mode),
    reaskWith: ['database_ssl_mode'],
    validate: (value: string | null) => v.sslRootCertPath(value),
    hcl: [
      {
        condition: `var.database_ssl_root_cert_path == null ? true : ${matches(v.CONTAINER_PATH, 'var.database_ssl_root_cert_path')}`,
        message: 'database_ssl_root_cert_path must be an absolute path of letters, digits and . _ / - (a file inside the container image), or null.',
        invalid: 'etc/ssl/certs/rds-global-bundle.pem',
      },
    ],
  },
  {
    name: 'database_cidr_blocks',
    type: 'list(string)',
    scope: 'module',
    addition: true,
    default: [],
    description:
      'CIDR blocks of the database when it is not in this VPC (a peered or shared-services VPC): the tasks may reach the database port there. Empty: vpc_cidr_blocks, unless database_security_group_id names the database\'s security group',
    prompt: 'CIDR blocks of the database, when it is outside this VPC (comma-separated; empty = this VPC, or the security group below)',
    group: 'database',
    example: ['10.30.0.0/16'],
    validate: (value: string[]) => v.cidrList(value),
    hcl: cidrListHcl('database_cidr_blocks', '10.30.0.0/16'),
  },
  {
    name: 'database_security_group_id',
    type: 'string',
    scope: 'module',
    addition: true,
    default: null,
    nullMeans: 'the database is reached by CIDR block',
    description:
      'Security group of the database, in this VPC, a peered VPC of the same account and region, or a VPC shared with this account: the tasks may reach the database port in that group. null: by CIDR block only (database_cidr_blocks, else vpc_cidr_blocks)',
    prompt: 'Security group id of the database (empty: reach it by CIDR block)',
    group: 'database',
    example: 'sg-0123456789abcdef0',
    validate: (value: string | null) => (value === null ? undefined : v.securityGroupId(value)),
    hcl: [
      {
        condition: `var.database_security_group_id == null ? true : ${matches(v.SECURITY_GROUP_ID, 'var.database_security_group_id')}`,
        message: 'database_security_group_id must look like sg- and 8 or 17 hex digits (or null).',
        invalid: 'sg-xyz',
      },
    ],
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
    warn: (value: string, a) => v.publicImageCaution(value, a.database_ssl_mode),
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
    name: 'metadata_service_min_count',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 2,
    description: 'Fewest metadata service tasks: the service starts with this many, spread over both subnets, and CPU autoscaling never goes below it',
    prompt: 'Fewest tasks (2 keeps one per availability zone)',
    group: 'container',
    example: 2,
    validate: (value: number) => v.taskCount(value),
    hcl: [taskCountHcl('metadata_service_min_count', 0)],
  },
  {
    name: 'metadata_service_max_count',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 4,
    description: 'Most metadata service tasks CPU autoscaling may run (equal to metadata_service_min_count for a fixed count)',
    prompt: 'Most tasks under load (CPU autoscaling)',
    group: 'container',
    example: 4,
    suggest: (a) => (typeof a.metadata_service_min_count === 'number' ? Math.max(4, a.metadata_service_min_count) : undefined),
    validate: (value: number, a) => v.taskCount(value) ?? v.atLeast(value, a.metadata_service_min_count, 'metadata_service_min_count'),
    hcl: [
      taskCountHcl('metadata_service_max_count', 1.5),
      { condition: 'var.metadata_service_max_count >= var.metadata_service_min_count', message: 'metadata_service_max_count must be at least metadata_service_min_count.', invalid: 1 },
    ],
  },
  {
    name: 'metadata_service_cpu_target',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 60,
    description: 'Average CPU utilisation (percent) CPU autoscaling keeps the service at, between metadata_service_min_count and metadata_service_max_count tasks',
    prompt: 'Target average CPU utilisation for autoscaling (percent)',
    group: 'container',
    example: 60,
    validate: (value: number) => v.percentTarget(value),
    hcl: [{ condition: 'var.metadata_service_cpu_target >= 10 && var.metadata_service_cpu_target <= 90', message: 'metadata_service_cpu_target must be a percentage from 10 to 90.', invalid: 95 }],
  },
  {
    name: 'log_retention_days',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 365,
    description: 'Days CloudWatch keeps the logs of the service, the migration function and API Gateway (one of the values CloudWatch Logs accepts, or 0: never expire)',
    prompt: 'Days to keep logs (0: never expire)',
    group: 'container',
    choices: v.LOG_RETENTION_DAYS.map(String),
    example: 365,
    validate: (value: number) => v.logRetention(value),
    hcl: [{ condition: `contains(${hcl([...v.LOG_RETENTION_DAYS], "    ")}, var.log_retention_days)`, message: 'log_retention_days must be a retention CloudWatch Logs accepts, such as 30, 90, 365 or 731, or 0 to keep logs forever.', invalid: 100 }],
  },
  {
    name: 'fargate_execution_role_arn',
    type: 'string',
    scope: 'module',
    nullable: true,
    nullMeans: 'the module creates a dedicated execution role',
    description:
      'ARN of an existing ECS task execution role for the service (image pull, logs); the module lets it read the database password secret. null: the module creates a dedicated execution role, so no other task definition can read the password',
    prompt: 'ARN of an ECS task execution role to reuse (empty: create one for this service alone, recommended)',
    group: 'container',
    example: ROLE_EXAMPLE,
    validate: (value: string | null, a) => (value === null ? undefined : v.arn(value, 'iam-role', a.iam_partition)),
    hcl: [arnHcl('fargate_execution_role_arn', 'iam', ':[0-9]{12}:role/.+$', 'an IAM role (or null)', true), partitionHcl('fargate_execution_role_arn', ROLE_EXAMPLE, true)],
  },
  {
    name: 'ecs_cluster_id',
    type: 'string',
    scope: 'module',
    default: null,
    nullMeans: 'the module creates a cluster',
    description: 'The ID of an existing ECS cluster to run services on. If no cluster ID is specified, a new cluster will be created.',
    prompt: 'ARN of an existing ECS cluster in this region and account (leave empty to create one)',
    group: 'container',
    example: null,
    validate: (value: string | null, a) =>
      adopt.adopting(a)
        ? adopt.adoptedCluster(value)
        : value === null
          ? undefined
          : (v.arn(value, 'ecs-cluster', a.iam_partition) ?? v.clusterPlacement(value, a.aws_region, a.fargate_execution_role_arn)),
    hcl: [arnHcl('ecs_cluster_id', 'ecs', '[a-z0-9-]+:[0-9]{12}:cluster/.+$', 'an ECS cluster (or null)', true), partitionHcl('ecs_cluster_id', 'arn:aws:ecs:us-east-1:123456789012:cluster/shared', true)],
  },
  {
    name: 'enable_container_insights',
    type: 'bool',
    scope: 'module',
    addition: true,
    default: true,
    description:
      'Turn on CloudWatch Container Insights (task and service metrics, charged as CloudWatch custom metrics) on the ECS cluster the module creates; no effect with ecs_cluster_id, whose settings belong to that cluster',
    prompt: 'Turn on CloudWatch Container Insights for the new cluster? (extra CloudWatch charges)',
    group: 'container',
    example: true,
    when: (a) => a.ecs_cluster_id === null || a.ecs_cluster_id === undefined,
    validate: () => undefined,
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
    name: 'enable_api_gateway',
    type: 'bool',
    scope: 'module',
    addition: true,
    default: true,
    description: 'Publish the service through an API Gateway REST API; false keeps it private to the VPC (METAFLOW_SERVICE_URL is then empty and clients use METAFLOW_SERVICE_INTERNAL_URL)',
    prompt: 'Publish the API through API Gateway? (No: reachable only inside the VPC)',
    group: 'access',
    example: true,
    validate: () => undefined,
  },
  {
    name: 'access_list_cidr_blocks',
    type: 'list(string)',
    scope: 'module',
    description: "List of CIDRs we want to grant access to our Metaflow Metadata Service. Usually this is our VPN's CIDR blocks.",
    prompt: 'CIDR blocks allowed to call the public API, e.g. your VPN (comma-separated; empty = any caller with the key)',
    group: 'access',
    example: ['203.0.113.0/24'],
    // Without API Gateway there is no public API to limit: not asked, not stored, and no list given to the module.
    when: (a) => a.enable_api_gateway !== false,
    suggest: (a) => (a.enable_api_gateway === false ? [] : undefined),
    validate: (value: string[]) => v.cidrList(value),
    hcl: cidrListHcl('access_list_cidr_blocks', '203.0.113.0/24'),
  },
  {
    name: 'api_basic_auth',
    type: 'bool',
    scope: 'module',
    default: true,
    description: 'Require an API key (the x-api-key header, METAFLOW_SERVICE_AUTH_KEY) on the API Gateway; the key is in the api_key_value output',
    prompt: 'Require an API key (x-api-key) on the public API?',
    group: 'access',
    example: true,
    when: (a) => a.enable_api_gateway !== false,
    validate: () => undefined,
  },
  {
    name: 'allow_open_api',
    type: 'bool',
    scope: 'module',
    addition: true,
    default: false,
    description:
      'Accept an API that anyone on the internet can call: required when enable_api_gateway is on, api_basic_auth is off and access_list_cidr_blocks is empty (the metadata service has no authentication of its own)',
    prompt: 'WARNING: with no API key and no access list, anyone on the internet can read and write your run metadata. Deploy it open anyway?',
    group: 'access',
    example: false,
    when: (a) => v.apiIsOpen(a),
    reaskWith: ['access_list_cidr_blocks', 'api_basic_auth'],
    validate: (value: boolean, a) => v.openApiConsent(value, a),
    hcl: [
      {
        condition: 'var.allow_open_api || !var.enable_api_gateway || var.api_basic_auth || length(var.access_list_cidr_blocks) > 0',
        message:
          'With enable_api_gateway on, api_basic_auth off and an empty access_list_cidr_blocks, anyone on the internet can read and write run metadata: turn on api_basic_auth, list CIDR blocks, or set allow_open_api = true to accept that.',
        invalid: false,
        context: { api_basic_auth: false, access_list_cidr_blocks: [] },
      },
    ],
  },
  {
    name: 'enable_api_gateway_logging',
    type: 'bool',
    scope: 'module',
    addition: true,
    default: false,
    description:
      "Write API Gateway access and execution logs to CloudWatch. Needs this region's API Gateway CloudWatch role, an account-wide setting neither this module nor examples/complete manages (README.md, \"API Gateway logging\", shows how to check and set it once), so off by default",
    prompt: "Write API Gateway access and execution logs? (needs this region's account-wide API Gateway CloudWatch role, which this repository does not set: README.md shows how to check and set it once)",
    group: 'access',
    example: true,
    when: (a) => a.enable_api_gateway !== false,
    validate: () => undefined,
  },
  {
    name: 'enable_api_gateway_tracing',
    type: 'bool',
    scope: 'module',
    addition: true,
    default: true,
    description: 'Trace API Gateway requests with AWS X-Ray (the stage\'s xray_tracing_enabled; X-Ray charges per recorded trace beyond its free tier)',
    prompt: 'Trace API Gateway requests with AWS X-Ray?',
    group: 'access',
    example: true,
    when: (a) => a.enable_api_gateway !== false,
    validate: () => undefined,
  },
  {
    name: 'api_throttle_rate_limit',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 500,
    description:
      'Requests per second the API serves, all callers together (the stage\'s throttling, with or without an API key; the usage plan applies the same per key). Callers beyond it get 429, which the Metaflow client does not retry: leave room for your busiest runs',
    prompt: 'API throttle: requests per second, all callers together',
    group: 'access',
    example: 500,
    when: (a) => a.enable_api_gateway !== false,
    validate: (value: number) => v.throttleRate(value),
    hcl: [
      {
        condition: `var.api_throttle_rate_limit >= 1 && var.api_throttle_rate_limit <= ${v.API_RATE_MAX} && floor(var.api_throttle_rate_limit) == var.api_throttle_rate_limit`,
        message: `api_throttle_rate_limit must be a whole number of requests per second from 1 to ${v.API_RATE_MAX} (API Gateway's default account limit).`,
        invalid: 0,
      },
    ],
  },
  {
    name: 'api_throttle_burst_limit',
    type: 'number',
    scope: 'module',
    addition: true,
    default: 1000,
    description: 'Requests the API accepts at once above api_throttle_rate_limit before it throttles (the token bucket\'s size), on the stage and per API key',
    prompt: 'API throttle: burst (requests at once)',
    group: 'access',
    example: 1000,
    when: (a) => a.enable_api_gateway !== false,
    validate: (value: number) => v.throttleBurst(value),
    hcl: [
      {
        condition: `var.api_throttle_burst_limit >= 1 && var.api_throttle_burst_limit <= ${v.API_BURST_MAX} && floor(var.api_throttle_burst_limit) == var.api_throttle_burst_limit`,
        message: `api_throttle_burst_limit must be a whole number from 1 to ${v.API_BURST_MAX} (API Gateway's default account burst).`,
        invalid: 5001,
      },
    ],
  },
  {
    name: 'api_quota_limit',
    type: 'number',
    scope: 'module',
    addition: true,
    default: null,
    nullMeans: 'no quota',
    description:
      'Requests the API key may make per api_quota_period (the usage plan\'s quota; only with api_basic_auth). Past it every call fails until the period ends. null: no quota',
    prompt: 'Quota of requests per API key and period (empty: no quota)',
    group: 'access',
    example: null,
    when: (a) => a.enable_api_gateway !== false && a.api_basic_auth !== false,
    validate: (value: number | null) => (value === null ? undefined : v.quotaLimit(value)),
    hcl: [
      {
        condition: 'var.api_quota_limit == null ? true : var.api_quota_limit >= 1 && floor(var.api_quota_limit) == var.api_quota_limit',
        message: 'api_quota_limit must be a whole number of requests of at least 1 (or null for no quota).',
        invalid: 0.5,
      },
    ],
  },
  {
    name: 'api_quota_period',
    type: 'string',
    scope: 'module',
    addition: true,
    default: 'DAY',
    description: `The period api_quota_limit counts over (${v.QUOTA_PERIODS.join(', ')})`,
    prompt: 'Quota period',
    group: 'access',
    choices: v.QUOTA_PERIODS,
    example: 'DAY',
    when: (a) => a.enable_api_gateway !== false && a.api_basic_auth !== false && a.api_quota_limit !== null && a.api_quota_limit !== undefined,
    validate: (value: string) => v.quotaPeriod(value),
    hcl: [{ condition: `contains(${hcl([...v.QUOTA_PERIODS])}, var.api_quota_period)`, message: `api_quota_period must be one of ${v.QUOTA_PERIODS.join(', ')}.`, invalid: 'YEAR' }],
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

/** The inputs that are Terraform variables (of the module, or of its example root module): all but the generator's own answers. */
export const VARIABLE_INPUTS = INPUTS.filter((input) => input.scope !== 'generator');

/** The inputs in the order variables.tf lists them (alphabetical, as the seed's table). */
export const MODULE_INPUTS_SORTED = [...MODULE_INPUTS].sort((a, b) => a.name.localeCompare(b.name));

export const isRequired = (input: Input): boolean => !('default' in input);

export const isNullable = (input: Input): boolean => input.nullable === true || input.default === null;

/** Kebab-case CLI flag for an input: `vpc_cidr_blocks` → `vpc-cidr-blocks`. */
export const flagName = (input: Input): string => input.name.replace(/_/g, '-');
