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

# Volumes, snapshots and images (EBS over CloudStack volumes, snapshots and templates), with boto3's waiters.
fast = {"Delay": 1, "MaxAttempts": 60}
adv_zone = "Sandbox-simulator-advanced"
vol = ec2.create_volume(AvailabilityZone=adv_zone, Size=2, VolumeType="gp3", TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": f"data-{suffix}"}]}])
vol_id = vol["VolumeId"]
step("create volume", vol_id.startswith("vol-") and vol["State"] == "creating" and vol["Size"] == 2 and vol["VolumeType"] == "gp3", vol)
ec2.get_waiter("volume_available").wait(VolumeIds=[vol_id], WaiterConfig=fast)
att = ec2.attach_volume(VolumeId=vol_id, InstanceId=adv_id, Device="/dev/sdf")
step("attach volume", att["State"] == "attaching" and att["Device"] == "/dev/sdf" and att["InstanceId"] == adv_id, att)
ec2.get_waiter("volume_in_use").wait(VolumeIds=[vol_id], WaiterConfig=fast)
found = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [adv_id]}, {"Name": "attachment.device", "Values": ["/dev/sdf"]}])["Volumes"]
step("describe volumes by attachment", [v["VolumeId"] for v in found] == [vol_id] and found[0]["Attachments"][0]["State"] == "attached", found)
step("volume tag", {"Key": "Name", "Value": f"data-{suffix}"} in found[0]["Tags"], found[0].get("Tags"))
bdm = ec2.describe_instances(InstanceIds=[adv_id])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]
step("instance block devices", [m["DeviceName"] for m in bdm] == ["/dev/xvda", "/dev/sdf"] and bdm[1]["Ebs"]["VolumeId"] == vol_id, bdm)
try:
    ec2.attach_volume(VolumeId=vol_id, InstanceId=adv_id, Device="/dev/sdg")
    step("attach twice refused", False)
except ClientError as e:
    step("attach twice refused", e.response["Error"]["Code"] == "VolumeInUse", e.response)
try:
    ec2.delete_volume(VolumeId=vol_id)
    step("delete attached refused", False)
except ClientError as e:
    step("delete attached refused", e.response["Error"]["Code"] == "VolumeInUse", e.response)

snap = ec2.create_snapshot(VolumeId=vol_id, Description="nightly", TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "kind", "Value": "nightly"}]}])
step("create snapshot", snap["SnapshotId"].startswith("snap-") and snap["State"] == "pending" and snap["VolumeId"] == vol_id, snap)
ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snap["SnapshotId"]], WaiterConfig=fast)
snaps = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:kind", "Values": ["nightly"]}])["Snapshots"]
step("snapshot completed", len(snaps) == 1 and snaps[0]["State"] == "completed" and snaps[0]["Description"] == "nightly" and snaps[0]["VolumeSize"] == 2, snaps)

mod = ec2.modify_volume(VolumeId=vol_id, Size=4)["VolumeModification"]
step("modify volume", mod["OriginalSize"] == 2 and mod["TargetSize"] == 4, mod)
step("volume grew", ec2.describe_volumes(VolumeIds=[vol_id])["Volumes"][0]["Size"] == 4)
det = ec2.detach_volume(VolumeId=vol_id)
step("detach volume", det["State"] == "detaching" and det["InstanceId"] == adv_id, det)
ec2.get_waiter("volume_available").wait(VolumeIds=[vol_id], WaiterConfig=fast)
step("detached", ec2.describe_volumes(VolumeIds=[vol_id])["Volumes"][0]["Attachments"] == [])

restored = ec2.create_volume(AvailabilityZone=adv_zone, SnapshotId=snap["SnapshotId"])
ec2.get_waiter("volume_available").wait(VolumeIds=[restored["VolumeId"]], WaiterConfig=fast)
rv = ec2.describe_volumes(VolumeIds=[restored["VolumeId"]])["Volumes"][0]
step("volume from snapshot", rv["SnapshotId"] == snap["SnapshotId"] and rv["Size"] == 2, rv)

image_id = ec2.create_image(InstanceId=adv_id, Name=f"img-{suffix}", Description="golden image")["ImageId"]
ec2.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig=fast)
img = ec2.describe_images(ImageIds=[image_id])["Images"][0]
img_snap = img["BlockDeviceMappings"][0]["Ebs"].get("SnapshotId")
step("create image", img["Name"] == f"img-{suffix}" and img["State"] == "available" and img_snap and img_snap.startswith("snap-"), img)
desc = ec2.describe_image_attribute(ImageId=image_id, Attribute="description")
step("image attribute", desc["Description"]["Value"] == "golden image", desc)
try:
    ec2.delete_snapshot(SnapshotId=img_snap)
    step("snapshot of an AMI kept", False)
except ClientError as e:
    step("snapshot of an AMI kept", e.response["Error"]["Code"] == "InvalidSnapshot.InUse", e.response)
ec2.deregister_image(ImageId=image_id)
step("deregistered", ec2.describe_images(Filters=[{"Name": "image-id", "Values": [image_id]}])["Images"] == [])
ec2.delete_snapshot(SnapshotId=img_snap)

for v in (vol_id, restored["VolumeId"]):
    ec2.delete_volume(VolumeId=v)
ec2.get_waiter("volume_deleted").wait(VolumeIds=[vol_id, restored["VolumeId"]], WaiterConfig=fast)
ec2.delete_snapshot(SnapshotId=snap["SnapshotId"])
try:
    ec2.describe_snapshots(SnapshotIds=[snap["SnapshotId"]])
    step("deleted snapshot gone", False)
except ClientError as e:
    step("deleted snapshot gone", e.response["Error"]["Code"] == "InvalidSnapshot.NotFound", e.response)
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
