# ---- ECS task role: what the running metadata service may do.

data "aws_iam_policy_document" "task_assume" {
  statement {
    sid     = "EcsTasksAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.ecs_tasks.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${local.iam_name}-task"
  description        = "Task role of the Metaflow metadata service"
  assume_role_policy = data.aws_iam_policy_document.task_assume.json

  # A new name (say, from a newer generator) replaces the role: the new one
  # exists before the old one goes, so the service is never without a role.
  lifecycle {
    create_before_destroy = true
  }

  tags = var.standard_tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ListDatastoreBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.s3_bucket_arn]
  }

  statement {
    sid       = "ReadDatastoreObjects"
    actions   = ["s3:GetObject"]
    resources = ["${var.s3_bucket_arn}/*"]
  }

  statement {
    sid       = "DecryptDatastoreObjects"
    actions   = ["kms:Decrypt"]
    resources = [var.datastore_s3_bucket_kms_key_arn]
  }

  # No presigned URLs from this role's credentials: S3 refuses requests to the
  # datastore authenticated in the query string. The public module denies the
  # same (every S3 request not signed in a header) in its deny_presigned policy.
  statement {
    sid       = "DenyPresignedUrls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [var.s3_bucket_arn, "${var.s3_bucket_arn}/*"]

    condition {
      test     = "StringEquals"
      variable = "s3:authType"
      values   = ["REST-QUERY-STRING"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "datastore-read"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# ---- ECS execution role: what ECS itself needs to start a task (pull the
# image, write logs, read the database password).
#
# With fargate_execution_role_arn = null the module creates one for this
# service alone, so no other task definition can read the password through it.
# A role you pass instead (as the seed module's callers do, often the shared
# Metaflow Batch execution role) is used as is, and the module adds one inline
# policy to it that reads this one secret: every task definition that names
# that role could then read the password.

resource "aws_iam_role" "execution" {
  count = local.create_execution_role ? 1 : 0

  name               = "${local.iam_name}-execution"
  description        = "Execution role of the Metaflow metadata service (image pull, logs, database password)"
  assume_role_policy = data.aws_iam_policy_document.task_assume.json

  lifecycle {
    create_before_destroy = true
  }

  tags = var.standard_tags
}

data "aws_iam_policy_document" "execution" {
  # checkov:skip=CKV_AWS_356: ecr:GetAuthorizationToken has no resource; the image may come from any ECR repository the caller names
  # checkov:skip=CKV_AWS_111: no write access beyond the service's own log streams
  statement {
    sid       = "PullImagesFromEcr"
    actions   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = ["*"]
  }

  # The log group by its name (ecs.tf), not by a reference: Terraform reads a
  # data source that references a resource still to be created only at apply.
  statement {
    sid       = "WriteServiceLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn_prefix}/ecs/${local.name}:*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  count = local.create_execution_role ? 1 : 0

  name   = "image-and-logs"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.execution.json
}


data "aws_iam_policy_document" "execution_db_secret" {
  # checkov:skip=CKV_AWS_356: kms:Decrypt is limited by kms:ViaService and the secret's encryption context instead of a key ARN, which the module cannot know
  # checkov:skip=CKV_AWS_111: no write access is granted; the kms:Decrypt statement is bound to this one secret by its encryption context
  statement {
    sid       = "ReadDatabasePassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.database_password_secret_manager_arn]
  }

  # Needed when the secret is encrypted with a customer managed key; the
  # conditions allow decrypting only this secret, only through Secrets Manager.
  statement {
    sid       = "DecryptDatabasePassword"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:SecretARN"
      values   = [var.database_password_secret_manager_arn]
    }
  }
}

resource "aws_iam_role_policy" "execution_db_secret" {
  name   = "${local.iam_name}-db-password"
  role   = local.create_execution_role ? aws_iam_role.execution[0].id : element(split("/", var.fargate_execution_role_arn), length(split("/", var.fargate_execution_role_arn)) - 1)
  policy = data.aws_iam_policy_document.execution_db_secret.json

  lifecycle {
    # A role of another account cannot take an inline policy from this one.
    precondition {
      condition     = local.create_execution_role ? true : try(split(":", var.fargate_execution_role_arn)[4] == local.account_id, false)
      error_message = "fargate_execution_role_arn must be a role of the account this module deploys to (${local.account_id}), or null for a dedicated role."
    }
  }
}

# ---- Migration function role: its own logs, running the schema upgrade task
# and reading its output, and restarting the service. Every ARN is built from
# names, not read from the resources: the service waits for the function
# (migration.tf), so it cannot be an input of it, and the policy is then known
# at plan (tests/iam.tftest.hcl reads it). No "*" anywhere.

data "aws_iam_policy_document" "db_migrate_assume" {
  statement {
    sid     = "LambdaAssume"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.lambda.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "db_migrate" {
  name               = "${local.iam_name}-db-migrate"
  description        = "Role of the Metaflow metadata database migration function"
  assume_role_policy = data.aws_iam_policy_document.db_migrate_assume.json

  lifecycle {
    create_before_destroy = true
  }

  tags = var.standard_tags
}

data "aws_iam_policy_document" "db_migrate" {
  # The log group by its name (migration.tf), not by a reference, as above.
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn_prefix}/aws/lambda/${local.name}-db-migrate:*"]
  }

  # The schema upgrade task's output, for the status a dry run reports.
  statement {
    sid       = "ReadSchemaUpgradeOutput"
    actions   = ["logs:GetLogEvents"]
    resources = ["${local.log_group_arn_prefix}/ecs/${local.name}:log-stream:${local.schema_upgrade_log_prefix}/*"]
  }

  statement {
    sid       = "RunSchemaUpgradeTask"
    actions   = ["ecs:RunTask"]
    resources = ["${local.ecs_arn_prefix}:task-definition/${local.name}-schema-upgrade:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.ecs_cluster_arn]
    }
  }

  statement {
    sid       = "WatchSchemaUpgradeTask"
    actions   = ["ecs:DescribeTasks"]
    resources = ["${local.ecs_arn_prefix}:task/${local.ecs_cluster_name}/*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [local.ecs_cluster_arn]
    }
  }

  statement {
    sid       = "RestartService"
    actions   = ["ecs:UpdateService"]
    resources = ["${local.ecs_arn_prefix}:service/${local.ecs_cluster_name}/${local.name}"]
  }

  # The schema upgrade task runs with the service's execution role (image
  # pull, logs, the database password), and with no task role.
  statement {
    sid       = "PassExecutionRoleToSchemaUpgradeTask"
    actions   = ["iam:PassRole"]
    resources = [local.execution_role_arn_at_plan]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = [data.aws_service_principal.ecs_tasks.name]
    }
  }
}

resource "aws_iam_role_policy" "db_migrate" {
  name   = "logs-vpc-and-schema-upgrade"
  role   = aws_iam_role.db_migrate.id
  policy = data.aws_iam_policy_document.db_migrate.json
}
