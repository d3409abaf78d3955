# The two subnets tell the region (from their ARN, the same expression on aws
# provider 5 and 6) and let plan check their VPC and availability zones.
data "aws_subnet" "first" {
  id = var.subnet1_id
}

data "aws_subnet" "second" {
  id = var.subnet2_id
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# Service principals differ between partitions (China uses its own domains).
data "aws_service_principal" "ecs_tasks" {
  service_name = "ecs-tasks"
}

data "aws_service_principal" "lambda" {
  service_name = "lambda"
}

data "aws_service_principal" "events" {
  service_name = "events"
}

locals {
  # Every name is "<prefix>-<purpose>-<suffix>". Load balancer and target group
  # names are limited to 32 characters; the prefix/suffix validation keeps them legal.
  name           = "${var.resource_prefix}-metadata-${var.resource_suffix}"
  nlb_name       = "${var.resource_prefix}-md-${var.resource_suffix}"
  tg_api_name    = "${var.resource_prefix}-md-api-${var.resource_suffix}"
  tg_mig_name    = "${var.resource_prefix}-md-mig-${var.resource_suffix}"
  container_name = "metadata-service"

  # IAM names are global to the account: with the region in them, the same
  # affixes in two regions of one account do not collide (at most 60 of the
  # 64 characters IAM allows a role name, at the longest affixes and region).
  iam_name = "${local.name}-${local.region}"

  region     = split(":", data.aws_subnet.first.arn)[3]
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix

  # Log group ARNs built from their names (a new log group's arn is known only
  # after apply), so the IAM policies that name them are known at plan: they
  # can be reviewed in the plan, and tests/iam.tftest.hcl reads them.
  log_group_arn_prefix = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:"

  # The metadata API and the migration API, served by the same container.
  api_port       = 8080
  migration_port = 8082

  db_host = split(":", var.rds_master_instance_endpoint)[0]
  db_port = tonumber(split(":", var.rds_master_instance_endpoint)[1])

  # What the service and the schema upgrade task read to reach the database
  # (the service's DBConfiguration and the image's run_goose.py). An entry
  # with a null value is left out. The CA bundle (verify-ca and verify-full
  # only) goes under both names the image reads: the service's database
  # configuration, and its migration script.
  db_environment = [for e in [
    { name = "MF_METADATA_DB_HOST", value = local.db_host },
    { name = "MF_METADATA_DB_PORT", value = tostring(local.db_port) },
    { name = "MF_METADATA_DB_USER", value = var.database_username },
    { name = "MF_METADATA_DB_NAME", value = var.database_name },
    { name = "MF_METADATA_DB_SSL_MODE", value = var.database_ssl_mode },
    { name = "MF_METADATA_DB_SSL_ROOT_CERT_PATH", value = var.database_ssl_root_cert_path },
    { name = "MF_METADATA_DB_SSL_ROOT_CERT", value = var.database_ssl_root_cert_path },
  ] : e if e.value != null]
  db_secrets = [
    { name = "MF_METADATA_DB_PSWD", valueFrom = local.db_password_value_from },
  ]

  # The schema upgrade task (migration.tf): the image's own migration runner
  # (goose up over the image's migration files), in its working directory /root.
  schema_upgrade_container  = "schema-upgrade"
  schema_upgrade_log_prefix = "schema-upgrade"
  schema_migration_command  = ["python3", "/root/run_goose.py"]
  schema_migrations_dir     = "/root/services/migration_service/migration_files"
  # Where the tasks may reach the database port: database_cidr_blocks, else the
  # VPC's blocks, unless the database is named by its security group alone.
  database_cidr_blocks = (
    length(var.database_cidr_blocks) > 0 ? var.database_cidr_blocks
    : var.database_security_group_id == null ? var.vpc_cidr_blocks : []
  )

  # ECS reads one JSON key of the secret with "<arn>:<key>::" (RDS-managed
  # master user secrets hold JSON), or the whole secret as the password.
  db_password_value_from = (
    var.database_password_secret_key == null
    ? var.database_password_secret_manager_arn
    : "${var.database_password_secret_manager_arn}:${var.database_password_secret_key}::"
  )

  create_cluster   = var.ecs_cluster_id == null
  ecs_cluster_id   = local.create_cluster ? aws_ecs_cluster.this[0].id : var.ecs_cluster_id
  ecs_cluster_name = local.create_cluster ? local.name : element(split("/", var.ecs_cluster_id), 1)
  # The same cluster ARN, known at plan (for IAM policies).
  ecs_cluster_arn = local.create_cluster ? "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${local.name}" : var.ecs_cluster_id
  ecs_arn_prefix  = "arn:${local.partition}:ecs:${local.region}:${local.account_id}"

  # A dedicated execution role unless the caller names one (see iam.tf).
  create_execution_role = var.fargate_execution_role_arn == null
  execution_role_arn    = local.create_execution_role ? aws_iam_role.execution[0].arn : var.fargate_execution_role_arn
  # The same role ARN, known at plan (for IAM policies): aws_iam_role.execution's name.
  execution_role_arn_at_plan = local.create_execution_role ? "arn:${local.partition}:iam::${local.account_id}:role/${local.iam_name}-execution" : var.fargate_execution_role_arn

  # GovCloud and China have no edge-optimized API Gateway endpoints.
  api_endpoint_type = var.iam_partition == "aws" && !var.is_gov ? "EDGE" : "REGIONAL"
  api_count         = var.enable_api_gateway ? 1 : 0
  api_logs_count    = var.enable_api_gateway && var.enable_api_gateway_logging ? 1 : 0

  # The methods a Metaflow client sends under /flows/ (it sends GET, POST and
  # PATCH only); none without API Gateway.
  api_flows_methods = var.enable_api_gateway ? toset(["GET", "PATCH", "POST"]) : toset([])

  subnet_ids = [var.subnet1_id, var.subnet2_id]
}
