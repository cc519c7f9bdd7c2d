# Test input shaped like terraform-aws-modules usage: a local module called once per element of a
# `for_each` set and `count` times, a DynamoDB table whose replicas are `dynamic` blocks over a
# variable's default (as terraform-aws-modules/dynamodb-table writes them), a security group with
# `dynamic` ingress rules over a local map, and the forms that cannot be expanded statically.

provider "aws" {
  region = "eu-west-1"
}

variable "replica_regions" {
  type    = list(string)
  default = ["eu-central-1", "eu-north-1"]
}

variable "workers" {
  type    = number
  default = 2
}

variable "subscribers" {
  type = list(string)
}

locals {
  ports = {
    https = 443
    app   = 8080
  }
}

module "queue" {
  source   = "./modules/queue"
  for_each = toset(["orders", "payments"])
  name     = "queue-${each.key}"
}

module "worker_queue" {
  source = "./modules/queue"
  count  = var.workers
  name   = "worker-${count.index}"
}

module "per_subscriber" {
  source   = "./modules/queue"
  for_each = toset(var.subscribers)
  name     = each.key
}

resource "aws_dynamodb_table" "this" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  dynamic "replica" {
    for_each = var.replica_regions
    content {
      region_name = replica.value
    }
  }
}

resource "aws_security_group" "web" {
  name = "web"

  dynamic "ingress" {
    for_each = local.ports
    iterator = port
    content {
      description = port.key
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
    }
  }

  dynamic "egress" {
    for_each = data.aws_ip_ranges.cloudfront.cidr_blocks
    content {
      cidr_blocks = [egress.value]
    }
  }
}

data "aws_ip_ranges" "cloudfront" {
  services = ["cloudfront"]
}
