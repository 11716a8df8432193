variable "name" {
  description = "Name prefix of the VMs, normally the stack name (e.g. k3s-lab)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "name must be lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "servers" {
  description = "Number of K3s server (control-plane) VMs; odd numbers keep etcd quorum."
  type        = number
  default     = 3

  validation {
    condition     = var.servers >= 1 && var.servers <= 9
    error_message = "servers must be between 1 and 9."
  }
}

variable "workers" {
  description = "Number of K3s worker VMs."
  type        = number
  default     = 2

  validation {
    condition     = var.workers >= 0 && var.workers <= 50
    error_message = "workers must be between 0 and 50."
  }
}

variable "gpu_workers" {
  description = "How many of the workers (the first ones) get the GPU passed through."
  type        = number
  default     = 0

  validation {
    condition     = var.gpu_workers >= 0
    error_message = "gpu_workers must not be negative."
  }
}

variable "vm_template" {
  description = "Cloud-init template to clone: its numeric VM id, or its name (looked up on node_name)."
  type        = string
}

variable "node_name" {
  description = "Proxmox node the VMs are created on."
  type        = string
}

variable "cores" {
  description = "vCPU cores per VM."
  type        = number
  default     = 4

  validation {
    condition     = var.cores >= 1 && var.cores <= 128
    error_message = "cores must be between 1 and 128."
  }
}

variable "memory_mb" {
  description = "Dedicated memory per VM in MiB."
  type        = number
  default     = 8192

  validation {
    condition     = var.memory_mb >= 512
    error_message = "memory_mb must be at least 512."
  }
}

variable "disk_gb" {
  description = "Size of the system disk (scsi0) per VM in GiB."
  type        = number
  default     = 64

  validation {
    condition     = var.disk_gb >= 4
    error_message = "disk_gb must be at least 4."
  }
}

variable "network_bridge" {
  description = "Proxmox bridge the VMs attach to (e.g. vmbr0)."
  type        = string
  default     = "vmbr0"
}

variable "datastore_id" {
  description = "Datastore for disks and the cloud-init drive."
  type        = string
  default     = "local-lvm"
}

variable "ci_username" {
  description = "User cloud-init creates; Ansible logs in as this user."
  type        = string
  default     = "ubuntu"
}

variable "ssh_public_keys" {
  description = "SSH public keys authorised for ci_username. Keys only: no password is ever set."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for k in var.ssh_public_keys : can(regex("^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)) ", k))])
    error_message = "ssh_public_keys must be OpenSSH public keys."
  }
}

variable "gpu_pci_mapping" {
  description = "Name of the PCI resource mapping of the GPU (Datacenter → Resource Mappings)."
  type        = string
  default     = "gpu"
}

variable "server_ipv4" {
  description = "Static IPv4 addresses with prefix (e.g. 192.168.1.21/24), one per server. Empty: DHCP."
  type        = list(string)
  default     = []
}

variable "worker_ipv4" {
  description = "Static IPv4 addresses with prefix, one per worker. Empty: DHCP."
  type        = list(string)
  default     = []
}

variable "ipv4_gateway" {
  description = "Default gateway used with static addresses."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra Proxmox tags on every VM."
  type        = list(string)
  default     = []
}
