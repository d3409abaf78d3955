# Schema upgrades. The image's start-up script picks the code it runs by the
# database's schema version and cannot start on a schema its image does not
# know, and goose (which applies the migrations) takes no lock. So:
#
# - the schema upgrade task runs the image's own migrations under a PostgreSQL
#   advisory lock (functions/schema_upgrade.py): a second upgrade at the same
#   time exits without touching the schema;
# - terraform apply runs it (through the function, below) before it creates or
#   updates the service, on the first apply and whenever the image or the
#   database settings change;
# - the service's own unlocked PATCH /upgrade is switched off (ecs.tf).

resource "aws_ecs_task_definition" "schema_upgrade" {
  # checkov:skip=CKV_AWS_336: the upstream image is not known to start with a read-only root file system
  family                   = "${local.name}-schema-upgrade"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = local.execution_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = local.schema_upgrade_container
      image     = var.metadata_service_container_image
      essential = true

      # python3 -c <schema_upgrade.py> <the image's migration runner>
      command = concat(["python3", "-c", file("${path.module}/functions/schema_upgrade.py")], local.schema_migration_command)
      environment = concat(local.db_environment, [
        { name = "SCHEMA_MIGRATIONS_DIR", value = local.schema_migrations_dir },
      ])
      secrets = local.db_secrets

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service.name
          awslogs-region        = local.region
          awslogs-stream-prefix = local.schema_upgrade_log_prefix
        }
      }
    }
  ])

  tags = var.standard_tags
}

resource "aws_cloudwatch_log_group" "db_migrate" {
  # checkov:skip=CKV_AWS_158: encrypted with the CloudWatch Logs service key; a customer key needs a key policy this module does not own
  name              = "/aws/lambda/${local.name}-db-migrate"
  retention_in_days = var.log_retention_days

  tags = var.standard_tags
}

# The migration function: runs the schema upgrade task and waits for it (or
# its dry run, for the schema status), and restarts the service after an
# upgrade or a rotation of the database password (functions/db_migrate/index.py).
# It calls only AWS APIs, so it runs outside the VPC: it works in public
# subnets without NAT and in VPCs that reach AWS only through endpoints.
resource "aws_lambda_function" "db_migrate" {
  # checkov:skip=CKV_AWS_50: an administrative function; its CloudWatch log records every run
  # checkov:skip=CKV_AWS_116: a failed run is an invocation error (terraform apply or the operator sees it); a failed rotation restart is retried twice by Lambda and logged
  # checkov:skip=CKV_AWS_173: the environment holds names and addresses, nothing secret
  # checkov:skip=CKV_AWS_272: the code is generated into this repository and reviewed with it
  # checkov:skip=CKV_AWS_115: reserving concurrency fails in accounts at the minimum concurrency quota; upgrades are serialised by the database's advisory lock instead
  # checkov:skip=CKV_AWS_117: the function calls only AWS APIs (ECS, CloudWatch Logs); in the VPC it would need a NAT gateway or an ECS endpoint to reach them, and nothing in the VPC
  function_name = "${local.name}-db-migrate"
  description   = "Upgrade the Metaflow metadata database schema (an ECS task under a lock) and restart the service"
  role          = aws_iam_role.db_migrate.arn
  runtime       = "python3.13"
  handler       = "index.handler"
  architectures = ["x86_64"]
  # Lambda's maximum: a schema upgrade can take minutes, and the function
  # waits for the task until its own time is nearly up.
  timeout     = 900
  memory_size = 128

  # A reproducible package committed with its source: rebuild it with
  # `python3 functions/build.py` after editing functions/db_migrate/.
  filename         = "${path.module}/functions/db_migrate.zip"
  source_code_hash = filebase64sha256("${path.module}/functions/db_migrate.zip")

  environment {
    variables = {
      CLUSTER                  = local.ecs_cluster_id
      SERVICE                  = local.name
      SCHEMA_UPGRADE_FAMILY    = "${local.name}-schema-upgrade"
      SCHEMA_UPGRADE_CONTAINER = local.schema_upgrade_container
      SUBNETS                  = join(",", local.subnet_ids)
      SECURITY_GROUPS          = aws_security_group.metadata_service.id
      ASSIGN_PUBLIC_IP         = var.with_public_ip ? "ENABLED" : "DISABLED"
      LOG_GROUP                = aws_cloudwatch_log_group.service.name
      LOG_STREAM_PREFIX        = local.schema_upgrade_log_prefix
      DATABASE_SECRET_ARN      = var.database_password_secret_manager_arn
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.db_migrate.name
  }

  depends_on = [aws_iam_role_policy.db_migrate]

  tags = var.standard_tags
}

# Upgrade the schema before the service starts (ecs.tf: the service depends on
# this): on the first apply it creates the schema, so the service's first
# tasks never race to migrate an empty database; later, a new revision of the
# upgrade task (a new image, other database settings) runs again before the
# service moves to it. A failed or still-running upgrade fails the apply and
# leaves the service as it was.
resource "aws_lambda_invocation" "schema_upgrade" {
  function_name = aws_lambda_function.db_migrate.function_name

  input = jsonencode({
    action          = "upgrade"
    task_definition = aws_ecs_task_definition.schema_upgrade.arn
    redeploy        = false
  })

  # What the task needs first: its role may read the password and pull the
  # image, and its security group reaches the database and the registry.
  depends_on = [
    aws_iam_role_policy.execution,
    aws_iam_role_policy.execution_db_secret,
    aws_vpc_security_group_egress_rule.service_database,
    aws_vpc_security_group_egress_rule.service_database_group,
    aws_vpc_security_group_egress_rule.service_https,
    aws_vpc_security_group_ingress_rule.database_from_service,
  ]
}
