# ECS reads the database password only when a task starts, and the service's
# health checks never log in again, so after a rotation the running tasks keep
# the old password and fail once their pooled connections are recycled. When
# the secret's AWSCURRENT label moves to a new version (Secrets Manager sends
# this event to EventBridge itself, no CloudTrail trail needed), the migration
# function starts a new deployment, whose tasks read the new password.

resource "aws_cloudwatch_event_rule" "secret_rotated" {
  name        = "${local.name}-secret-rotated"
  description = "The Metaflow metadata database password has a new current version"

  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["Secret Label Updated"]
    resources     = [var.database_password_secret_manager_arn]
    detail = {
      labelUpdated = ["AWSCURRENT"]
    }
  })

  tags = var.standard_tags
}

resource "aws_cloudwatch_event_target" "secret_rotated" {
  rule = aws_cloudwatch_event_rule.secret_rotated.name
  arn  = aws_lambda_function.db_migrate.arn
}

resource "aws_lambda_permission" "secret_rotated" {
  statement_id  = "RestartAfterPasswordRotation"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.db_migrate.function_name
  principal     = data.aws_service_principal.events.name
  source_arn    = aws_cloudwatch_event_rule.secret_rotated.arn
}
