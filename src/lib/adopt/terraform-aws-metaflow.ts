// Adopting a deployment of the well-known module, outerbounds/terraform-aws-metaflow
// (`modules/metadata-service`, release v0.12.1), called directly or through that
// repository's root module, without replacing what matters. Everything here was
// read from that release and is described in our own terms, file by file; none
// of its code is copied. Pure data and pure functions: no Yeoman, no file system.
//
// How an adopted module differs (templates/adopt/terraform-aws-metaflow/):
// - adopt.tf: a `moved` block for each object that has another address here,
//   and the old log group, kept under an address of its own;
// - adopt_override.tf: a Terraform override file giving back the names whose
//   change would make AWS replace the object (load balancer, target groups,
//   cluster, service, security group, roles, function);
// - examples/complete/adopt.tf: the one `moved` block of the caller, from the
//   old module's address in the state to this module's.
import type { Answers, HclValidation } from '../inputs/catalogue.js';
import {
  AWS_NAME_RULES,
  DERIVED_NAMES,
  derivedName,
  describeBreak,
  nameBreaks,
  show,
  type AwsNameRule,
  type DerivedName,
  type NameBreak,
  type Problem,
} from '../inputs/validators.js';
import { ADDRESS_KEY, HCL_IDENTIFIER, hcl, hclAddress, hclTemplate, type AddressStep } from '../render/hcl.js';

/** The deployments this generator can adopt (the adopt_from answer). */
export const ADOPTABLE = ['terraform-aws-metaflow'] as const;
export type AdoptFrom = (typeof ADOPTABLE)[number];

export const SOURCE = {
  repository: 'outerbounds/terraform-aws-metaflow',
  /** The same repository on the Terraform registry (`<registry>//modules/datastore`). */
  registry: 'outerbounds/metaflow/aws',
  release: 'v0.12.1',
  /** The module's folder in that repository. */
  module: 'modules/metadata-service',
  /** The root module's call of it (main.tf): `module.<your call>.module.metaflow-metadata-service`. */
  rootCall: 'metaflow-metadata-service',
} as const;

/** Whether these answers adopt an existing deployment. */
export const adopting = (answers: Answers): boolean => answers.adopt_from !== null && answers.adopt_from !== undefined;

// ---------------------------------------------------------------------------
// The old module's resources, and where each one goes

/** A resource the old module manages, by its address inside the module. */
export interface OldResource {
  /** Its address in the old module (a resource with count: every instance). */
  address: string;
  /** The file of the old module that declares it. */
  file: string;
  /** The name it gives the object, from resource_prefix and resource_suffix as passed (`{prefix}`, `{suffix}`). */
  name?: string;
  /** Only with API Gateway (enable_api_gateway), and the key (enable_api_basic_auth), or an access list. */
  when?: string;
  /** Its address in this module: the object is kept there (a moved block when the address differs). */
  to?: string;
  /** Why it is destroyed instead (and what takes its place). */
  destroyed?: string;
  /** What apply still changes on a kept object, and why. */
  changes?: string;
}

const API = 'enable_api_gateway';
const KEY = 'enable_api_gateway and enable_api_basic_auth';
const ROUTE_GONE = 'the old catch-all route (ANY /{proxy+}); this module routes only what a Metaflow client calls (/ping, /flows, GET/POST/PATCH under /flows/) and /db_schema_status';

/** Every resource of the old module (v0.12.1), in the order of its files. */
export const OLD_RESOURCES: readonly OldResource[] = [
  // api-gateway.tf
  { address: 'aws_api_gateway_rest_api_policy.this', file: 'api-gateway.tf', when: `${API} and access_list_cidr_blocks`, to: 'aws_api_gateway_rest_api_policy.this', changes: 'the policy is rewritten (same access list)' },
  { address: 'aws_api_gateway_rest_api.this', file: 'api-gateway.tf', name: '{prefix}api{suffix}', when: API, to: 'aws_api_gateway_rest_api.this', changes: 'renamed and described in place (its id, and so the URL, stay)' },
  { address: 'aws_api_gateway_resource.this', file: 'api-gateway.tf', when: API, destroyed: ROUTE_GONE },
  { address: 'aws_api_gateway_resource.db', file: 'api-gateway.tf', when: API, to: 'aws_api_gateway_resource.db_schema_status' },
  { address: 'aws_api_gateway_vpc_link.this', file: 'api-gateway.tf', name: '{prefix}vpclink{suffix}', when: API, to: 'aws_api_gateway_vpc_link.this', changes: 'renamed in place' },
  { address: 'aws_api_gateway_method.this', file: 'api-gateway.tf', when: API, destroyed: ROUTE_GONE },
  { address: 'aws_api_gateway_method.db', file: 'api-gateway.tf', when: API, to: 'aws_api_gateway_method.db_schema_status' },
  { address: 'aws_api_gateway_integration_response.this', file: 'api-gateway.tf', when: API, destroyed: ROUTE_GONE },
  { address: 'aws_api_gateway_integration.this', file: 'api-gateway.tf', when: API, destroyed: ROUTE_GONE },
  { address: 'aws_api_gateway_integration.db', file: 'api-gateway.tf', when: API, to: 'aws_api_gateway_integration.db_schema_status' },
  { address: 'aws_api_gateway_method_response.this', file: 'api-gateway.tf', when: API, destroyed: ROUTE_GONE },
  {
    address: 'aws_api_gateway_method_response.db',
    file: 'api-gateway.tf',
    when: API,
    destroyed: 'a 200 method response on /db_schema_status; an HTTP_PROXY integration passes the service\'s responses through without one',
  },
  {
    address: 'aws_api_gateway_deployment.this',
    file: 'api-gateway.tf',
    when: API,
    to: 'aws_api_gateway_deployment.this',
    changes: 'replaced, the new one first (create_before_destroy): a deployment is a snapshot of the routes, and the routes change; the stage moves to the new one',
  },
  { address: 'aws_api_gateway_stage.this', file: 'api-gateway.tf', name: 'api', when: API, to: 'aws_api_gateway_stage.api', changes: 'moves to the new deployment, X-Ray tracing as asked' },
  { address: 'aws_api_gateway_api_key.this', file: 'api-gateway.tf', name: '{prefix}key{suffix}', when: KEY, to: 'aws_api_gateway_api_key.this', changes: 'renamed and described in place (its value stays)' },
  { address: 'aws_api_gateway_usage_plan.this', file: 'api-gateway.tf', name: '{prefix}usage-plan{suffix}', when: KEY, to: 'aws_api_gateway_usage_plan.this', changes: 'renamed in place, with the throttle (and quota) asked' },
  { address: 'aws_api_gateway_usage_plan_key.this', file: 'api-gateway.tf', when: KEY, to: 'aws_api_gateway_usage_plan_key.this' },
  // cloud-watch.tf
  {
    address: 'aws_cloudwatch_log_group.this',
    file: 'cloud-watch.tf',
    name: '{prefix}metadata{suffix}',
    to: 'aws_cloudwatch_log_group.service_before_adoption',
    changes: 'kept with the logs written before adoption, now with log_retention_days; the service writes to its new log group',
  },
  // ec2.tf
  {
    address: 'aws_security_group.metadata_service_security_group',
    file: 'ec2.tf',
    name: '{prefix}metadata-service-security-group{suffix}',
    to: 'aws_security_group.metadata_service',
    changes: 'kept (the database\'s rules name it), with its rules as they are; this module adds its own rules to it',
  },
  { address: 'aws_lb.this', file: 'ec2.tf', name: '{prefix}nlb{suffix}', to: 'aws_lb.this', changes: 'cross-zone load balancing on; no security group (AWS adds one only to a new load balancer)' },
  { address: 'aws_lb_target_group.this', file: 'ec2.tf', name: '{prefix}mdtg{suffix}', to: 'aws_lb_target_group.api', changes: 'HTTP health checks on /ping, deregistration delay 30 s' },
  { address: 'aws_lb_target_group.db_migrate', file: 'ec2.tf', name: '{prefix}dbtg{suffix}', to: 'aws_lb_target_group.migration', changes: 'HTTP health checks on /ping of port 8080' },
  { address: 'aws_lb_listener.this', file: 'ec2.tf', to: 'aws_lb_listener.api' },
  { address: 'aws_lb_listener.db_migrate', file: 'ec2.tf', to: 'aws_lb_listener.migration' },
  // ecs.tf
  { address: 'aws_ecs_cluster.this', file: 'ecs.tf', name: 'replace("{prefix}{suffix}", "--", "-")', to: 'aws_ecs_cluster.this[0]', changes: 'Container Insights as asked' },
  {
    address: 'aws_ecs_task_definition.this',
    file: 'ecs.tf',
    name: '{prefix}service{suffix}',
    to: 'aws_ecs_task_definition.this',
    changes:
      'replaced by a new revision (a task definition cannot change in place): the password comes from Secrets Manager instead of a plain environment value, with a health check, the database settings and the new log group; the service rolls to it',
  },
  {
    address: 'aws_ecs_service.this',
    file: 'ecs.tf',
    name: '{prefix}metadata-service{suffix}',
    to: 'aws_ecs_service.this',
    changes: 'updated in place: the new task definition (a rolling deployment), circuit breaker, health check grace period, tags; autoscaling takes over the task count',
  },
  // iam.tf
  {
    address: 'aws_iam_role.metadata_svc_ecs_task_role',
    file: 'iam.tf',
    name: '{prefix}metadata-ecs-task{suffix}',
    to: 'aws_iam_role.task',
    changes: 'kept; its trust policy is limited to this account; its three policies give way to one',
  },
  { address: 'aws_iam_role_policy.grant_s3_kms', file: 'iam.tf', name: 's3_kms', destroyed: 'the task role\'s policies become one, aws_iam_role_policy.task (read the datastore, never a presigned URL)' },
  { address: 'aws_iam_role_policy.grant_custom_s3_batch', file: 'iam.tf', name: 'custom_s3', destroyed: 'as s3_kms' },
  { address: 'aws_iam_role_policy.grant_deny_presigned_batch', file: 'iam.tf', name: 'deny_presigned', destroyed: 'as s3_kms' },
  // lambda.tf
  { address: 'aws_iam_role.lambda_ecs_execute_role', file: 'lambda.tf', name: '{prefix}lambda_ecs_execute{suffix}', to: 'aws_iam_role.db_migrate', changes: 'kept; its trust policy is limited to this account' },
  {
    address: 'aws_iam_role_policy.grant_lambda_ecs_cloudwatch',
    file: 'lambda.tf',
    name: 'cloudwatch',
    destroyed: 'the function\'s policies become one, aws_iam_role_policy.db_migrate (its logs, the schema upgrade task, restarting the service)',
  },
  { address: 'aws_iam_role_policy.grant_lambda_ecs_vpc', file: 'lambda.tf', name: 'ecs_task_execute', destroyed: 'as cloudwatch (the function leaves the VPC, so it needs no network interfaces)' },
  {
    address: 'aws_lambda_function.db_migrate_lambda',
    file: 'lambda.tf',
    name: '{prefix}db_migrate{suffix}',
    to: 'aws_lambda_function.db_migrate',
    changes: 'updated in place: new code (it runs the locked schema upgrade task instead of PATCH /upgrade), Python 3.13, outside the VPC, logs to its own log group',
  },
];

/** Where a resource goes: the parts of an address (`aws_ecs_cluster.this[0]`). */
export function resourceSteps(address: string): AddressStep[] {
  const match = /^([a-z0-9_]+)\.([a-z0-9_-]+)(?:\[(\d+)\])?$/.exec(address);
  if (!match) throw new Error(`not a resource address: ${address}`);
  return [{ kind: match[1] as string, name: match[2] as string, ...(match[3] === undefined ? {} : { key: Number(match[3]) }) }];
}

/** The moved blocks inside the module: every kept resource whose address differs. */
export const MODULE_MOVES: readonly { from: string; to: string }[] = OLD_RESOURCES.filter((r) => r.to !== undefined && r.to !== r.address).map((r) => ({
  from: hclAddress(resourceSteps(r.address)),
  to: hclAddress(resourceSteps(r.to as string)),
}));

// ---------------------------------------------------------------------------
// The old module's inputs (v0.12.1 variables.tf): 25, against the seed's 23

export interface OldInput {
  name: string;
  type: string;
  /** Its default, as HCL; absent: required. */
  default?: string;
}

export const OLD_INPUTS: readonly OldInput[] = [
  { name: 'access_list_cidr_blocks', type: 'list(string)' },
  { name: 'database_name', type: 'string', default: '"metaflow"' },
  { name: 'database_password', type: 'string' },
  { name: 'database_username', type: 'string' },
  { name: 'database_ssl_mode', type: 'string', default: '"disable"' },
  { name: 'datastore_s3_bucket_kms_key_arn', type: 'string' },
  { name: 'enable_api_basic_auth', type: 'bool', default: 'true' },
  { name: 'enable_api_gateway', type: 'bool', default: 'true' },
  { name: 'db_migrate_lambda_zip_file', type: 'string', default: 'null' },
  { name: 'fargate_execution_role_arn', type: 'string' },
  { name: 'iam_partition', type: 'string', default: '"aws"' },
  { name: 'is_gov', type: 'bool', default: 'false' },
  { name: 'metadata_service_container_image', type: 'string', default: '""' },
  { name: 'metadata_service_cpu', type: 'number', default: '512' },
  { name: 'metadata_service_memory', type: 'number', default: '1024' },
  { name: 'metaflow_vpc_id', type: 'string' },
  { name: 'resource_prefix', type: 'string' },
  { name: 'resource_suffix', type: 'string' },
  { name: 'rds_master_instance_endpoint', type: 'string' },
  { name: 's3_bucket_arn', type: 'string' },
  { name: 'standard_tags', type: 'map(string)' },
  { name: 'subnet1_id', type: 'string' },
  { name: 'subnet2_id', type: 'string' },
  { name: 'vpc_cidr_blocks', type: 'list(string)' },
  { name: 'with_public_ip', type: 'bool' },
];

/**
 * The old module's inputs this generator has no input of, as they are read
 * in an answers file that adopts (adopt_from): under our name, or left out, saying why.
 */
export const LEGACY_INPUTS: Readonly<Record<string, { becomes: string } | { dropped: string }>> = {
  enable_api_basic_auth: { becomes: 'api_basic_auth' },
  database_password: {
    dropped:
      'this module reads the password from Secrets Manager: store it in a secret and give the secret\'s full ARN as database_password_secret_manager_arn; the password itself is neither used nor kept',
  },
  db_migrate_lambda_zip_file: { dropped: 'the migration function\'s package is committed in functions/db_migrate.zip, so there is no zip to write' },
};

// ---------------------------------------------------------------------------
// Names

/** The stems the module's own names are built from (locals.tf: local.name and local.iam_name). */
const STEM = '{prefix}-metadata-{suffix}';
const IAM_STEM = `${STEM}-{region}`;
/**
 * The same stems when adopting: local.name is the old service's name, so the
 * service keeps it and every new name (log groups, schema upgrade task, rule)
 * follows it; IAM names carry the region, as the module's own do.
 */
export const ADOPTED_STEMS = { name: '{prefix}metadata-service{suffix}', iam: '{prefix}metadata{suffix}-{region}' } as const;

/** The names the old module gave, kept where a new one would make AWS replace the object (ids of DERIVED_NAMES, and the old log group). */
const KEPT: Readonly<Record<string, Omit<DerivedName, 'id'>>> = {
  nlb_name: { template: '{prefix}nlb{suffix}', rule: AWS_NAME_RULES.loadBalancer },
  tg_api_name: { template: '{prefix}mdtg{suffix}', rule: AWS_NAME_RULES.targetGroup },
  tg_mig_name: { template: '{prefix}dbtg{suffix}', rule: AWS_NAME_RULES.targetGroup },
  'aws_iam_role.task': { template: '{prefix}metadata-ecs-task{suffix}', rule: AWS_NAME_RULES.iamRole },
  'aws_iam_role.db_migrate': { template: '{prefix}lambda_ecs_execute{suffix}', rule: AWS_NAME_RULES.iamRole },
  'aws_lambda_function.db_migrate': { template: '{prefix}db_migrate{suffix}', rule: AWS_NAME_RULES.lambdaFunction },
  'aws_security_group.metadata_service': { template: '{prefix}metadata-service-security-group{suffix}', rule: AWS_NAME_RULES.securityGroup },
  'aws_ecs_cluster.this': { template: '{prefix}{suffix}', rule: AWS_NAME_RULES.ecsCluster, collapseHyphens: true },
  'aws_ecs_service.this': { template: '{prefix}metadata-service{suffix}', rule: AWS_NAME_RULES.ecsService },
  'aws_cloudwatch_log_group.service_before_adoption': { template: '{prefix}metadata{suffix}', rule: AWS_NAME_RULES.logGroup },
};

/** The old security group's description: AWS replaces a security group whose description changes. */
export const KEPT_SECURITY_GROUP_DESCRIPTION = 'Security Group for Fargate which runs the Metadata Service.';

const restem = (template: string): string => template.replace(IAM_STEM, ADOPTED_STEMS.iam).replace(STEM, ADOPTED_STEMS.name);

/** Every name the adopted module builds from resource_prefix and resource_suffix (as the old module was given them). */
export const ADOPTED_NAMES: readonly DerivedName[] = [
  ...DERIVED_NAMES.map((d): DerivedName => {
    const kept = KEPT[d.id];
    return kept ? { id: d.id, ...kept } : { ...d, template: restem(d.template) };
  }),
  ...Object.entries(KEPT)
    .filter(([id]) => !DERIVED_NAMES.some((d) => d.id === id))
    .map(([id, entry]): DerivedName => ({ id, ...entry })),
];

/** A name of `names` by id, for a prefix and suffix (and region). */
export function nameOf(names: readonly DerivedName[], id: string, prefix: string, suffix: string, region?: string): string {
  const entry = names.find((d) => d.id === id);
  if (!entry) throw new Error(`no derived name ${id}`);
  return derivedName(entry, prefix, suffix, region);
}

const AFFIXES = { prefix: 'var.resource_prefix', suffix: 'var.resource_suffix' } as const;

/**
 * A name of `names` as the HCL the module builds it with (`{region}` as
 * local.region, or as `region` when given, the way a test expects it).
 */
export function nameHcl(names: readonly DerivedName[], id: string, region?: string): string {
  const entry = names.find((d) => d.id === id);
  if (!entry) throw new Error(`no derived name ${id}`);
  const text = region === undefined ? hclTemplate(entry.template, { ...AFFIXES, region: 'local.region' }) : hclTemplate(entry.template, AFFIXES, { region });
  return entry.collapseHyphens ? `replace(${text}, "--", "-")` : text;
}

/** A prefix: letters, digits and hyphens, not first a hyphen (the load balancer's name begins with it); may be empty. */
export const ADOPTED_PREFIX = /^(?:[A-Za-z0-9][A-Za-z0-9-]*)?$/;
/** A suffix: letters, digits and hyphens, not last a hyphen (the load balancer's name ends with it); may be empty. */
export const ADOPTED_SUFFIX = /^(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

const fixedPart = (entry: DerivedName): string => derivedName(entry, '', '');
/** The most characters the two affixes may have together when adopting: every adopted name stays within its AWS maximum. */
export const ADOPTED_AFFIX_MAX_COMBINED = Math.min(...ADOPTED_NAMES.map((d) => d.rule.max - fixedPart(d).length));

/** Reserved beginnings of the adopted names that start with the prefix, and those names. */
const RESERVED = ADOPTED_NAMES.filter((d) => d.template.startsWith('{prefix}') && !d.template.startsWith('{prefix}{suffix}')).flatMap((d) =>
  (d.rule.reservedStarts ?? []).map((start) => ({ entry: d, start })),
);

// ---------------------------------------------------------------------------
// Validators (pure)

export function adoptSource(value: string): Problem {
  return (ADOPTABLE as readonly string[]).includes(value)
    ? undefined
    : `${show(value)} is not a deployment this generator can adopt: expected ${ADOPTABLE.join(', ')} (its metadata-service module, ${SOURCE.release}), or null`;
}

/**
 * resource_prefix or resource_suffix when adopting: exactly as the old module
 * was given them (`metaflow-`, `-dev`, or empty through its root module), so
 * the names it built come out the same; every name the adopted module builds
 * must still be one AWS accepts.
 */
export function adoptedAffix(value: string, other: unknown, otherName: 'resource_prefix' | 'resource_suffix'): Problem {
  const isPrefix = otherName === 'resource_suffix';
  const pattern = isPrefix ? ADOPTED_PREFIX : ADOPTED_SUFFIX;
  if (!pattern.test(value)) {
    return `${show(value)} may hold only letters, digits and hyphens, and may not ${isPrefix ? 'begin' : 'end'} with a hyphen: give it exactly as ${SOURCE.repository}'s module was given it (metaflow- and -dev, or empty)`;
  }
  const theirsValid = typeof other === 'string' && (isPrefix ? ADOPTED_SUFFIX : ADOPTED_PREFIX).test(other);
  const theirs = theirsValid ? other : '';
  const pair = (mine: string): [string, string] => (isPrefix ? [mine, theirs] : [theirs, mine]);
  const key = (b: NameBreak): string => `${b.entry.id} ${b.kind}`;
  // Breaks that stay whatever this value is (the other's doing) are not reported here: with the other unknown, a one-letter stand-in.
  const standIn = theirsValid ? theirs : 'a';
  const pairWith = (mine: string): [string, string] => (isPrefix ? [mine, standIn] : [standIn, mine]);
  if (theirsValid && value === '' && theirs === '') return 'resource_prefix and resource_suffix cannot both be empty: the old module named its ECS cluster with the two together';
  const notMine = new Set(nameBreaks(...pairWith('a'), ADOPTED_NAMES).map(key));
  const mine = nameBreaks(...pairWith(value), ADOPTED_NAMES).filter((b) => !notMine.has(key(b)));
  const first = mine[0];
  if (!first) return undefined;
  const shown = derivedName(first.entry, ...pair(value));
  const more = mine.length > 1 ? ` (and ${mine.length - 1} more name${mine.length > 2 ? 's' : ''})` : '';
  const limit = first.kind === 'length' ? `: resource_prefix and resource_suffix may have at most ${ADOPTED_AFFIX_MAX_COMBINED} characters together` : '';
  return `${describeBreak(first, shown)}${more}${limit}`;
}

/**
 * A refusal of an affix for a new deployment, pointing to adoption when the
 * value has the old module's hyphen at its edge (`metaflow-`, `-dev`).
 */
export function orAdopt(value: string, problem: Problem): Problem {
  if (problem === undefined || !/^-|-$/.test(value)) return problem;
  return `${problem}; to adopt a deployment of ${SOURCE.repository}'s module, which took the affixes with their hyphens, run with --adopt-from ${ADOPTABLE[0]} (README, "Adopting an existing deployment")`;
}

/** ecs_cluster_id when adopting: the old module always created its cluster, and the service stays in it. */
export function adoptedCluster(value: string | null): Problem {
  return value === null
    ? undefined
    : `must be null when adopting: ${SOURCE.repository}'s module created its own cluster, and the service stays in it (a service moved to another cluster is replaced)`;
}

/**
 * The old module's address in the state: `module.<name>` (called directly) or
 * `module.<name>.module.metaflow-metadata-service` (through the root module),
 * each call optionally with an instance key (`[0]`, `["prod"]`). Returns its
 * steps, or why it is not one.
 */
export function parseModuleAddress(text: string): AddressStep[] | string {
  const steps: AddressStep[] = [];
  const step = /^module\.([^.[\]"]+)(?:\[(?:(\d+)|"([^"]*)")\])?(?:\.|$)/;
  let rest = text;
  if (rest === '') return 'is empty: give the address of the old module in your state, such as module.metaflow.module.metaflow-metadata-service';
  while (rest !== '') {
    const match = step.exec(rest);
    if (!match) return `${show(text)} is not a module address: expected module.<name>, or module.<name>.module.${SOURCE.rootCall} through the root module (terraform state list shows it before each resource)`;
    const name = match[1] as string;
    if (!HCL_IDENTIFIER.test(name)) return `${show(name)} is not a module call name (letters, digits, _ and -, not first a digit or -)`;
    if (match[3] !== undefined && !ADDRESS_KEY.test(match[3])) return `the key ${show(match[3])} holds characters this generator does not write into an address (letters, digits and _ . - only)`;
    steps.push({ kind: 'module', name, ...(match[2] !== undefined ? { key: Number(match[2]) } : match[3] !== undefined ? { key: match[3] } : {}) });
    rest = rest.slice(match[0].length);
    if (match[0].endsWith('.') && rest === '') return `${show(text)} ends with a dot`;
  }
  return steps;
}

export function moduleAddress(value: string | null, answers: Answers): Problem {
  if (!adopting(answers)) return value === null ? undefined : 'is read only when adopting: set adopt_from too, or leave this null';
  if (value === null) {
    return `is needed to adopt: the address of ${SOURCE.repository}'s module in your state, module.<name> when you called ${SOURCE.module} directly, or module.<name>.module.${SOURCE.rootCall} through the repository's root module (see terraform state list)`;
  }
  const steps = parseModuleAddress(value);
  return typeof steps === 'string' ? steps : undefined;
}

// ---------------------------------------------------------------------------
// The HCL rules variables.tf holds for the affixes when adopting

const matches = (pattern: RegExp, expression: string): string => `can(regex(${hcl(pattern.source)}, ${expression}))`;

export const ADOPTED_PREFIX_HCL: readonly HclValidation[] = [
  {
    condition: matches(ADOPTED_PREFIX, 'var.resource_prefix'),
    message: 'resource_prefix may hold only letters, digits and hyphens, and may not begin with a hyphen (as the adopted module was given it).',
    invalid: '-metaflow',
  },
  {
    condition: `length(var.resource_prefix) + length(var.resource_suffix) <= ${ADOPTED_AFFIX_MAX_COMBINED}`,
    message: `resource_prefix and resource_suffix together may be at most ${ADOPTED_AFFIX_MAX_COMBINED} characters, so target group names stay within 32.`,
    invalid: 'metaflow-metadata-service-prod',
  },
  {
    condition: RESERVED.map(({ entry, start }) => `!startswith(${nameHcl([entry], entry.id, '')}, ${hcl(start)})`).join(' && '),
    message: `resource_prefix must not make a name begin with what AWS reserves: ${RESERVED.map(({ entry, start }) => `${show(start)} (${entry.rule.what} names)`).join(', ')}.`,
    invalid: 'internal-',
  },
  {
    // Here, not on resource_suffix: the prefix's rules read the suffix already, and two variables may not read each other.
    condition: 'length(var.resource_prefix) + length(var.resource_suffix) > 0',
    message: 'resource_prefix and resource_suffix cannot both be empty: the cluster is named with the two together.',
    invalid: '',
    context: { resource_suffix: '' },
  },
];

export const ADOPTED_SUFFIX_HCL: readonly HclValidation[] = [
  {
    condition: matches(ADOPTED_SUFFIX, 'var.resource_suffix'),
    message: 'resource_suffix may hold only letters, digits and hyphens, and may not end with a hyphen (as the adopted module was given it).',
    invalid: '-dev-',
  },
];
