output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.main.id
}

output "private_subnet_ids" {
  description = "Ids of the private subnets the ASG launches into."
  value       = aws_subnet.private[*].id
}

output "security_group_id" {
  description = "Security group of the Ollama instances (only ollama_port from allowed CIDRs)."
  value       = aws_security_group.ollama.id
}

output "launch_template_id" {
  description = "Id of the launch template."
  value       = aws_launch_template.ollama.id
}

output "launch_template_version" {
  description = "Launch template version the ASG is pinned to."
  value       = aws_launch_template.ollama.latest_version
}

output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group (what FinPilot's kill-switch targets)."
  value       = aws_autoscaling_group.ollama.name
}

output "ollama_port" {
  description = "Port the Ollama API listens on inside the VPC."
  value       = var.ollama_port
}

output "flow_log_group_name" {
  description = "CloudWatch Logs group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow.name
}

output "nat_gateway_id" {
  description = "Id of the NAT gateway, or null when enable_nat_gateway is false."
  value       = var.enable_nat_gateway ? aws_nat_gateway.main[0].id : null
}

output "schedule_action_names" {
  description = "Names of the stop/start scheduled actions, empty without a schedule."
  value       = concat(aws_autoscaling_schedule.stop[*].scheduled_action_name, aws_autoscaling_schedule.start[*].scheduled_action_name)
}
