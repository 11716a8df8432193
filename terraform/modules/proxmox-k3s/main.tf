# K3s nodes cloned from a cloud-init template: servers first, then workers, the first
# gpu_workers of which get the GPU passed through.

data "proxmox_virtual_environment_vms" "template" {
  count     = local.template_is_id ? 0 : 1
  node_name = var.node_name

  filter {
    name   = "name"
    values = [var.vm_template]
  }
}

locals {
  template_is_id = can(regex("^[0-9]+$", var.vm_template))
  template_id    = local.template_is_id ? tonumber(var.vm_template) : data.proxmox_virtual_environment_vms.template[0].vms[0].vm_id
  base_tags      = sort(distinct(concat(["infracrew", "k3s", var.name], var.tags)))
}

resource "proxmox_virtual_environment_vm" "server" {
  count = var.servers

  name        = "${var.name}-server-${count.index + 1}"
  node_name   = var.node_name
  description = "k3s server of stack ${var.name}"
  tags        = sort(distinct(concat(local.base_tags, ["server"])))
  on_boot     = true
  started     = true

  agent {
    enabled = true
  }

  cpu {
    cores = var.cores
    type  = "host"
  }

  memory {
    dedicated = var.memory_mb
  }

  disk {
    datastore_id = var.datastore_id
    interface    = "scsi0"
    size         = var.disk_gb
    discard      = "on"
    iothread     = true
  }

  network_device {
    bridge = var.network_bridge
  }

  operating_system {
    type = "l26"
  }

  clone {
    vm_id     = local.template_id
    node_name = var.node_name
    full      = true
  }

  initialization {
    datastore_id = var.datastore_id

    ip_config {
      ipv4 {
        address = length(var.server_ipv4) > 0 ? var.server_ipv4[count.index] : "dhcp"
        gateway = length(var.server_ipv4) > 0 ? var.ipv4_gateway : null
      }
    }

    # Key-based login only: the module has no password input at all.
    user_account {
      username = var.ci_username
      keys     = var.ssh_public_keys
    }
  }

  lifecycle {
    # Checked here because there is always at least one server.
    precondition {
      condition     = var.gpu_workers <= var.workers
      error_message = "gpu_workers cannot exceed workers."
    }
  }
}

resource "proxmox_virtual_environment_vm" "worker" {
  count = var.workers

  name        = "${var.name}-worker-${count.index + 1}"
  node_name   = var.node_name
  description = "k3s worker of stack ${var.name}"
  tags        = sort(distinct(concat(local.base_tags, ["worker"], count.index < var.gpu_workers ? ["gpu"] : [])))
  on_boot     = true
  started     = true
  # PCIe passthrough needs the q35 machine type.
  machine = count.index < var.gpu_workers ? "q35" : null

  agent {
    enabled = true
  }

  cpu {
    cores = var.cores
    type  = "host"
  }

  memory {
    dedicated = var.memory_mb
  }

  disk {
    datastore_id = var.datastore_id
    interface    = "scsi0"
    size         = var.disk_gb
    discard      = "on"
    iothread     = true
  }

  network_device {
    bridge = var.network_bridge
  }

  operating_system {
    type = "l26"
  }

  # A resource mapping (Datacenter → Resource Mappings) works with API tokens, unlike a
  # raw PCI id, which needs root@pam.
  dynamic "hostpci" {
    for_each = count.index < var.gpu_workers ? [var.gpu_pci_mapping] : []
    content {
      device  = "hostpci0"
      mapping = hostpci.value
      pcie    = true
      rombar  = true
      xvga    = false
    }
  }

  clone {
    vm_id     = local.template_id
    node_name = var.node_name
    full      = true
  }

  initialization {
    datastore_id = var.datastore_id

    ip_config {
      ipv4 {
        address = length(var.worker_ipv4) > 0 ? var.worker_ipv4[count.index] : "dhcp"
        gateway = length(var.worker_ipv4) > 0 ? var.ipv4_gateway : null
      }
    }

    user_account {
      username = var.ci_username
      keys     = var.ssh_public_keys
    }
  }
}
