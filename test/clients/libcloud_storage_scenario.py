"""Volumes, snapshots and a template from a snapshot through libcloud's CloudStack driver (Debian python3-libcloud)."""
import os
import sys
from urllib.parse import urlparse

from libcloud.compute.providers import get_driver
from libcloud.compute.types import Provider, StorageVolumeState

u = urlparse(os.environ["CLOUDSTACK_ENDPOINT"])
d = get_driver(Provider.CLOUDSTACK)(key=os.environ["CLOUDSTACK_KEY"], secret=os.environ["CLOUDSTACK_SECRET"], host=u.hostname, port=u.port, path=u.path, secure=False)


def step(name, cond, detail=""):
    if not cond:
        print(f"[libcloud] FAIL {name}: {detail}", flush=True)
        sys.exit(1)
    print(f"[libcloud] ok   {name}", flush=True)


zone = next(l for l in d.list_locations() if l.name == "Sandbox-simulator-advanced")
image = next(i for i in d.list_images(location=zone) if i.name.startswith("CentOS"))
size = next(s for s in d.list_sizes() if s.name == "Small Instance")
node = d.create_node(name="lc-disk", image=image, size=size, location=zone, ex_start_vm=True)
step("node", node.id, node)

vol = d.create_volume(3, "lc-data", location=zone)
step("create_volume", vol.size == 3 and vol.name == "lc-data", vol)
step("attach_volume", d.attach_volume(node, vol))
attached = d.ex_get_volume(vol.id)
step("attached", attached.extra.get("instance_id") == node.id and attached.state == StorageVolumeState.INUSE, attached.extra)

# create_volume_snapshot waits on the snapshot job: the snapshot is backed up when it returns.
snap = d.create_volume_snapshot(vol)
listed = [s for s in d.list_snapshots() if s.id == snap.id]
step("create_volume_snapshot", len(listed) == 1 and listed[0].extra["volume_id"] == vol.id, [s.extra for s in listed])
ostype = next(o for o in d.ex_list_os_types() if o["description"] == "Other Linux (64-bit)")
tmpl = d.ex_create_snapshot_template(snap, "lc-from-snap", ostype["id"])
step("ex_create_snapshot_template", tmpl.name == "lc-from-snap", tmpl)

step("detach_volume", d.detach_volume(vol))
step("detached", not d.ex_get_volume(vol.id).extra.get("instance_id"))
step("destroy_volume_snapshot", d.destroy_volume_snapshot(snap))
step("destroy_volume", d.destroy_volume(vol))
step("volume gone", vol.id not in [v.id for v in d.list_volumes()])
d.destroy_node(node)
print("[libcloud] PASS", flush=True)
