# Weekly off-hours: scale to zero at stop, restore the configured sizes at start. Created
# only when a schedule is given. Recurrence is read in time_zone, never in UTC by accident.

resource "aws_autoscaling_schedule" "stop" {
  count = var.schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-ollama-stop"
  autoscaling_group_name = aws_autoscaling_group.ollama.name
  recurrence             = var.schedule.stop_recurrence
  time_zone              = var.schedule.time_zone
  min_size               = 0
  max_size               = 0
  desired_capacity       = 0
}

# Every size is explicit: the provider defaults an omitted size to 0, which would keep the
# group at zero after the weekend.
resource "aws_autoscaling_schedule" "start" {
  count = var.schedule == null ? 0 : 1

  scheduled_action_name  = "${var.name}-ollama-start"
  autoscaling_group_name = aws_autoscaling_group.ollama.name
  recurrence             = var.schedule.start_recurrence
  time_zone              = var.schedule.time_zone
  min_size               = var.min_size
  max_size               = var.max_size
  desired_capacity       = var.desired_capacity
}
