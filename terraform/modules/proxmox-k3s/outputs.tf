locals {
  # First non-loopback address reported by the QEMU guest agent, else the static address.
  server_ips = [for i, vm in proxmox_virtual_environment_vm.server :
    length(var.server_ipv4) > 0 ? split("/", var.server_ipv4[i])[0] : try([for a in flatten(vm.ipv4_addresses) : a if a != "127.0.0.1"][0], null)
  ]
  worker_ips = [for i, vm in proxmox_virtual_environment_vm.worker :
    length(var.worker_ipv4) > 0 ? split("/", var.worker_ipv4[i])[0] : try([for a in flatten(vm.ipv4_addresses) : a if a != "127.0.0.1"][0], null)
  ]
}

output "server_ips" {
  description = "IPv4 address of each K3s server, in order."
  value       = local.server_ips
}

output "worker_ips" {
  description = "IPv4 address of each K3s worker, in order."
  value       = local.worker_ips
}

output "ansible_inventory" {
  description = "Ansible inventory (YAML/JSON shape) with groups k3s_servers, k3s_workers and k3s_gpu."
  value = {
    all = {
      vars = { ansible_user = var.ci_username }
      children = {
        k3s_servers = { hosts = { for i, vm in proxmox_virtual_environment_vm.server : vm.name => { ansible_host = local.server_ips[i] } } }
        k3s_workers = { hosts = { for i, vm in proxmox_virtual_environment_vm.worker : vm.name => { ansible_host = local.worker_ips[i] } } }
        k3s_gpu     = { hosts = { for i, vm in proxmox_virtual_environment_vm.worker : vm.name => { ansible_host = local.worker_ips[i] } if i < var.gpu_workers } }
      }
    }
  }
}
