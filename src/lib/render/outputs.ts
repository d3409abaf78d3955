// The module's outputs. The first eight are the contract (names and
// descriptions from the seed module's README); the rest are additions.
export interface Output {
  name: string;
  description: string;
  /** HCL expression, written as-is into outputs.tf (developer-authored, never user text). */
  value: string;
  sensitive?: boolean;
  /** Part of the seed contract. */
  seed: boolean;
}

export const OUTPUTS: readonly Output[] = [
  {
    name: 'METAFLOW_SERVICE_INTERNAL_URL',
    description: 'URL for Metadata Service (Accessible in VPC)',
    value: '"http://${aws_lb.this.dns_name}/"',
    seed: true,
  },
  {
    name: 'METAFLOW_SERVICE_URL',
    description: 'URL for Metadata Service (Open to Public Access); empty when enable_api_gateway is off',
    value: 'var.enable_api_gateway ? "${one(aws_api_gateway_stage.api[*].invoke_url)}/" : ""',
    seed: true,
  },
  {
    name: 'api_gateway_rest_api_id',
    description: "The ID of the API Gateway REST API we'll use to accept MetaData service requests to forward to the Fargate API instance",
    // "" without API Gateway, as the public module returns (callers interpolate it).
    value: 'join("", aws_api_gateway_rest_api.this[*].id)',
    seed: true,
  },
  {
    name: 'api_gateway_rest_api_id_key_id',
    description:
      'API Gateway Key ID for Metadata Service [METAFLOW_SERVICE_AUTH_KEY]: print the key with the command in api_key_command, or terraform output -raw api_key_value; empty without an API key',
    value: 'join("", aws_api_gateway_api_key.this[*].id)',
    seed: true,
  },
  {
    name: 'metadata_service_security_group_id',
    description: "The security group ID used by the MetaData service. We'll grant this access to our DB.",
    value: 'aws_security_group.metadata_service.id',
    seed: true,
  },
  {
    name: 'metadata_svc_ecs_task_role_arn',
    description:
      "This role is passed to AWS ECS' task definition as the task_role . This allows the running of the Metaflow Metadata Service to have the proper permissions to speak to other AWS resources.",
    value: 'aws_iam_role.task.arn',
    seed: true,
  },
  {
    name: 'migration_function_arn',
    description: 'ARN of DB Migration Function',
    value: 'aws_lambda_function.db_migrate.arn',
    seed: true,
  },
  {
    name: 'network_load_balancer_dns_name',
    description:
      'The DNS addressable name for the Network Load Balancer that accepts requests and forwards them to our Fargate MetaData service instance(s)',
    value: 'aws_lb.this.dns_name',
    seed: true,
  },
  {
    name: 'metaflow_profile',
    description:
      'Settings for a Metaflow client profile (~/.metaflowconfig/config.json); METAFLOW_SERVICE_AUTH_KEY is left out: get it with the command in api_key_command. Without API Gateway, METAFLOW_SERVICE_URL is the in-VPC URL.',
    value: `{
    METAFLOW_DEFAULT_METADATA     = "service"
    METAFLOW_SERVICE_URL          = var.enable_api_gateway ? "\${one(aws_api_gateway_stage.api[*].invoke_url)}/" : "http://\${aws_lb.this.dns_name}/"
    METAFLOW_SERVICE_INTERNAL_URL = "http://\${aws_lb.this.dns_name}/"
  }`,
    seed: false,
  },
  {
    name: 'api_key_command',
    description: 'AWS CLI command that prints the API key to use as METAFLOW_SERVICE_AUTH_KEY (null without an API key).',
    value:
      'var.enable_api_gateway && var.api_basic_auth ? "aws apigateway get-api-key --region ${local.region} --api-key ${one(aws_api_gateway_api_key.this[*].id)} --include-value --query value --output text" : null',
    seed: false,
  },
  {
    name: 'api_key_value',
    description: 'The API key itself (METAFLOW_SERVICE_AUTH_KEY), null without an API key. Read it with terraform output -raw api_key_value.',
    value: 'one(aws_api_gateway_api_key.this[*].value)',
    sensitive: true,
    seed: false,
  },
  {
    name: 'ecs_cluster_id',
    description: 'ID (ARN) of the ECS cluster the service runs in, created or given.',
    value: 'local.ecs_cluster_id',
    seed: false,
  },
  {
    name: 'ecs_service_name',
    description: 'Name of the ECS service (the migration function restarts it after a schema upgrade and after a password rotation).',
    value: 'aws_ecs_service.this.name',
    seed: false,
  },
  {
    name: 'schema_upgrade_command',
    description:
      "AWS CLI command that starts the schema upgrade task (the image's migrations under the database's advisory lock) without the migration function; it prints the task's ARN.",
    value: `join(" ", [
    "aws ecs run-task --region \${local.region} --cluster \${local.ecs_cluster_id}",
    "--task-definition \${aws_ecs_task_definition.schema_upgrade.arn} --launch-type FARGATE --started-by schema-upgrade",
    "--network-configuration 'awsvpcConfiguration={subnets=[\${join(",", local.subnet_ids)}],securityGroups=[\${aws_security_group.metadata_service.id}],assignPublicIp=\${var.with_public_ip ? "ENABLED" : "DISABLED"}}'",
    "--query 'tasks[0].taskArn' --output text",
  ])`,
    seed: false,
  },
];
