resource "aws_ecs_cluster" "this" {
  # checkov:skip=CKV_AWS_224: ECS Exec is not enabled for this service, so there is no exec session to log or encrypt
  count = local.create_cluster ? 1 : 0

  name = local.name

  setting {
    name  = "containerInsights"
    value = var.enable_container_insights ? "enabled" : "disabled"
  }

  tags = var.standard_tags
}

resource "aws_cloudwatch_log_group" "service" {
  # checkov:skip=CKV_AWS_158: encrypted with the CloudWatch Logs service key; a customer key needs a key policy this module does not own
  name              = "/ecs/${local.name}"
  retention_in_days = var.log_retention_days

  tags = var.standard_tags
}

resource "aws_ecs_task_definition" "this" {
  # checkov:skip=CKV_AWS_336: the upstream image is not known to start with a read-only root file system
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.metadata_service_cpu
  memory                   = var.metadata_service_memory
  execution_role_arn       = local.execution_role_arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = local.container_name
      image     = var.metadata_service_container_image
      essential = true

      portMappings = [
        { containerPort = local.api_port, protocol = "tcp" },
        { containerPort = local.migration_port, protocol = "tcp" },
      ]

      # The database settings, and MF_MIGRATION_ENDPOINTS_ENABLED = 0: the
      # migration API's PATCH /upgrade would run goose with no lock; schema
      # upgrades run in the schema upgrade task instead (migration.tf).
      environment = concat(local.db_environment, [
        { name = "MF_MIGRATION_ENDPOINTS_ENABLED", value = "0" },
      ])

      # The password never appears in the task definition or in Terraform state:
      # ECS reads it from Secrets Manager when the task starts.
      secrets = local.db_secrets

      # Liveness on the metadata API only: the migration API (8082) stops
      # answering while PATCH /upgrade runs, which must not look like a failure.
      healthCheck = {
        command     = ["CMD-SHELL", "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/ping', timeout=4)\" || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 60
      }

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "metadata"
        }
      }
    }
  ])

  tags = var.standard_tags
}

resource "aws_ecs_service" "this" {
  # checkov:skip=CKV_AWS_333: a public IP is off unless with_public_ip asks for it (public subnets without NAT)
  name                              = local.name
  cluster                           = local.ecs_cluster_id
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.metadata_service_min_count
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 120
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true

  network_configuration {
    subnets          = local.subnet_ids
    security_groups  = [aws_security_group.metadata_service.id]
    assign_public_ip = var.with_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = local.container_name
    container_port   = local.api_port
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.migration.arn
    container_name   = local.container_name
    container_port   = local.migration_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    # Autoscaling owns the running count; Terraform sets only the first one.
    ignore_changes = [desired_count]

    precondition {
      condition     = var.ecs_cluster_id == null ? true : try(split(":", var.ecs_cluster_id)[3] == local.region && split(":", var.ecs_cluster_id)[4] == local.account_id, false)
      error_message = "ecs_cluster_id must be a cluster in the region and account this module deploys to (${local.region}, ${local.account_id})."
    }
  }

  # The listeners must exist before ECS registers targets, the execution role
  # must be able to read the password before the first task starts, and the
  # schema must be what the image expects (migration.tf).
  depends_on = [
    aws_lb_listener.api,
    aws_lb_listener.migration,
    aws_iam_role_policy.execution,
    aws_iam_role_policy.execution_db_secret,
    aws_lambda_invocation.schema_upgrade,
  ]

  tags = var.standard_tags
}

# ---- Autoscaling: target tracking on average CPU, between the two counts.
# Fargate spreads the tasks of a service over the subnets' availability zones.

resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  resource_id        = "service/${local.ecs_cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.metadata_service_min_count
  max_capacity       = var.metadata_service_max_count

  tags = var.standard_tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.metadata_service_cpu_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
