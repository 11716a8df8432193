locals {
  # Without NAT the only reachable HTTPS endpoints are inside the VPC (VPC endpoints or a
  # mirror); with NAT, HTTPS may leave the VPC for the installer and the model registry.
  egress_cidrs = var.egress_cidrs != null ? var.egress_cidrs : (var.enable_nat_gateway ? ["0.0.0.0/0"] : [var.vpc_cidr])
  # Defaults to the VPC CIDR: the API is for callers inside the private network only.
  allowed_cidrs = length(var.allowed_cidrs) > 0 ? var.allowed_cidrs : [var.vpc_cidr]
}

resource "aws_security_group" "ollama" {
  name        = "${var.name}-ollama"
  description = "Ollama API (${var.ollama_port}/tcp) reachable only from allowed private ranges"
  vpc_id      = aws_vpc.main.id

  # Inline rules keep the whole policy of this group in one reviewable place.
  ingress {
    description = "Ollama API from allowed private ranges"
    from_port   = var.ollama_port
    to_port     = var.ollama_port
    protocol    = "tcp"
    cidr_blocks = local.allowed_cidrs
  }

  # HTTPS only: enough for the Ollama installer and model pulls. DNS and instance metadata
  # use the VPC resolver and IMDS, which security groups do not filter.
  egress {
    description = "HTTPS for the Ollama installer and model pulls"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = local.egress_cidrs
  }

  tags = merge(local.tags, { Name = "${var.name}-ollama" })
}
