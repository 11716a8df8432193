variable "name" {
  description = "Name prefix of every resource, normally the stack name (e.g. ollama-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "name must be lowercase letters, digits and dashes, starting with a letter, at most 40 characters."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, e.g. 10.42.0.0/16."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block."
  }
}

variable "private_subnet_cidrs" {
  description = "IPv4 CIDRs of the private subnets, one per availability zone, all inside vpc_cidr."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_cidrs) >= 1 && alltrue([for c in var.private_subnet_cidrs : can(cidrnetmask(c))])
    error_message = "private_subnet_cidrs needs at least one IPv4 CIDR block."
  }
}

variable "availability_zones" {
  description = "Zones for the private subnets, in order. Empty: the region's available zones."
  type        = list(string)
  default     = []
}

variable "enable_nat_gateway" {
  description = "Create a NAT gateway (and a small public subnet for it) so instances can reach the internet over HTTPS. Off: provide a VPC endpoint or an in-VPC mirror for the Ollama install and model pull."
  type        = bool
  default     = false
}

variable "public_subnet_cidr" {
  description = "CIDR of the public subnet that holds the NAT gateway; required when enable_nat_gateway is true."
  type        = string
  default     = null

  validation {
    condition     = var.public_subnet_cidr == null || can(cidrnetmask(var.public_subnet_cidr))
    error_message = "public_subnet_cidr must be an IPv4 CIDR block."
  }
}

variable "ollama_port" {
  description = "TCP port the Ollama API listens on."
  type        = number
  default     = 11434

  validation {
    condition     = var.ollama_port >= 1 && var.ollama_port <= 65535 && floor(var.ollama_port) == var.ollama_port
    error_message = "ollama_port must be an integer between 1 and 65535."
  }
}

variable "allowed_cidrs" {
  description = "CIDRs allowed to reach the Ollama port. Empty: the VPC CIDR only. A world-open CIDR plans, so the review can show it, and Sentinel blocks it before any apply."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_cidrs : can(cidrnetmask(c))])
    error_message = "allowed_cidrs must be IPv4 CIDR blocks."
  }
}

variable "egress_cidrs" {
  description = "CIDRs the instances may reach on 443/tcp. Null: the VPC CIDR without NAT (endpoints, mirror), 0.0.0.0/0 with NAT."
  type        = list(string)
  default     = null
}

variable "instance_types" {
  description = "Instance types the ASG may launch, in priority order (e.g. g4dn.xlarge, g5.xlarge). GPU types need an image with NVIDIA drivers."
  type        = list(string)

  validation {
    condition     = length(var.instance_types) >= 1 && alltrue([for t in var.instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", t))])
    error_message = "instance_types needs at least one instance type such as g4dn.xlarge."
  }
}

variable "min_size" {
  description = "Minimum number of instances while the stack is on."
  type        = number
  default     = 0

  validation {
    condition     = var.min_size >= 0
    error_message = "min_size must not be negative."
  }
}

variable "max_size" {
  description = "Maximum number of instances."
  type        = number
  default     = 1

  validation {
    condition     = var.max_size >= 1
    error_message = "max_size must be at least 1."
  }
}

variable "desired_capacity" {
  description = "Instances the group runs: set on the group by plans with set_desired_capacity, and restored by each scheduled start."
  type        = number
  default     = 1
}

variable "set_desired_capacity" {
  description = "Whether this plan sets the group's desired capacity. False leaves the live size alone (a plan made while the weekend schedule has the group stopped); the next scheduled start brings it to desired_capacity."
  type        = bool
  default     = true
}

variable "on_demand_base" {
  description = "Instances that are always On-Demand; every instance above this base is Spot."
  type        = number
  default     = 0

  validation {
    condition     = var.on_demand_base >= 0
    error_message = "on_demand_base must not be negative."
  }
}

variable "volume_gb" {
  description = "Size of the encrypted gp3 root volume in GiB (models live on it)."
  type        = number
  default     = 100

  validation {
    condition     = var.volume_gb >= 8 && var.volume_gb <= 16384
    error_message = "volume_gb must be between 8 and 16384."
  }
}

variable "root_device_name" {
  description = "Root device name of the image (/dev/sda1 for Ubuntu, /dev/xvda for Amazon Linux)."
  type        = string
  default     = "/dev/sda1"
}

variable "ebs_kms_key_arn" {
  description = "KMS key for the root volume. Null: the account's default EBS key."
  type        = string
  default     = null
}

variable "model" {
  description = "Ollama model pulled at boot (e.g. llama3.1:8b). Empty: pull nothing."
  type        = string
  default     = ""

  validation {
    condition     = var.model == "" || can(regex("^[a-z0-9][a-z0-9._/-]*(:[a-z0-9._-]+)?$", var.model))
    error_message = "model must look like name[:tag] (lowercase letters, digits, . _ / -)."
  }
}

variable "ami_id" {
  description = "Image id. Null: resolve ami_ssm_parameter at launch."
  type        = string
  default     = null
}

variable "ami_ssm_parameter" {
  description = "SSM parameter EC2 resolves to the image when ami_id is null. For GPU types point it at an image with NVIDIA drivers (e.g. a Deep Learning Base AMI parameter)."
  type        = string
  default     = "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id"
}

variable "schedule" {
  description = "Weekly off-hours: 5-field cron recurrences for stop (scale to 0) and start (restore sizes), read in time_zone (IANA). Null: always on."
  type = object({
    stop_recurrence  = string
    start_recurrence = string
    time_zone        = string
  })
  default = null

  # A conditional, not `||`: Terraform before 1.12 evaluates both sides of `||`, and reading
  # an attribute of a null schedule fails the plan of every always-on stack.
  validation {
    condition = var.schedule == null ? true : (
      length(split(" ", var.schedule.stop_recurrence)) == 5 &&
      length(split(" ", var.schedule.start_recurrence)) == 5 &&
      can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", var.schedule.time_zone))
    )
    error_message = "schedule needs two 5-field cron recurrences and an IANA time zone such as Europe/Dublin."
  }
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch Logs keeps the VPC flow logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "flow_log_kms_key_arn" {
  description = "KMS key for the flow log group. Null: CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource (Stack is always set to name)."
  type        = map(string)
  default     = {}
}
