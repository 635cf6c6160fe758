"""GCE scenario through libcloud's GCE driver (Debian python3-libcloud 3.x). The driver's API host
and its auth host are class attributes, so (as the reference's recipe says) the connections are
subclassed to aim at polystack; the rest is libcloud's own "installed application" flow on its
default paths: the consent URL it prints (`/o/oauth2/auth`), the code exchange and the refresh at
`/o/oauth2/token`."""
import builtins
import json
import os
import sys
import tempfile
import urllib.request

from libcloud.common import google
from libcloud.compute.drivers import gce
from libcloud.compute.types import NodeState

HOST = os.environ["GCE_HOST"]
PORT = int(os.environ["GCE_PORT"])
ZONE = "sandbox-simulator-basic"

# No cached token: libcloud asks for one itself.
tokfile = os.path.join(tempfile.mkdtemp(), "token.json")


class LocalConnection(gce.GCEConnection):
    host = HOST

    def __init__(self, user_id, key, secure, *args, **kwargs):
        super().__init__(user_id, key, False, *args, **kwargs)
        self.port = PORT


class LocalGCE(gce.GCENodeDriver):
    connectionCls = LocalConnection


class LocalInstalledAppAuth(google.GoogleInstalledAppAuthConnection):
    host = HOST

    def __init__(self, user_id, key=None, scopes=None, **kwargs):
        kwargs["secure"] = False
        super().__init__(user_id, key, scopes, **kwargs)
        self.port = PORT


google.GoogleInstalledAppAuthConnection = LocalInstalledAppAuth

# libcloud prints the consent URL and reads the code from stdin: the "user" here opens that URL
# (over http, on polystack) and types in the code the out-of-band page shows.
printed = []
real_print = builtins.print
builtins.print = lambda *a, **k: (printed.extend(str(x) for x in a), real_print(*a, **k))[1]


def enter_code(prompt):
    url = [line for line in printed if line.startswith("https://")][-1]
    consent = url.replace("https://", "http://", 1).replace(HOST + "/", f"{HOST}:{PORT}/", 1)
    assert "/o/oauth2/auth?" in consent, consent
    with urllib.request.urlopen(consent) as r:
        return r.read().decode().strip()


builtins.input = enter_code

def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


drv = LocalGCE(os.environ["GCE_KEY"], os.environ["GCE_SECRET"], project="admin", auth_type="IA", credential_file=tokfile, datacenter=ZONE)
cred = drv.connection.oauth2_credential
step("token from the code", bool(cred.token.get("access_token")) and bool(cred.token.get("refresh_token")), cred.token)
with open(tokfile) as f:
    step("token cached", json.load(f)["access_token"] == cred.token["access_token"])
# An expired token is refreshed at the same legacy path with the refresh token.
first = cred.token["access_token"]
cred.token["expire_time"] = "2000-01-01T00:00:00Z"
step("refreshed", cred.access_token != first and bool(drv.ex_list_zones()), cred.token)
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
