# ---- The metadata service tasks

resource "aws_security_group" "metadata_service" {
  name_prefix = "${local.name}-service-"
  description = "Metaflow metadata service tasks: API and migration ports from the VPC"
  vpc_id      = var.metaflow_vpc_id

  tags = var.standard_tags

  lifecycle {
    create_before_destroy = true
  }
}

# The internal load balancer, the migration function and in-VPC Metaflow tasks
# all reach the service from inside the VPC.
resource "aws_vpc_security_group_ingress_rule" "service_api" {
  for_each = toset(var.vpc_cidr_blocks)

  security_group_id = aws_security_group.metadata_service.id
  description       = "Metadata API from the VPC"
  ip_protocol       = "tcp"
  from_port         = local.api_port
  to_port           = local.api_port
  cidr_ipv4         = each.value

  tags = var.standard_tags
}

resource "aws_vpc_security_group_ingress_rule" "service_migration" {
  for_each = toset(var.vpc_cidr_blocks)

  security_group_id = aws_security_group.metadata_service.id
  description       = "Migration API from the VPC"
  ip_protocol       = "tcp"
  from_port         = local.migration_port
  to_port           = local.migration_port
  cidr_ipv4         = each.value

  tags = var.standard_tags
}

resource "aws_vpc_security_group_egress_rule" "service_database" {
  for_each = toset(var.vpc_cidr_blocks)

  security_group_id = aws_security_group.metadata_service.id
  description       = "PostgreSQL in the VPC"
  ip_protocol       = "tcp"
  from_port         = local.db_port
  to_port           = local.db_port
  cidr_ipv4         = each.value

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

# ---- The migration function

resource "aws_security_group" "db_migrate" {
  name_prefix = "${local.name}-db-migrate-"
  description = "Metaflow metadata migration function: calls the migration API only"
  vpc_id      = var.metaflow_vpc_id

  tags = var.standard_tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "db_migrate_migration_api" {
  for_each = toset(var.vpc_cidr_blocks)

  security_group_id = aws_security_group.db_migrate.id
  description       = "Migration API through the internal load balancer"
  ip_protocol       = "tcp"
  from_port         = local.migration_port
  to_port           = local.migration_port
  cidr_ipv4         = each.value

  tags = var.standard_tags
}
