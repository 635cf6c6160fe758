"""End-to-end scenario with the real `cs` client (Debian python3-cs).

Reads CLOUDSTACK_ENDPOINT / CLOUDSTACK_KEY / CLOUDSTACK_SECRET, prints one line
per step, exits non-zero at the first failure. Run with /usr/bin/python3.
"""
import base64
import os
import sys

from cs import CloudStack, CloudStackApiException, CloudStackException

from scenario import ADVANCED_ZONE, BASIC_ZONE, OFFERING, RUN, TEMPLATE, Failure, Steps, check, one

# Chosen so its base64 holds '+' and '/', which must survive signing and decoding.
USERDATA = base64.b64encode(b"#!/bin/sh\necho '>>> polystack ???' > /tmp/run-" + RUN.encode() + b"\n").decode()

_steps = Steps("cs")
step, ok = _steps.step, _steps.ok


def main():
    env = os.environ
    endpoint, key, secret = env["CLOUDSTACK_ENDPOINT"], env["CLOUDSTACK_KEY"], env["CLOUDSTACK_SECRET"]
    # cs polls queryAsyncJobResult itself (fetch_result=True); a short interval
    # keeps the run fast without changing how it polls.
    opts = dict(poll_interval=0.2, job_timeout=120, timeout=30)
    api = CloudStack(endpoint, key, secret, **opts)  # GET, cs's default
    api_post = CloudStack(endpoint, key, secret, method="post", **opts)  # form-encoded POST

    step("listZones")
    zones = {z["name"]: z for z in api.listZones(fetch_list=True)}
    check(BASIC_ZONE in zones and ADVANCED_ZONE in zones, "zones missing, got %s" % sorted(zones))
    basic, adv = zones[BASIC_ZONE], zones[ADVANCED_ZONE]
    check(basic["networktype"] == "Basic", "basic zone networktype %r" % basic.get("networktype"))
    check(basic.get("securitygroupsenabled") is True, "basic zone securitygroupsenabled %r" % basic.get("securitygroupsenabled"))
    check(adv["networktype"] == "Advanced", "advanced zone networktype %r" % adv.get("networktype"))
    ok("%d zones" % len(zones))

    step("listServiceOfferings")
    offering = one([o for o in api.listServiceOfferings(fetch_list=True) if o["name"] == OFFERING], OFFERING)
    ok("%s id=%s" % (OFFERING, offering["id"]))

    # A cross-zone template is listed once per zone (same id, its own zoneid).
    step("listTemplates")
    for zone in (basic, adv):
        templates = api.listTemplates(templatefilter="featured", zoneid=zone["id"], fetch_list=True)
        template = one([t for t in templates if t["name"] == TEMPLATE], "%s in %s" % (TEMPLATE, zone["name"]))
        check(template.get("isready") is True, "template not ready: %r" % template)
    ok("%s id=%s" % (TEMPLATE, template["id"]))

    step("createSecurityGroup")
    sg_name = "cs-sg-" + RUN
    sg = api.createSecurityGroup(name=sg_name, description="cs scenario")["securitygroup"]
    check(sg["name"] == sg_name, "created group has name %r" % sg.get("name"))
    ok("id=%s" % sg["id"])

    step("authorizeSecurityGroupIngress")
    res = api.authorizeSecurityGroupIngress(securitygroupid=sg["id"], protocol="TCP", startport=22, endport=22,
                                            cidrlist="0.0.0.0/0", fetch_result=True)
    rules = res["securitygroup"]["ingressrule"]
    check(any(r["protocol"].lower() == "tcp" and r["startport"] == 22 and r["endport"] == 22
              and r["cidr"] == "0.0.0.0/0" for r in rules), "no TCP 22 rule in job result: %r" % rules)
    listed = one(api.listSecurityGroups(id=sg["id"], fetch_list=True), "security group")
    check(len(listed.get("ingressrule", [])) == 1, "listSecurityGroups ingressrule: %r" % listed.get("ingressrule"))
    ok("TCP 22 from 0.0.0.0/0")

    step("createSSHKeyPair")
    key_name = "cs-key-" + RUN
    kp = api.createSSHKeyPair(name=key_name)["keypair"]
    check(kp.get("privatekey", "").startswith("-----BEGIN"), "no private key returned: %r" % kp)
    listed = one(api.listSSHKeyPairs(name=key_name, fetch_list=True), "key pair")
    check(listed["fingerprint"] == kp["fingerprint"], "fingerprint %r != %r" % (listed["fingerprint"], kp["fingerprint"]))
    check("privatekey" not in listed, "listSSHKeyPairs leaks the private key")
    ok("fingerprint=%s" % kp["fingerprint"])

    # Deploy both without waiting, as a user scripting two machines would, then
    # wait on both jobs with cs's own poller (what fetch_result=True calls).
    step("deployVirtualMachine")
    common = dict(serviceofferingid=offering["id"], templateid=template["id"], keypair=key_name, userdata=USERDATA)
    d_basic = api_post.deployVirtualMachine(zoneid=basic["id"], name="cs-basic-" + RUN, securitygroupids=sg["id"], **common)
    d_adv = api.deployVirtualMachine(zoneid=adv["id"], name="cs-adv-" + RUN, **common)
    for d in (d_basic, d_adv):
        check("id" in d and "jobid" in d, "async create response needs id and jobid: %r" % d)
    ok("jobs %s (POST, basic) %s (GET, advanced)" % (d_basic["jobid"], d_adv["jobid"]))

    step("queryAsyncJobResult")
    vms = {}
    for d, zone in ((d_basic, basic), (d_adv, adv)):
        vm = api._jobresult(jobid=d["jobid"])["virtualmachine"]
        check(vm["id"] == d["id"], "job result VM id %r != %r" % (vm["id"], d["id"]))
        check(vm["state"] == "Running", "VM %s is %s after deploy" % (vm["name"], vm["state"]))
        check(vm["zoneid"] == zone["id"], "VM %s in zone %r" % (vm["name"], vm["zonename"]))
        vms[vm["name"]] = vm
    ok(", ".join(sorted(vms)))

    step("listVirtualMachines")
    for name, vm in vms.items():
        got = one(api.listVirtualMachines(id=vm["id"], fetch_list=True), "VM " + name)
        check(got["state"] == "Running", "%s state %s" % (name, got["state"]))
        check(got.get("nic") and got["nic"][0].get("ipaddress"), "%s has no NIC with an IP: %r" % (name, got.get("nic")))
        check(key_name in (got.get("keypairs") or got.get("keypair") or ""), "%s keypair %r" % (name, got.get("keypairs")))
        ud = api.getVirtualMachineUserData(virtualmachineid=vm["id"])["virtualmachineuserdata"]
        check(ud.get("userdata") == USERDATA, "%s userdata %r != %r" % (name, ud.get("userdata"), USERDATA))
        vms[name] = got
    # No networkids in the advanced zone: the VM lands on the account's isolated network.
    adv_net = one(api.listNetworks(id=vms["cs-adv-" + RUN]["nic"][0]["networkid"], fetch_list=True), "advanced VM network")
    check(adv_net["type"] == "Isolated", "advanced VM network type %r" % adv_net["type"])
    basic_vm = vms["cs-basic-" + RUN]
    check(sg["id"] in [g["id"] for g in basic_vm.get("securitygroup", [])], "basic VM not in %s: %r" % (sg_name, basic_vm.get("securitygroup")))
    ok("; ".join("%s %s" % (n, v["nic"][0]["ipaddress"]) for n, v in sorted(vms.items())))

    for command, expected in (("stopVirtualMachine", "Stopped"), ("startVirtualMachine", "Running"),
                              ("rebootVirtualMachine", "Running")):
        step(command)
        for name, vm in vms.items():
            res = getattr(api, command)(id=vm["id"], fetch_result=True)
            check(res["virtualmachine"]["state"] == expected, "%s: job result state %s" % (name, res["virtualmachine"]["state"]))
            got = one(api.listVirtualMachines(id=vm["id"], fetch_list=True), "VM " + name)
            check(got["state"] == expected, "%s: listed state %s, expected %s" % (name, got["state"], expected))
        ok("both VMs %s" % expected)

    step("createTags")
    ids = [vm["id"] for vm in vms.values()]
    res = api.createTags(resourceids=ids, resourcetype="UserVm", tags=[{"key": "run", "value": RUN}, {"key": "client", "value": "cs"}], fetch_result=True)
    check(res.get("success") is True, "createTags job result %r" % res)
    for name, vm in vms.items():
        got = one(api.listVirtualMachines(id=vm["id"], fetch_list=True), "VM " + name)
        tags = {t["key"]: t["value"] for t in got.get("tags", [])}
        check(tags == {"run": RUN, "client": "cs"}, "%s tags %r" % (name, tags))
    tagged = api.listVirtualMachines(tags=[{"key": "run", "value": RUN}], listall=True, fetch_list=True)
    check(sorted(v["id"] for v in tagged) == sorted(ids), "listVirtualMachines by tag: %r" % [v["name"] for v in tagged])
    ok("run=%s client=cs" % RUN)

    step("destroyVirtualMachine expunge=true")
    for name, vm in vms.items():
        api.destroyVirtualMachine(id=vm["id"], expunge=True, fetch_result=True)
        check(not vm_listed(api, vm["id"]), "%s still listed after expunge" % name)
    left = [v["name"] for v in api.listVirtualMachines(listall=True, fetch_list=True) if v["id"] in ids]
    check(not left, "still listed: %r" % left)
    ok("both VMs gone")

    step("cleanup")
    api.deleteSSHKeyPair(name=key_name)
    check(not api.listSSHKeyPairs(name=key_name, fetch_list=True), "key pair still listed")
    api.deleteSecurityGroup(id=sg["id"])
    check(not [g for g in api.listSecurityGroups(fetch_list=True) if g["id"] == sg["id"]], "security group still listed")
    ok("key pair and security group deleted")


def vm_listed(api, vm_id):
    """An expunged VM may come back as an empty list or as a 431 for its id."""
    try:
        return bool(api.listVirtualMachines(id=vm_id, listall=True, fetch_list=True))
    except CloudStackApiException as e:
        if e.response.status_code == 431:
            return False
        raise


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        _steps.fail("%s" % (e))
        sys.exit(1)
    except CloudStackApiException as e:
        _steps.fail("%s HTTP %s error=%r" % (e.args[0] if e.args else "", e.response.status_code, e.error))
        sys.exit(1)
    except CloudStackException as e:
        body = e.response.text[:500] if getattr(e, "response", None) is not None else ""
        _steps.fail("%s %s" % (" ".join(map(str, e.args)), body))
        sys.exit(1)
    except Exception as e:  # client-side crash on an unexpected response shape
        import traceback
        traceback.print_exc()
        _steps.fail("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
    print("[cs] PASS", flush=True)
