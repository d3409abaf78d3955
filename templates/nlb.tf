resource "aws_lb" "this" {
  # checkov:skip=CKV_AWS_91: access logs need an S3 bucket with a policy for the ELB service, which this module does not own
  # checkov:skip=CKV_AWS_150: the load balancer holds no data; deletion protection would only block terraform destroy
  # checkov:skip=CKV2_AWS_20: an HTTP-to-HTTPS redirect is an Application Load Balancer rule; this is a TCP Network Load Balancer behind API Gateway
  name                             = local.nlb_name
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = local.subnet_ids
  enable_cross_zone_load_balancing = true
  security_groups                  = [aws_security_group.nlb.id]

  # API Gateway's VPC link arrives over PrivateLink; the API key, the access
  # list and the stage guard it, not the VPC's addresses.
  enforce_security_group_inbound_rules_on_private_link_traffic = "off"

  # Caught at plan instead of when AWS refuses the load balancer.
  lifecycle {
    precondition {
      condition     = data.aws_subnet.first.vpc_id == var.metaflow_vpc_id && data.aws_subnet.second.vpc_id == var.metaflow_vpc_id
      error_message = "subnet1_id and subnet2_id must both be subnets of metaflow_vpc_id."
    }

    precondition {
      condition     = data.aws_subnet.first.availability_zone != data.aws_subnet.second.availability_zone
      error_message = "subnet1_id and subnet2_id must be in different availability zones (the load balancer needs one subnet per zone)."
    }
  }

  tags = var.standard_tags
}

resource "aws_lb_target_group" "api" {
  name                 = local.tg_api_name
  port                 = local.api_port
  protocol             = "TCP"
  target_type          = "ip"
  vpc_id               = var.metaflow_vpc_id
  deregistration_delay = 30

  health_check {
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = "/ping"
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.standard_tags
}

resource "aws_lb_target_group" "migration" {
  name                 = local.tg_mig_name
  port                 = local.migration_port
  protocol             = "TCP"
  target_type          = "ip"
  vpc_id               = var.metaflow_vpc_id
  deregistration_delay = 30

  # Checked on the metadata API's port: the migration API answers
  # GET /db_schema_status by running goose and waiting for it without yielding,
  # so on a slow database its /ping can miss a check, and an unhealthy target
  # gets a healthy task replaced.
  health_check {
    protocol            = "HTTP"
    port                = tostring(local.api_port)
    path                = "/ping"
    matcher             = "200"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = var.standard_tags
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }

  tags = var.standard_tags
}

resource "aws_lb_listener" "migration" {
  load_balancer_arn = aws_lb.this.arn
  port              = local.migration_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.migration.arn
  }

  tags = var.standard_tags
}
