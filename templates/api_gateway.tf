resource "aws_api_gateway_rest_api" "this" {
  count = local.api_count

  name        = local.name
  description = "Metaflow Metadata Service (${local.name})"

  endpoint_configuration {
    types = [local.api_endpoint_type]
  }

  # A replacement API gets its stage and routes before the old one goes.
  lifecycle {
    create_before_destroy = true
  }

  tags = var.standard_tags
}

# Callers outside access_list_cidr_blocks are refused before any route runs.
# With an empty list the API is open to anyone who holds the API key.
data "aws_iam_policy_document" "api_access" {
  count = var.enable_api_gateway && length(var.access_list_cidr_blocks) > 0 ? 1 : 0

  statement {
    sid       = "AllowInvoke"
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this[0].execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "DenyOutsideAccessList"
    effect    = "Deny"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this[0].execution_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NotIpAddress"
      variable = "aws:SourceIp"
      values   = var.access_list_cidr_blocks
    }
  }
}

resource "aws_api_gateway_rest_api_policy" "this" {
  count = var.enable_api_gateway && length(var.access_list_cidr_blocks) > 0 ? 1 : 0

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  policy      = data.aws_iam_policy_document.api_access[0].json
}

resource "aws_api_gateway_vpc_link" "this" {
  count = local.api_count

  name        = local.name
  description = "Private link from API Gateway to the metadata service load balancer"
  target_arns = [aws_lb.this.arn]

  tags = var.standard_tags
}

# Only the routes a Metaflow client calls (Netflix/metaflow,
# metaflow/plugins/metadata_providers/service.py): GET /ping, GET /flows, and
# GET, POST and PATCH under /flows/ (runs, steps, tasks, artifacts, metadata,
# heartbeats, tag changes); and GET /db_schema_status below. The service's
# other routes (/auth/token, which hands out AWS credentials, /healthcheck,
# /version) have no route here, so no request through the API reaches them.

resource "aws_api_gateway_resource" "ping" {
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  path_part   = "ping"
}

resource "aws_api_gateway_method" "ping" {
  # checkov:skip=CKV2_AWS_53: a pass-through proxy; the metadata service validates its own requests
  # checkov:skip=CKV_AWS_59: Metaflow clients authenticate with an API key (x-api-key), enforced by api_key_required and the resource policy
  count = local.api_count

  rest_api_id      = aws_api_gateway_rest_api.this[0].id
  resource_id      = aws_api_gateway_resource.ping[0].id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = var.api_basic_auth
}

resource "aws_api_gateway_integration" "ping" {
  count = local.api_count

  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_resource.ping[0].id
  http_method             = aws_api_gateway_method.ping[0].http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "http://${aws_lb.this.dns_name}/ping"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this[0].id
}

resource "aws_api_gateway_resource" "flows" {
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  path_part   = "flows"
}

resource "aws_api_gateway_method" "flows" {
  # checkov:skip=CKV2_AWS_53: a pass-through proxy; the metadata service validates its own requests
  # checkov:skip=CKV_AWS_59: Metaflow clients authenticate with an API key (x-api-key), enforced by api_key_required and the resource policy
  count = local.api_count

  rest_api_id      = aws_api_gateway_rest_api.this[0].id
  resource_id      = aws_api_gateway_resource.flows[0].id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = var.api_basic_auth
}

resource "aws_api_gateway_integration" "flows" {
  count = local.api_count

  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_resource.flows[0].id
  http_method             = aws_api_gateway_method.flows[0].http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "http://${aws_lb.this.dns_name}/flows"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this[0].id
}

# Everything under /flows/, with the methods the client uses.
resource "aws_api_gateway_resource" "proxy" {
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_resource.flows[0].id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "proxy" {
  # checkov:skip=CKV2_AWS_53: a pass-through proxy; the metadata service validates its own requests
  # checkov:skip=CKV_AWS_59: Metaflow clients authenticate with an API key (x-api-key), enforced by api_key_required and the resource policy
  for_each = local.api_flows_methods

  rest_api_id      = aws_api_gateway_rest_api.this[0].id
  resource_id      = aws_api_gateway_resource.proxy[0].id
  http_method      = each.key
  authorization    = "NONE"
  api_key_required = var.api_basic_auth

  request_parameters = {
    "method.request.path.proxy" = true
  }
}

resource "aws_api_gateway_integration" "proxy" {
  for_each = local.api_flows_methods

  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_resource.proxy[0].id
  http_method             = aws_api_gateway_method.proxy[each.key].http_method
  type                    = "HTTP_PROXY"
  integration_http_method = each.key
  uri                     = "http://${aws_lb.this.dns_name}/flows/{proxy}"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this[0].id

  request_parameters = {
    "integration.request.path.proxy" = "method.request.path.proxy"
  }
}

# Schema status, served by the migration API on its own port.
resource "aws_api_gateway_resource" "db_schema_status" {
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  parent_id   = aws_api_gateway_rest_api.this[0].root_resource_id
  path_part   = "db_schema_status"
}

resource "aws_api_gateway_method" "db_schema_status" {
  # checkov:skip=CKV2_AWS_53: a pass-through proxy; the metadata service validates its own requests
  # checkov:skip=CKV_AWS_59: Metaflow clients authenticate with an API key (x-api-key), enforced by api_key_required and the resource policy
  count = local.api_count

  rest_api_id      = aws_api_gateway_rest_api.this[0].id
  resource_id      = aws_api_gateway_resource.db_schema_status[0].id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = var.api_basic_auth
}

resource "aws_api_gateway_integration" "db_schema_status" {
  count = local.api_count

  rest_api_id             = aws_api_gateway_rest_api.this[0].id
  resource_id             = aws_api_gateway_resource.db_schema_status[0].id
  http_method             = aws_api_gateway_method.db_schema_status[0].http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "http://${aws_lb.this.dns_name}:${local.migration_port}/db_schema_status"
  connection_type         = "VPC_LINK"
  connection_id           = aws_api_gateway_vpc_link.this[0].id
}

resource "aws_api_gateway_deployment" "this" {
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id

  # A deployment is a snapshot: redeploy whenever a route, an integration or
  # the access policy changes, or the change never goes live.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.ping[0],
      aws_api_gateway_method.ping[0],
      aws_api_gateway_integration.ping[0],
      aws_api_gateway_resource.flows[0],
      aws_api_gateway_method.flows[0],
      aws_api_gateway_integration.flows[0],
      aws_api_gateway_resource.proxy[0],
      aws_api_gateway_method.proxy,
      aws_api_gateway_integration.proxy,
      aws_api_gateway_resource.db_schema_status[0],
      aws_api_gateway_method.db_schema_status[0],
      aws_api_gateway_integration.db_schema_status[0],
      aws_api_gateway_rest_api_policy.this,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.ping,
    aws_api_gateway_integration.flows,
    aws_api_gateway_integration.proxy,
    aws_api_gateway_integration.db_schema_status,
  ]
}

# Access logs and execution logs need the account's API Gateway CloudWatch role
# in this region (one per account and region, shared by every API there; the
# README shows how to set it once), so they follow enable_api_gateway_logging.
# Metrics need no account setting and stay on; X-Ray tracing follows
# enable_api_gateway_tracing.
resource "aws_cloudwatch_log_group" "api_access" {
  # checkov:skip=CKV_AWS_158: encrypted with the CloudWatch Logs service key; a customer key needs a key policy this module does not own
  count = local.api_logs_count

  name              = "/aws/apigateway/${local.name}"
  retention_in_days = var.log_retention_days

  tags = var.standard_tags
}

# API Gateway writes execution logs to this name; created here so it has a retention.
resource "aws_cloudwatch_log_group" "api_execution" {
  # checkov:skip=CKV_AWS_158: encrypted with the CloudWatch Logs service key; a customer key needs a key policy this module does not own
  count = local.api_logs_count

  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this[0].id}/api"
  retention_in_days = var.log_retention_days

  tags = var.standard_tags
}

resource "aws_api_gateway_stage" "api" {
  # checkov:skip=CKV_AWS_120: metadata responses change with every run; caching would serve stale data
  # checkov:skip=CKV2_AWS_29: a WAF web ACL is an account-level choice; the resource policy and API key already restrict callers
  # checkov:skip=CKV2_AWS_51: Metaflow clients do not present client certificates
  # checkov:skip=CKV_AWS_76: access logs follow enable_api_gateway_logging, which needs the account's API Gateway CloudWatch role
  # checkov:skip=CKV2_AWS_4: the logging level follows enable_api_gateway_logging (off by default): execution logs need the region's account-wide API Gateway CloudWatch role, which this module does not manage
  count = local.api_count

  rest_api_id          = aws_api_gateway_rest_api.this[0].id
  deployment_id        = aws_api_gateway_deployment.this[0].id
  stage_name           = "api"
  xray_tracing_enabled = var.enable_api_gateway_tracing

  dynamic "access_log_settings" {
    for_each = aws_cloudwatch_log_group.api_access

    content {
      destination_arn = access_log_settings.value.arn
      format = jsonencode({
        requestId      = "$context.requestId"
        ip             = "$context.identity.sourceIp"
        requestTime    = "$context.requestTime"
        httpMethod     = "$context.httpMethod"
        resourcePath   = "$context.resourcePath"
        status         = "$context.status"
        responseLength = "$context.responseLength"
        latency        = "$context.responseLatency"
        apiKeyId       = "$context.identity.apiKeyId"
        error          = "$context.error.message"
      })
    }
  }

  tags = var.standard_tags
}

resource "aws_api_gateway_method_settings" "all" {
  # checkov:skip=CKV_AWS_225: metadata responses change with every run; caching would serve stale data
  # checkov:skip=CKV2_AWS_4: the logging level follows enable_api_gateway_logging (off by default): execution logs need the region's account-wide API Gateway CloudWatch role, which this module does not manage
  count = local.api_count

  rest_api_id = aws_api_gateway_rest_api.this[0].id
  stage_name  = aws_api_gateway_stage.api[0].stage_name
  method_path = "*/*"

  # Throttling for every caller together, with or without an API key (the
  # usage plan below adds the same limits per key, and a quota).
  settings {
    metrics_enabled        = true
    logging_level          = var.enable_api_gateway_logging ? "ERROR" : "OFF"
    data_trace_enabled     = false
    throttling_rate_limit  = var.api_throttle_rate_limit
    throttling_burst_limit = var.api_throttle_burst_limit
  }

  depends_on = [aws_cloudwatch_log_group.api_execution]
}

resource "aws_api_gateway_api_key" "this" {
  count = var.enable_api_gateway && var.api_basic_auth ? 1 : 0

  name        = local.name
  description = "Metaflow client key (METAFLOW_SERVICE_AUTH_KEY) for ${local.name}"
  enabled     = true

  tags = var.standard_tags
}

resource "aws_api_gateway_usage_plan" "this" {
  count = var.enable_api_gateway && var.api_basic_auth ? 1 : 0

  name = local.name

  api_stages {
    api_id = aws_api_gateway_rest_api.this[0].id
    stage  = aws_api_gateway_stage.api[0].stage_name
  }

  throttle_settings {
    rate_limit  = var.api_throttle_rate_limit
    burst_limit = var.api_throttle_burst_limit
  }

  dynamic "quota_settings" {
    for_each = var.api_quota_limit == null ? [] : [var.api_quota_limit]

    content {
      limit  = quota_settings.value
      period = var.api_quota_period
    }
  }

  tags = var.standard_tags
}

resource "aws_api_gateway_usage_plan_key" "this" {
  count = var.enable_api_gateway && var.api_basic_auth ? 1 : 0

  key_id        = aws_api_gateway_api_key.this[0].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this[0].id
}
