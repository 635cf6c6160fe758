"""EC2 scenario through libcloud's EC2 driver (Debian python3-libcloud): GET requests, Signature Version 2."""
import os
import sys
import time

from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider, StorageVolumeState

host, port = os.environ["EC2_HOSTPORT"].split(":")
d = get_driver(Provider.EC2)(os.environ["EC2_KEY"], os.environ["EC2_SECRET"], region="us-east-1", host=host, port=int(port), secure=False)


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


locations = d.list_locations()
step("locations", sorted(l.name for l in locations) == ["Sandbox-simulator-advanced", "Sandbox-simulator-basic"], locations)
images = d.list_images(ex_filters={"name": "CentOS*"})
step("images", len(images) == 1, images)
size = next(s for s in d.list_sizes() if s.id == "t2.micro")
key = d.create_key_pair("lc-key")
step("key pair", key.private_key.startswith("-----BEGIN RSA PRIVATE KEY-----"))
sg = d.ex_create_security_group("lc-web", "web")
d.ex_authorize_security_group_ingress(sg["group_id"], 22, 22, ["0.0.0.0/0"])
node = d.create_node(name="lc-node", image=images[0], size=size, location=next(l for l in locations if l.name.endswith("basic")),
                     ex_keyname="lc-key", ex_security_groups=["lc-web"], ex_userdata="#!/bin/sh\necho hi\n")
step("create node", node.state in (NodeState.PENDING, NodeState.RUNNING), node)
for _ in range(100):
    node = next(n for n in d.list_nodes() if n.id == node.id)
    if node.state == NodeState.RUNNING:
        break
    time.sleep(0.1)
step("running", node.state == NodeState.RUNNING and node.private_ips, node)
step("name tag", node.name == "lc-node", node.name)
vol = d.create_volume(2, "lc-data", location=next(l for l in locations if l.name.endswith("basic")))
step("create volume", vol.id.startswith("vol-") and vol.size == 2, vol)
for _ in range(100):
    if next(v for v in d.list_volumes() if v.id == vol.id).state == StorageVolumeState.AVAILABLE:
        break
    time.sleep(0.1)
step("volume available", next(v for v in d.list_volumes() if v.id == vol.id).state == StorageVolumeState.AVAILABLE)
step("attach volume", d.attach_volume(node, vol, "/dev/sdf"))
for _ in range(100):
    seen = next(v for v in d.list_volumes() if v.id == vol.id)
    if seen.extra.get("instance_id") == node.id:
        break
    time.sleep(0.1)
step("attached", seen.extra.get("instance_id") == node.id and seen.extra.get("device") == "/dev/sdf", seen.extra)
step("detach volume", d.detach_volume(vol))
for _ in range(100):
    seen = next(v for v in d.list_volumes() if v.id == vol.id)
    if not seen.extra.get("instance_id"):
        break
    time.sleep(0.1)
step("detached", not seen.extra.get("instance_id"), seen.extra)
step("destroy volume", d.destroy_volume(vol))
step("reboot", d.reboot_node(node))
step("stop", d.ex_stop_node(node))
step("destroy", d.destroy_node(node))
print("PASS")
