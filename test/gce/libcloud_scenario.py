"""GCE scenario through libcloud's GCE driver (Debian python3-libcloud 3.x). The driver's API host
is a class attribute and its auth would ask Google, so (as the reference's recipe says) the
connection is subclassed to aim at polystack and the token cache is pre-written with a token
from polystack's token endpoint."""
import json
import os
import sys
import tempfile

from libcloud.compute.drivers import gce
from libcloud.compute.types import NodeState

HOST = os.environ["GCE_HOST"]
PORT = int(os.environ["GCE_PORT"])
ZONE = "sandbox-simulator-basic"

tokfile = os.path.join(tempfile.mkdtemp(), "token.json")
with open(tokfile, "w") as f:
    json.dump({"access_token": os.environ["GCE_TOKEN"], "token_type": "Bearer", "expire_time": "2099-01-01T00:00:00Z"}, f)


class LocalConnection(gce.GCEConnection):
    host = HOST

    def __init__(self, user_id, key, secure, *args, **kwargs):
        super().__init__(user_id, key, False, *args, **kwargs)
        self.port = PORT


class LocalGCE(gce.GCENodeDriver):
    connectionCls = LocalConnection


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


drv = LocalGCE("polystack", "unused", project="admin", auth_type="IA", credential_file=tokfile, datacenter=ZONE)
zones = sorted(z.name for z in drv.ex_list_zones())
step("zones", zones == ["sandbox-simulator-advanced", "sandbox-simulator-basic"], zones)
step("regions", [r.name for r in drv.ex_list_regions()] == ["local"])
sizes = {s.name: s for s in drv.list_sizes(location=ZONE)}
step("sizes", sizes["large-instance"].extra["guestCpus"] == 2 and sizes["large-instance"].ram == 2048, sizes.keys())
image = drv.ex_get_image("ubuntu-22-04-simulator")
step("image", image.name == "ubuntu-22-04-simulator", image)
step("nodes before", drv.list_nodes() == [], drv.list_nodes())

node = drv.create_node("lc-1", size="small-instance", image=image, location=ZONE,
                       ex_metadata={"items": [{"key": "startup-script", "value": "echo from-libcloud"}]}, ex_tags=["lc"])
step("created", node.name == "lc-1" and node.state == NodeState.RUNNING, (node, node.state))
step("private ip", bool(node.private_ips), node.private_ips)
nodes = drv.list_nodes()
step("listed", [n.name for n in nodes] == ["lc-1"], nodes)
step("boot disk", node.extra["boot_disk"] is not None and node.extra["boot_disk"].name == "lc-1", node.extra.get("boot_disk"))
step("rebooted", drv.reboot_node(node))
step("stopped", drv.ex_stop_node(node))
step("state stopped", drv.ex_get_node("lc-1", ZONE).state == NodeState.STOPPED, drv.ex_get_node("lc-1", ZONE).state)
step("started", drv.ex_start_node(node))
step("destroyed", drv.destroy_node(node))
step("nodes after", drv.list_nodes() == [], drv.list_nodes())
print("PASS")
