"""GCE scenario through google-api-python-client 1.x (Debian python3-googleapi), which has no
client_options: it builds its methods from polystack's discovery document, and google-auth
refreshes its access token at polystack's token URI."""
import os
import sys
import time

from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

URL = os.environ["GCE_URL"]
PROJECT = "admin"
ZONE = "sandbox-simulator-basic"
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHB5dGhvbi1nb29nbGVhcGljbGllbnQtdGVzdC1rZXktMDAx carol@desk"

creds = Credentials(
    None, refresh_token=os.environ["GCE_REFRESH_TOKEN"], token_uri=URL + "/token",
    client_id=os.environ["GCE_CLIENT_ID"], client_secret=os.environ["GCE_CLIENT_SECRET"],
)
gce = build("compute", "v1", credentials=creds, cache_discovery=False,
            discoveryServiceUrl=URL + "/discovery/v1/apis/{api}/{apiVersion}/rest")


def step(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


def wait(op):
    while True:
        op = gce.zoneOperations().wait(project=PROJECT, zone=ZONE, operation=op["name"]).execute()
        if op["status"] == "DONE":
            step(f"{op['operationType']} done", "error" not in op, op.get("error"))
            return op


zones = [z["name"] for z in gce.zones().list(project=PROJECT).execute()["items"]]
step("zones", zones == ["sandbox-simulator-advanced", "sandbox-simulator-basic"], zones)
types = gce.machineTypes().list(project=PROJECT, zone=ZONE).execute()["items"]
step("machine types", {t["name"]: (t["guestCpus"], t["memoryMb"]) for t in types}["xlarge-instance"] == (4, 8192), types)
images = gce.images().list(project="ubuntu-os-cloud").execute()["items"]
step("images", [i["name"] for i in images] == ["ubuntu-22-04-simulator"], images)
step("debian-cloud has no images here", "items" not in gce.images().list(project="debian-cloud").execute())

fw = gce.firewalls().insert(project=PROJECT, body={
    "name": "py-icmp", "allowed": [{"IPProtocol": "icmp"}, {"IPProtocol": "udp", "ports": ["5000-5100"]}], "sourceRanges": ["192.168.0.0/16"],
}).execute()
fw = gce.globalOperations().wait(project=PROJECT, operation=fw["name"]).execute()
step("firewall inserted", fw["status"] == "DONE" and "error" not in fw, fw)
got = gce.firewalls().get(project=PROJECT, firewall="py-icmp").execute()
step("firewall read back", sorted(a["IPProtocol"] for a in got["allowed"]) == ["icmp", "udp"] and got["sourceRanges"] == ["192.168.0.0/16"], got)

op = gce.instances().insert(project=PROJECT, zone=ZONE, body={
    "name": "py-1", "machineType": f"zones/{ZONE}/machineTypes/small-instance",
    "disks": [{"boot": True, "initializeParams": {"sourceImage": "projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts"}}],
    "networkInterfaces": [{"network": "global/networks/default"}],
    "metadata": {"items": [{"key": "startup-script", "value": "#!/bin/sh\necho from-python"}, {"key": "ssh-keys", "value": "carol:" + SSH_KEY}]},
}).execute()
step("insert answers an operation", op["kind"] == "compute#operation" and op["status"] in ("PENDING", "RUNNING", "DONE"), op)
wait(op)
vm = gce.instances().get(project=PROJECT, zone=ZONE, instance="py-1").execute()
step("running", vm["status"] == "RUNNING", vm["status"])

wait(gce.instances().stop(project=PROJECT, zone=ZONE, instance="py-1").execute())
step("stopped", gce.instances().get(project=PROJECT, zone=ZONE, instance="py-1").execute()["status"] == "TERMINATED")
wait(gce.instances().start(project=PROJECT, zone=ZONE, instance="py-1").execute())
wait(gce.instances().reset(project=PROJECT, zone=ZONE, instance="py-1").execute())
vm = gce.instances().get(project=PROJECT, zone=ZONE, instance="py-1").execute()
step("running again", vm["status"] == "RUNNING", vm["status"])

wait(gce.instances().setLabels(project=PROJECT, zone=ZONE, instance="py-1", body={"labels": {"lang": "python"}, "labelFingerprint": vm["labelFingerprint"]}).execute())
items = vm["metadata"]["items"] + [{"key": "owner", "value": "carol"}]
wait(gce.instances().setMetadata(project=PROJECT, zone=ZONE, instance="py-1", body={"fingerprint": vm["metadata"]["fingerprint"], "items": items}).execute())
vm = gce.instances().get(project=PROJECT, zone=ZONE, instance="py-1").execute()
step("labels and metadata", vm["labels"] == {"lang": "python"} and {"key": "owner", "value": "carol"} in vm["metadata"]["items"], vm)

out = gce.instances().getSerialPortOutput(project=PROJECT, zone=ZONE, instance="py-1").execute()
step("serial port", "+ echo from-python" in out["contents"], out["contents"][-300:])

page = gce.instances().list(project=PROJECT, zone=ZONE, maxResults=1).execute()
step("paged list", [i["name"] for i in page["items"]] == ["py-1"] and "nextPageToken" not in page, page.keys())

wait(gce.instances().delete(project=PROJECT, zone=ZONE, instance="py-1").execute())
try:
    gce.instances().get(project=PROJECT, zone=ZONE, instance="py-1").execute()
    step("404 after delete", False)
except HttpError as e:
    step("404 after delete", e.resp.status == 404, e)
print("PASS")
