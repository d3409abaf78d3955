# ---- The metadata service tasks

resource "aws_security_group" "metadata_service" {
  name_prefix = "${local.name}-service-"
  description = "Metaflow metadata service tasks: API and migration ports from the internal load balancer"
  vpc_id      = var.metaflow_vpc_id

  tags = var.standard_tags

  lifecycle {
    create_before_destroy = true
  }
}

# Everything reaches the tasks through the load balancer (traffic and health checks).
resource "aws_vpc_security_group_ingress_rule" "service_from_nlb" {
  for_each = { api = local.api_port, migration = local.migration_port }

  security_group_id            = aws_security_group.metadata_service.id
  description                  = "Port ${each.value} (${each.key}) from the internal load balancer"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.nlb.id

  tags = var.standard_tags
}

# The database: by CIDR block (database_cidr_blocks, else the VPC's) and/or by
# its security group (database_security_group_id, which then gets the matching
# ingress rule below).
resource "aws_vpc_security_group_egress_rule" "service_database" {
  for_each = toset(local.database_cidr_blocks)

  security_group_id = aws_security_group.metadata_service.id
  description       = "PostgreSQL (the database port) in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.db_port
  to_port           = local.db_port
  cidr_ipv4         = each.value

  tags = var.standard_tags
}

resource "aws_vpc_security_group_egress_rule" "service_database_group" {
  count = var.database_security_group_id == null ? 0 : 1

  security_group_id            = aws_security_group.metadata_service.id
  description                  = "PostgreSQL (the database port) in the database's security group"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = var.database_security_group_id

  tags = var.standard_tags
}

resource "aws_vpc_security_group_egress_rule" "service_https" {
  security_group_id = aws_security_group.metadata_service.id
  description       = "HTTPS for the image registry, Secrets Manager and CloudWatch Logs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"

  tags = var.standard_tags
}

# ---- The database's side, when the module knows its security group: let the
# tasks in, so the schema upgrade on the first apply reaches the database (the
# schema upgrade waits for this rule; migration.tf). With CIDR blocks instead,
# the database's security group must already admit them, or
# metadata_service_security_group_id, before the first apply.

resource "aws_vpc_security_group_ingress_rule" "database_from_service" {
  count = var.database_security_group_id == null ? 0 : 1

  security_group_id            = var.database_security_group_id
  description                  = "PostgreSQL from the Metaflow metadata service (${local.name})"
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  referenced_security_group_id = aws_security_group.metadata_service.id

  tags = var.standard_tags
}

# ---- The internal load balancer: the metadata API for the VPC. Its migration
# API (schema status only, no authentication) is open to no one in the VPC:
# API Gateway's VPC link reaches it for GET /db_schema_status, and PrivateLink
# traffic is not filtered by this group (nlb.tf).

resource "aws_security_group" "nlb" {
  name_prefix = "${local.name}-nlb-"
  description = "Metaflow metadata load balancer: the metadata API from the VPC"
  vpc_id      = var.metaflow_vpc_id

  tags = var.standard_tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "nlb_api" {
  for_each = toset(var.vpc_cidr_blocks)

  security_group_id = aws_security_group.nlb.id
  description       = "Metadata API from the VPC (Metaflow tasks)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value

  tags = var.standard_tags
}

resource "aws_vpc_security_group_egress_rule" "nlb_service" {
  for_each = { api = local.api_port, migration = local.migration_port }

  security_group_id            = aws_security_group.nlb.id
  description                  = "Port ${each.value} (${each.key}) of the service tasks, traffic and health checks"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.metadata_service.id

  tags = var.standard_tags
}
