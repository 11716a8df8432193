terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.32" # instance_refresh.preferences.max_healthy_percentage (5.32.0)
    }
  }
}
