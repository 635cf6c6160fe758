"""Terraform-style calls around an instance, through boto3: attributes, password, rules, credits."""
import base64
import os
import sys

import boto3
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding

ec2 = boto3.client("ec2", endpoint_url=os.environ["EC2_ENDPOINT"], region_name="us-east-1",
                   aws_access_key_id=os.environ["EC2_KEY"], aws_secret_access_key=os.environ["EC2_SECRET"])


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


key = ec2.create_key_pair(KeyName="attr-key")
image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["Ubuntu*"]}])["Images"][0]["ImageId"]
iid = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, KeyName="attr-key", InstanceType="t2.micro")["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})

data = ec2.get_password_data(InstanceId=iid)["PasswordData"]
private = serialization.load_pem_private_key(key["KeyMaterial"].encode(), password=None)
password = private.decrypt(base64.b64decode(data), padding.PKCS1v15()).decode()
step("password decrypts with the key pair", len(password) >= 8, password)

try:
    ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "t2.small"})
    step("type change refused while running", False)
except ClientError as e:
    step("type change refused while running", e.response["Error"]["Code"] == "IncorrectInstanceState", e.response)
ec2.stop_instances(InstanceIds=[iid])
ec2.get_waiter("instance_stopped").wait(InstanceIds=[iid], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "t2.small"})
got = ec2.describe_instance_attribute(InstanceId=iid, Attribute="instanceType")["InstanceType"]["Value"]
step("type changed", got == "t2.small", got)
# botocore base64-encodes this blob itself, as for RunInstances.
ec2.modify_instance_attribute(InstanceId=iid, UserData={"Value": b"#!/bin/sh\necho new\n"})
ud = ec2.describe_instance_attribute(InstanceId=iid, Attribute="userData")["UserData"]["Value"]
step("user data changed", base64.b64decode(ud) == b"#!/bin/sh\necho new\n", ud)
step("api termination flag", ec2.describe_instance_attribute(InstanceId=iid, Attribute="disableApiTermination")["DisableApiTermination"]["Value"] is False)

sg = ec2.create_security_group(GroupName="attr-sg", Description="d")["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"]
step("security group rules", [(r["IpProtocol"], r["FromPort"], r["CidrIpv4"], r["IsEgress"]) for r in rules] == [("tcp", 443, "0.0.0.0/0", False)], rules)
credits = ec2.describe_instance_credit_specifications(InstanceIds=[iid])["InstanceCreditSpecifications"]
step("credit specifications", credits == [{"InstanceId": iid, "CpuCredits": "standard"}], credits)
vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
step("vpc attribute", ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"] is True)
print("PASS")
