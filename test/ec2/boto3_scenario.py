"""EC2 scenario through boto3 (Debian python3-boto3), against polystack's EC2 front."""
import base64
import os
import sys
import uuid

import boto3
from botocore.exceptions import ClientError

ec2 = boto3.client(
    "ec2",
    endpoint_url=os.environ["EC2_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id=os.environ["EC2_KEY"],
    aws_secret_access_key=os.environ["EC2_SECRET"],
)
suffix = uuid.uuid4().hex[:8]


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


regions = ec2.describe_regions()["Regions"]
step("regions", [r["RegionName"] for r in regions] == ["us-east-1"], regions)
zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
step("zones", "Sandbox-simulator-basic" in zones, zones)
images = ec2.describe_images(Filters=[{"Name": "name", "Values": ["CentOS*"]}])["Images"]
step("images", len(images) == 1 and images[0]["State"] == "available", images)
types = [t["InstanceType"] for t in ec2.describe_instance_types()["InstanceTypes"]]
step("instance types", "t2.micro" in types, types)

key = ec2.create_key_pair(KeyName=f"k-{suffix}")
step("key pair", key["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----"), key.get("KeyFingerprint"))
try:
    ec2.create_key_pair(KeyName=f"k-{suffix}")
    step("duplicate key pair refused", False)
except ClientError as e:
    step("duplicate key pair refused", e.response["Error"]["Code"] == "InvalidKeyPair.Duplicate", e.response)
sg = ec2.create_security_group(GroupName=f"web-{suffix}", Description="web")["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
perms = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
step("security group rule", perms[0]["FromPort"] == 22 and perms[0]["IpRanges"][0]["CidrIp"] == "0.0.0.0/0", perms)

run = ec2.run_instances(
    ImageId=images[0]["ImageId"], MinCount=2, MaxCount=2, InstanceType="t2.micro", KeyName=f"k-{suffix}", SecurityGroupIds=[sg],
    Placement={"AvailabilityZone": "Sandbox-simulator-basic"}, UserData="#!/bin/sh\necho hello\n",
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": f"web-{suffix}"}]}],
)
ids = [i["InstanceId"] for i in run["Instances"]]
step("run two instances", len(ids) == 2 and all(i["State"]["Name"] == "pending" for i in run["Instances"]), run["Instances"])
ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
found = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": [f"web-{suffix}"]}, {"Name": "instance-state-name", "Values": ["running"]}])
insts = [i for r in found["Reservations"] for i in r["Instances"]]
step("running with filters", sorted(i["InstanceId"] for i in insts) == sorted(ids), insts)
step("addresses and key", all(i["PrivateIpAddress"] and i["KeyName"] == f"k-{suffix}" for i in insts), insts)
attr = ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="userData")
step("user data", base64.b64decode(attr["UserData"]["Value"]) == b"#!/bin/sh\necho hello\n", attr)

ec2.stop_instances(InstanceIds=ids)
ec2.get_waiter("instance_stopped").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
step("stopped", True)
ec2.start_instances(InstanceIds=ids)
ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
step("started again", True)
step("reboot", ec2.reboot_instances(InstanceIds=ids)["ResponseMetadata"]["HTTPStatusCode"] == 200)

ec2.create_tags(Resources=[ids[0]], Tags=[{"Key": "role", "Value": "db"}])
tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [ids[0]]}])["Tags"]
step("tags", {"role": "db", "Name": f"web-{suffix}"} == {t["Key"]: t["Value"] for t in tags}, tags)

adv = ec2.run_instances(ImageId=images[0]["ImageId"], MinCount=1, MaxCount=1, InstanceType="t2.micro", Placement={"AvailabilityZone": "Sandbox-simulator-advanced"})
adv_id = adv["Instances"][0]["InstanceId"]
ec2.get_waiter("instance_running").wait(InstanceIds=[adv_id], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
alloc = ec2.allocate_address(Domain="vpc")
step("allocate address", alloc["AllocationId"].startswith("eipalloc-"), alloc)
assoc = ec2.associate_address(AllocationId=alloc["AllocationId"], InstanceId=adv_id)
step("associate address", assoc["AssociationId"].startswith("eipassoc-"), assoc)
addrs = ec2.describe_addresses(AllocationIds=[alloc["AllocationId"]])["Addresses"]
step("describe address", addrs[0]["PublicIp"] == alloc["PublicIp"] and addrs[0]["InstanceId"] == adv_id, addrs)
inst = ec2.describe_instances(InstanceIds=[adv_id])["Reservations"][0]["Instances"][0]
step("instance shows its public address", inst.get("PublicIpAddress") == alloc["PublicIp"], inst)
ec2.disassociate_address(AssociationId=assoc["AssociationId"])
step("disassociated", "InstanceId" not in ec2.describe_addresses(AllocationIds=[alloc["AllocationId"]])["Addresses"][0])
ec2.release_address(AllocationId=alloc["AllocationId"])
ids.append(adv_id)

term = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
step("terminate", all(t["CurrentState"]["Name"] == "shutting-down" for t in term), term)
ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
step("terminated and still listed", True)
try:
    ec2.describe_instances(InstanceIds=["i-0123456789abcdef0"])
    step("unknown instance", False)
except ClientError as e:
    step("unknown instance", e.response["Error"]["Code"] == "InvalidInstanceID.NotFound", e.response)
ec2.delete_security_group(GroupId=sg)
ec2.delete_key_pair(KeyName=f"k-{suffix}")
print("PASS")
