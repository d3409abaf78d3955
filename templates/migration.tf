# The database migration function: GET /db_schema_status, PATCH /upgrade and
# GET /db_schema_status again, against the migration API on the load balancer.
# After it reports an upgrade, start a new ECS deployment so the tasks pick up
# the new schema (see README.md).

resource "aws_cloudwatch_log_group" "db_migrate" {
  # checkov:skip=CKV_AWS_158: encrypted with the CloudWatch Logs service key; a customer key needs a key policy this module does not own
  name              = "/aws/lambda/${local.name}-db-migrate"
  retention_in_days = var.log_retention_days

  tags = var.standard_tags
}

resource "aws_lambda_function" "db_migrate" {
  # checkov:skip=CKV_AWS_50: a one-shot administrative call; its CloudWatch log records every run
  # checkov:skip=CKV_AWS_116: invoked synchronously by an operator, so there is no failed event to keep
  # checkov:skip=CKV_AWS_173: the environment holds only the load balancer address, nothing secret
  # checkov:skip=CKV_AWS_272: the code is generated into this repository and reviewed with it
  # checkov:skip=CKV_AWS_115: reserving concurrency fails in accounts at the minimum concurrency quota; the function itself refuses to start an upgrade while one is in progress
  function_name = "${local.name}-db-migrate"
  description   = "Upgrade the Metaflow metadata database schema (status, PATCH /upgrade, status)"
  role          = aws_iam_role.db_migrate.arn
  runtime       = "python3.13"
  handler       = "index.handler"
  architectures = ["x86_64"]
  # Lambda's maximum: a schema upgrade can take minutes. The function gives
  # each request the time it has left, so it never gives up before Lambda does.
  timeout     = 900
  memory_size = 128

  # A reproducible package committed with its source: rebuild it with
  # `python3 functions/build.py` after editing functions/db_migrate/.
  filename         = "${path.module}/functions/db_migrate.zip"
  source_code_hash = filebase64sha256("${path.module}/functions/db_migrate.zip")

  vpc_config {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.db_migrate.id]
  }

  environment {
    variables = {
      MIGRATION_API_URL = "http://${aws_lb.this.dns_name}:${local.migration_port}"
    }
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.db_migrate.name
  }

  depends_on = [aws_iam_role_policy.db_migrate]

  tags = var.standard_tags
}
