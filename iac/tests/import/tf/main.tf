# Test input shaped like popular Terraform AWS modules: a default provider and an alias, a
# registry module (not read), a local module given a provider, count and for_each over literal
# values and over a data source, S3 replication, and a resource type Meridian does not model.

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "frankfurt"
  region = "eu-central-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  name    = "main"
  cidr    = "10.0.0.0/16"
}

module "orders" {
  source = "./modules/service"
  providers = {
    aws = aws.frankfurt
  }
  name    = "orders"
  desired = 4
}

locals {
  sites = {
    primary = "site-primary"
    replica = "site-replica"
  }
}

resource "aws_sqs_queue" "jobs" {
  count = 2
  name  = "${var.prefix}-jobs-${count.index}"
}

data "aws_availability_zones" "available" {}

resource "aws_sqs_queue" "per_az" {
  for_each = toset(data.aws_availability_zones.available.names)
  name     = "queue-${each.key}"
}

resource "aws_s3_bucket" "site" {
  for_each = local.sites
  bucket   = "${var.prefix}-${each.value}"
}

resource "aws_s3_bucket" "replica" {
  provider = aws.frankfurt
  bucket   = "${var.prefix}-site-replica-fra"
}

resource "aws_iam_role" "replication" {
  name               = "${var.prefix}-replication"
  assume_role_policy = jsonencode({ Version = "2012-10-17" })
}

resource "aws_s3_bucket_replication_configuration" "site" {
  bucket = aws_s3_bucket.site["primary"].id
  role   = aws_iam_role.replication.arn

  rule {
    id     = "everything"
    status = "Enabled"

    destination {
      bucket = aws_s3_bucket.replica.arn

      replication_time {
        status = "Enabled"
        time {
          minutes = 15
        }
      }
    }
  }
}

resource "aws_wafv2_web_acl" "edge" {
  name  = "edge"
  scope = "CLOUDFRONT"
}
