// What each IAM policy of the module allows, statement by statement. The
// generated tests/iam.tftest.hcl plans the module with the real aws provider
// (offline: aws_iam_policy_document renders the real JSON) and requires every
// policy to hold exactly these statements: a statement added to, widened in or
// dropped from templates/iam.tf must be changed here too, or that test fails.
//
// To grant something new, add a statement to the right policy below, with the
// values the test's fixture gives (the catalogue's examples in the mocked
// account): `sid` is the statement's sid in iam.tf. Every policy must be known
// at plan, or the test cannot read it: build the ARNs it names from names (as
// local.log_group_arn_prefix does), never from a resource of the module, since
// Terraform reads a data source that references one only at apply.
import type { Answers } from '../inputs/catalogue.js';
import { DERIVED_NAMES, derivedName, type DerivedName } from '../inputs/validators.js';
import type { MockAccount } from './testcases.js';

export interface Statement {
  sid: string;
  /** Allow unless said otherwise. */
  effect?: 'Allow' | 'Deny';
  actions: readonly string[];
  resources?: readonly string[];
  /** Principal type → identifiers (trust policies). */
  principals?: Readonly<Record<string, readonly string[]>>;
  /** Condition operator → key → values. */
  conditions?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface PolicyCase {
  /** The HCL expression of the policy's JSON in the module under test. */
  policy: string;
  /** What the policy must allow, for the assertion's error message. */
  what: string;
  statements: readonly Statement[];
}

/** A statement in the one shape both sides of the test's comparison take (sorted lists, every key present). */
export interface CanonicalStatement {
  effect: string;
  actions: string[];
  resources: string[];
  principals: string[];
  conditions: string[];
  /** Statement keys beyond Sid, Effect, Action, Resource, Principal and Condition (NotAction, NotResource, ...). */
  other: string[];
}

/** Terraform's sort(): by bytes of UTF-8, not by UTF-16 code units. */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const sorted = (values: readonly string[]): string[] => [...new Set(values)].sort(byBytes);

export function canonical(statements: readonly Statement[]): Record<string, CanonicalStatement> {
  const out: Record<string, CanonicalStatement> = {};
  for (const s of statements) {
    if (s.sid in out) throw new Error(`two statements with sid ${s.sid}`);
    out[s.sid] = {
      effect: s.effect ?? 'Allow',
      actions: sorted(s.actions),
      resources: sorted(s.resources ?? []),
      principals: sorted(Object.entries(s.principals ?? {}).flatMap(([type, ids]) => ids.map((id) => `${type} ${id}`))),
      conditions: sorted(Object.entries(s.conditions ?? {}).flatMap(([test, pairs]) => Object.entries(pairs).map(([key, values]) => `${test} ${key} ${sorted(values).join(' ')}`))),
      other: [],
    };
  }
  return out;
}

/**
 * The module's IAM policies for these inputs in this (mocked) account, with a
 * dedicated execution role (fargate_execution_role_arn = null). `names`: the
 * names the module builds (an adopted deployment's differ).
 */
export function iamPolicies(inputs: Answers, m: MockAccount, names: readonly DerivedName[] = DERIVED_NAMES): PolicyCase[] {
  const named = (id: string, region: string): string => {
    const entry = names.find((d) => d.id === id);
    if (!entry) throw new Error(`no derived name ${id}`);
    return derivedName(entry, String(inputs.resource_prefix), String(inputs.resource_suffix), region);
  };
  const logGroup = (id: string): string => `arn:${m.partition}:logs:${m.region}:${m.account}:log-group:${named(id, m.region)}:*`;
  const sameAccount = { StringEquals: { 'aws:SourceAccount': [m.account] } };
  // The real provider's aws_service_principal names in the commercial partition.
  const service = (name: string): string => `${name}.amazonaws.com`;
  const secret = String(inputs.database_password_secret_manager_arn);
  const bucket = String(inputs.s3_bucket_arn);
  const ecs = `arn:${m.partition}:ecs:${m.region}:${m.account}`;
  const cluster = named('aws_ecs_cluster.this', m.region);
  const inCluster = { ArnEquals: { 'ecs:cluster': [`${ecs}:cluster/${cluster}`] } };
  return [
    {
      policy: 'aws_iam_role.task.assume_role_policy',
      what: 'Only ECS tasks of this account may assume the task role.',
      statements: [{ sid: 'EcsTasksAssume', actions: ['sts:AssumeRole'], principals: { Service: [service('ecs-tasks')] }, conditions: sameAccount }],
    },
    {
      policy: 'aws_iam_role_policy.task.policy',
      what: 'The task role may list the datastore bucket, read its objects and decrypt them with its key, never through a presigned URL: nothing else.',
      statements: [
        { sid: 'ListDatastoreBucket', actions: ['s3:ListBucket'], resources: [bucket] },
        { sid: 'ReadDatastoreObjects', actions: ['s3:GetObject'], resources: [`${bucket}/*`] },
        { sid: 'DecryptDatastoreObjects', actions: ['kms:Decrypt'], resources: [String(inputs.datastore_s3_bucket_kms_key_arn)] },
        { sid: 'DenyPresignedUrls', effect: 'Deny', actions: ['s3:*'], resources: [bucket, `${bucket}/*`], conditions: { StringEquals: { 's3:authType': ['REST-QUERY-STRING'] } } },
      ],
    },
    {
      policy: 'aws_iam_role.execution[0].assume_role_policy',
      what: 'Only ECS tasks of this account may assume the dedicated execution role.',
      statements: [{ sid: 'EcsTasksAssume', actions: ['sts:AssumeRole'], principals: { Service: [service('ecs-tasks')] }, conditions: sameAccount }],
    },
    {
      policy: 'aws_iam_role_policy.execution[0].policy',
      what: "The dedicated execution role may pull images from ECR and write the service's own log streams: nothing else.",
      statements: [
        { sid: 'PullImagesFromEcr', actions: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], resources: ['*'] },
        { sid: 'WriteServiceLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup('aws_cloudwatch_log_group.service')] },
      ],
    },
    {
      policy: 'aws_iam_role_policy.execution_db_secret.policy',
      what: 'The execution role may read exactly the database password secret, and decrypt only that secret, only through Secrets Manager.',
      statements: [
        { sid: 'ReadDatabasePassword', actions: ['secretsmanager:GetSecretValue'], resources: [secret] },
        {
          sid: 'DecryptDatabasePassword',
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:ViaService': [`secretsmanager.${m.region}.${m.dnsSuffix}`], 'kms:EncryptionContext:SecretARN': [secret] } },
        },
      ],
    },
    {
      policy: 'aws_iam_role.db_migrate.assume_role_policy',
      what: 'Only Lambda, for this account, may assume the migration function role.',
      statements: [{ sid: 'LambdaAssume', actions: ['sts:AssumeRole'], principals: { Service: [service('lambda')] }, conditions: sameAccount }],
    },
    {
      policy: 'aws_iam_role_policy.db_migrate.policy',
      what: "The migration function may write its own log streams, run and watch the schema upgrade task in this cluster with the execution role, read that task's output, and restart this service: nothing else.",
      statements: [
        { sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup('aws_cloudwatch_log_group.db_migrate')] },
        {
          sid: 'ReadSchemaUpgradeOutput',
          actions: ['logs:GetLogEvents'],
          resources: [`arn:${m.partition}:logs:${m.region}:${m.account}:log-group:${named('aws_cloudwatch_log_group.service', m.region)}:log-stream:schema-upgrade/*`],
        },
        { sid: 'RunSchemaUpgradeTask', actions: ['ecs:RunTask'], resources: [`${ecs}:task-definition/${named('aws_ecs_task_definition.schema_upgrade', m.region)}:*`], conditions: inCluster },
        { sid: 'WatchSchemaUpgradeTask', actions: ['ecs:DescribeTasks'], resources: [`${ecs}:task/${cluster}/*`], conditions: inCluster },
        { sid: 'RestartService', actions: ['ecs:UpdateService'], resources: [`${ecs}:service/${cluster}/${named('aws_ecs_service.this', m.region)}`] },
        {
          sid: 'PassExecutionRoleToSchemaUpgradeTask',
          actions: ['iam:PassRole'],
          resources: [`arn:${m.partition}:iam::${m.account}:role/${named('aws_iam_role.execution', m.region)}`],
          conditions: { StringEquals: { 'iam:PassedToService': [service('ecs-tasks')] } },
        },
      ],
    },
  ];
}
