locals {
  # EC2 resolves the SSM parameter at launch, so the image follows the published LTS build.
  image_id = var.ami_id != null ? var.ami_id : "resolve:ssm:${var.ami_ssm_parameter}"
}

resource "aws_launch_template" "ollama" {
  name                   = "${var.name}-ollama"
  description            = "Ollama on Spot for stack ${var.name}"
  image_id               = local.image_id
  update_default_version = true

  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    ollama_port = var.ollama_port
    model       = var.model
  }))

  # IMDSv2 only, and a hop limit of 1 so containers on the host cannot reach the metadata.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    http_protocol_ipv6          = "disabled"
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = var.root_device_name
    ebs {
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      volume_type           = "gp3"
      volume_size           = var.volume_gb
      delete_on_termination = true
    }
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    device_index                = 0
    security_groups             = [aws_security_group.ollama.id]
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${var.name}-ollama" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, { Name = "${var.name}-ollama" })
  }

  tags = merge(local.tags, { Name = "${var.name}-ollama" })
}

# desired_capacity is set by plans made while the group should run, so "scale to 3" runs 3
# once applied. Null (set_desired_capacity = false, for plans made while the weekend schedule
# has the group stopped) leaves the live size alone: the attribute is optional and computed,
# so such a plan neither scales the group back up off-hours nor fights the scheduled actions.
resource "aws_autoscaling_group" "ollama" {
  name                      = "${var.name}-ollama"
  min_size                  = var.min_size
  max_size                  = var.max_size
  desired_capacity          = var.set_desired_capacity ? var.desired_capacity : null
  vpc_zone_identifier       = aws_subnet.private[*].id
  health_check_type         = "EC2"
  health_check_grace_period = 300
  # Replace Spot instances proactively when AWS signals a rebalance recommendation.
  capacity_rebalance = true

  mixed_instances_policy {
    instances_distribution {
      on_demand_allocation_strategy            = "prioritized"
      on_demand_base_capacity                  = var.on_demand_base
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.ollama.id
        # Pinned, never $Latest: a template change reaches the ASG only through a reviewed plan.
        version = aws_launch_template.ollama.latest_version
      }

      dynamic "override" {
        for_each = var.instance_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  # A reviewed change that reaches the launch template (the model, its user data) or the instance
  # types reaches the running instances: without a refresh they would keep running as they were
  # until the group replaced them for another reason, while the review priced the new types. AWS
  # launches each replacement before it stops the old instance (100-200 % healthy: the group
  # serves throughout) and leaves alone instances that already match (a type still listed).
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      skip_matching          = true
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, { Name = "${var.name}-ollama" })
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    precondition {
      condition     = var.min_size <= var.desired_capacity && var.desired_capacity <= var.max_size
      error_message = "desired_capacity must lie between min_size and max_size."
    }
  }
}
