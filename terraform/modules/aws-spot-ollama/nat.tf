# Optional way out for the model pull: a NAT gateway in one small public subnet. Off by
# default; without it the instances need a VPC endpoint or an in-VPC mirror to download
# Ollama and models. The public subnet still does not hand out public IPs on launch.

resource "aws_internet_gateway" "main" {
  count  = var.enable_nat_gateway ? 1 : 0
  vpc_id = aws_vpc.main.id

  tags = merge(local.tags, { Name = "${var.name}-igw" })
}

resource "aws_subnet" "public" {
  count = var.enable_nat_gateway ? 1 : 0

  vpc_id                  = aws_vpc.main.id
  cidr_block              = var.public_subnet_cidr
  availability_zone       = element(local.zones, 0)
  map_public_ip_on_launch = false

  tags = merge(local.tags, { Name = "${var.name}-public-nat" })

  lifecycle {
    precondition {
      condition     = var.public_subnet_cidr != null
      error_message = "enable_nat_gateway needs public_subnet_cidr."
    }
  }
}

resource "aws_route_table" "public" {
  count  = var.enable_nat_gateway ? 1 : 0
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main[0].id
  }

  tags = merge(local.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  count = var.enable_nat_gateway ? 1 : 0

  subnet_id      = aws_subnet.public[0].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count  = var.enable_nat_gateway ? 1 : 0
  domain = "vpc"

  tags = merge(local.tags, { Name = "${var.name}-nat" })
}

resource "aws_nat_gateway" "main" {
  count = var.enable_nat_gateway ? 1 : 0

  subnet_id         = aws_subnet.public[0].id
  allocation_id     = aws_eip.nat[0].id
  connectivity_type = "public"

  tags = merge(local.tags, { Name = "${var.name}-nat" })

  depends_on = [aws_internet_gateway.main]
}
