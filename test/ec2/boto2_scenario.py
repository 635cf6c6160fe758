"""EC2 scenario through boto 2 (Debian python3-boto), the library eutester was built on: SigV2."""
import os
import sys
import time

import boto
from boto.ec2.connection import EC2Connection
from boto.ec2.regioninfo import RegionInfo

host, port = os.environ["EC2_HOSTPORT"].split(":")
conn = EC2Connection(
    aws_access_key_id=os.environ["EC2_KEY"], aws_secret_access_key=os.environ["EC2_SECRET"], is_secure=False, port=int(port), path="/",
    region=RegionInfo(name="us-east-1", endpoint=host),
)


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


zones = [z.name for z in conn.get_all_zones()]
step("zones", "Sandbox-simulator-basic" in zones, zones)
images = [i for i in conn.get_all_images() if i.name.startswith("CentOS")]
step("images", len(images) == 1, images)
kp = conn.create_key_pair("boto2-key")
step("key pair", kp.material.startswith("-----BEGIN RSA PRIVATE KEY-----"))
sg = conn.create_security_group("boto2-web", "web")
step("security group", conn.authorize_security_group(group_name="boto2-web", ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="0.0.0.0/0"))
res = conn.run_instances(images[0].id, key_name="boto2-key", security_groups=["boto2-web"], instance_type="t2.micro", placement="Sandbox-simulator-basic", user_data="hello")
inst = res.instances[0]
for _ in range(100):
    inst.update()
    if inst.state == "running":
        break
    time.sleep(0.1)
step("running", inst.state == "running" and inst.private_ip_address, inst.state)
vol = conn.create_volume(1, "Sandbox-simulator-basic")
step("create volume", vol.id.startswith("vol-") and vol.size == 1, vol.id)
for _ in range(100):
    vol.update()
    if vol.status == "available":
        break
    time.sleep(0.1)
step("attach volume", conn.attach_volume(vol.id, inst.id, "/dev/sdf"))
for _ in range(100):
    vol.update()
    if vol.attachment_state() == "attached":
        break
    time.sleep(0.1)
step("attached", vol.status == "in-use" and vol.attach_data.instance_id == inst.id and vol.attach_data.device == "/dev/sdf", vol.attach_data.__dict__)
step("detach volume", conn.detach_volume(vol.id))
for _ in range(100):
    vol.update()
    if vol.status == "available":
        break
    time.sleep(0.1)
step("detached", vol.status == "available", vol.status)
step("delete volume", conn.delete_volume(vol.id))
conn.create_tags([inst.id], {"Name": "boto2"})
step("tags", conn.get_all_instances(filters={"tag:Name": "boto2"})[0].instances[0].id == inst.id)
conn.stop_instances([inst.id])
conn.terminate_instances([inst.id])
inst.update()
step("terminated", inst.state in ("shutting-down", "terminated"), inst.state)
print("PASS")
