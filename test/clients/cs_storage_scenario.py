"""Storage and images through the real `cs` client (Debian python3-cs): volumes, snapshots,
VM snapshots, a registered template downloading on the clock, copies, permissions, ISOs.

Reads CLOUDSTACK_ENDPOINT / CLOUDSTACK_KEY / CLOUDSTACK_SECRET, prints one line per step,
exits non-zero at the first failure. Run with /usr/bin/python3.
"""
import os
import sys
import time

from cs import CloudStack, CloudStackApiException

import cs_scenario as base
from cs_scenario import Failure, check, ok, one, step

GiB = 1024 ** 3


def job_error(call, **kw):
    """The errortext of an async command whose job fails."""
    try:
        call(fetch_result=True, **kw)
    except CloudStackApiException as e:
        return (e.error or {}).get("errortext", "")
    raise Failure("job succeeded, expected it to fail: %r" % (kw,))


def main():
    env = os.environ
    api = CloudStack(env["CLOUDSTACK_ENDPOINT"], env["CLOUDSTACK_KEY"], env["CLOUDSTACK_SECRET"], poll_interval=0.2, job_timeout=120, timeout=30)
    zones = {z["name"]: z for z in api.listZones(fetch_list=True)}
    adv, basic = zones[base.ADVANCED_ZONE], zones[base.BASIC_ZONE]
    offering = one([o for o in api.listServiceOfferings(fetch_list=True) if o["name"] == base.OFFERING], base.OFFERING)
    template = [t for t in api.listTemplates(templatefilter="featured", fetch_list=True) if t["name"] == base.TEMPLATE][0]
    custom = [o for o in api.listDiskOfferings(fetch_list=True) if o["iscustomized"]][0]
    ostype = [o for o in api.listOsTypes(fetch_list=True) if o["description"] == "Other Linux (64-bit)"][0]

    step("deployVirtualMachine")
    vm = api.deployVirtualMachine(zoneid=adv["id"], serviceofferingid=offering["id"], templateid=template["id"], name="cs-disk-" + base.RUN, fetch_result=True)["virtualmachine"]
    ok(vm["id"])

    step("createVolume / attachVolume")
    vol = api.createVolume(name="cs-data-" + base.RUN, zoneid=adv["id"], diskofferingid=custom["id"], size=2, fetch_result=True)["volume"]
    check(vol["state"] == "Allocated" and vol["size"] == 2 * GiB, "new volume %r" % vol)
    att = api.attachVolume(id=vol["id"], virtualmachineid=vm["id"], fetch_result=True)["volume"]
    check(att["virtualmachineid"] == vm["id"] and att["deviceid"] == 1 and att["state"] == "Ready", "attached %r" % att)
    ok("device %s on %s" % (att["deviceid"], att["storage"]))

    step("resizeVolume")
    grown = api.resizeVolume(id=vol["id"], size=4, fetch_result=True)["volume"]
    check(grown["size"] == 4 * GiB, "resized to %r" % grown["size"])
    ok("4 GiB")

    step("createSnapshot / createVolume from it")
    snap = api.createSnapshot(volumeid=vol["id"], fetch_result=True)["snapshot"]
    check(snap["state"] == "BackedUp" and snap["volumeid"] == vol["id"], "snapshot %r" % snap)
    check(one(api.listSnapshots(volumeid=vol["id"], fetch_list=True), "snapshot")["id"] == snap["id"], "listSnapshots")
    copy = api.createVolume(snapshotid=snap["id"], name="cs-copy-" + base.RUN, fetch_result=True)["volume"]
    check(copy["state"] == "Ready" and copy["size"] == 4 * GiB, "volume from snapshot %r" % copy)
    ok("%s -> %s" % (snap["name"], copy["name"]))

    step("createVMSnapshot freezes the disks")
    vms = api.createVMSnapshot(virtualmachineid=vm["id"], name="cs-vms-" + base.RUN, fetch_result=True)["vmsnapshot"]
    check(vms["state"] == "Ready" and vms["current"] is True, "vm snapshot %r" % vms)
    text = job_error(api.attachVolume, id=copy["id"], virtualmachineid=vm["id"])
    check(text == "Unable to attach volume, please specify a VM that does not have VM snapshots", text)
    api.deleteVMSnapshot(vmsnapshotid=vms["id"], fetch_result=True)
    check(not api.listVMSnapshot(virtualmachineid=vm["id"], fetch_list=True), "VM snapshot still listed")
    ok("attach refused while the VM snapshot existed")

    step("detachVolume / deleteVolume")
    det = api.detachVolume(id=vol["id"], fetch_result=True)["volume"]
    check("virtualmachineid" not in det, "still attached %r" % det)
    for v in (vol, copy):
        api.deleteVolume(id=v["id"])
    check(not [v for v in api.listVolumes(fetch_list=True) if v["id"] in (vol["id"], copy["id"])], "volumes still listed")
    api.deleteSnapshot(id=snap["id"], fetch_result=True)
    ok("gone")

    step("registerTemplate downloads")
    reg = api.registerTemplate(name="cs-tmpl-" + base.RUN, displaytext="cs template", url="http://images.example/cs-%s.qcow2" % base.RUN, format="QCOW2",
                               hypervisor="Simulator", zoneid=adv["id"], ostypeid=ostype["id"], isextractable=True)["template"][0]
    statuses = []
    for _ in range(300):
        t = one(api.listTemplates(templatefilter="self", id=reg["id"], fetch_list=True), "registered template")
        if not statuses or statuses[-1] != t.get("status"):
            statuses.append(t.get("status"))
        if t["isready"]:
            break
        time.sleep(0.05)
    check(t["isready"] and statuses[-1] == "Download Complete", "statuses %r" % statuses)
    ok(" | ".join(s for s in statuses if s))

    step("copyTemplate / extractTemplate / permissions")
    copied = api.copyTemplate(id=reg["id"], destzoneid=basic["id"], fetch_result=True)["template"]
    check(copied["zoneid"] == basic["id"] and copied["isready"], "copy %r" % copied)
    check(len(api.listTemplates(templatefilter="self", id=reg["id"], fetch_list=True)) == 2, "one row per zone")
    url = api.extractTemplate(id=reg["id"], mode="HTTP_DOWNLOAD", zoneid=adv["id"], fetch_result=True)["template"]["url"]
    check(url.startswith("http://") and url.endswith(".qcow2"), url)
    api.updateTemplatePermissions(id=reg["id"], ispublic=True)
    perms = api.listTemplatePermissions(id=reg["id"])["templatepermission"]
    check(perms["ispublic"] is True, "permissions %r" % perms)
    ok(url)

    step("attachIso / detachIso")
    iso = api.registerIso(name="cs-iso-" + base.RUN, displaytext="cs iso", url="http://images.example/cs.iso", zoneid=adv["id"], ostypeid=ostype["id"])["iso"][0]
    for _ in range(300):
        if one(api.listIsos(isofilter="self", id=iso["id"], fetch_list=True), "iso")["isready"]:
            break
        time.sleep(0.05)
    with_iso = api.attachIso(id=iso["id"], virtualmachineid=vm["id"], fetch_result=True)["virtualmachine"]
    check(with_iso.get("isoid") == iso["id"], "isoid %r" % with_iso.get("isoid"))
    text = job_error(api.deleteIso, id=iso["id"])
    check(text == "Unable to delete iso, as it's used by other vms", text)
    api.detachIso(virtualmachineid=vm["id"], fetch_result=True)
    api.deleteIso(id=iso["id"], fetch_result=True)
    ok("ISO attached, refused deletion, detached, deleted")

    step("deleteTemplate")
    api.deleteTemplate(id=reg["id"], fetch_result=True)
    check(not api.listTemplates(templatefilter="self", id=reg["id"], fetch_list=True), "template still listed")
    api.destroyVirtualMachine(id=vm["id"], expunge=True, fetch_result=True)
    ok("cleaned up")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print("[cs] FAIL %s: %s" % (base.current, e), flush=True)
        sys.exit(1)
    except CloudStackApiException as e:
        print("[cs] FAIL %s: %s HTTP %s error=%r" % (base.current, e.args[0] if e.args else "", e.response.status_code, e.error), flush=True)
        sys.exit(1)
    print("[cs] PASS", flush=True)
