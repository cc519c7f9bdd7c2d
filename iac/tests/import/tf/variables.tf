variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "prefix" {
  type    = string
  default = "shop"
}
