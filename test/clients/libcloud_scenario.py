"""End-to-end scenario with Apache libcloud's CloudStack driver (Debian python3-libcloud).

Reads CLOUDSTACK_ENDPOINT / CLOUDSTACK_KEY / CLOUDSTACK_SECRET, prints one line
per step, exits non-zero at the first failure. Run with /usr/bin/python3.
libcloud always uses GET, signs with lower-cased sorted names, sends booleans
as Python's True/False and waits for async jobs itself (_async_request).
"""
import os
import sys
from urllib.parse import urlparse

from libcloud.common.types import LibcloudError, ProviderError
from libcloud.compute.drivers.cloudstack import CloudStackNodeDriver
from libcloud.compute.types import KeyPairDoesNotExistError, NodeState

from scenario import ADVANCED_ZONE, BASIC_ZONE, OFFERING, RUN, TEMPLATE, Failure, Steps, check, one

USERDATA = "#!/bin/sh\necho '>>> polystack ???' > /tmp/run-%s\n" % RUN  # libcloud base64-encodes it

_steps = Steps("libcloud")
step, ok = _steps.step, _steps.ok


def connect():
    u = urlparse(os.environ["CLOUDSTACK_ENDPOINT"])
    driver = CloudStackNodeDriver(os.environ["CLOUDSTACK_KEY"], os.environ["CLOUDSTACK_SECRET"],
                                  secure=u.scheme == "https", host=u.hostname, port=u.port, path=u.path)
    driver.connection.poll_interval = 0.2  # default 1 s; same polling loop, faster test
    return driver


def main():
    driver = connect()

    step("list_locations")
    zones = {z.name: z for z in driver.list_locations()}
    check(BASIC_ZONE in zones and ADVANCED_ZONE in zones, "zones missing, got %s" % sorted(zones))
    ok("%d zones" % len(zones))

    step("list_sizes")
    size = one([s for s in driver.list_sizes() if s.name == OFFERING], OFFERING)
    ok("%s id=%s ram=%s" % (size.name, size.id, size.ram))

    # A cross-zone template is listed once per zone (same id), so look per zone.
    step("list_images")
    for zone in zones.values():
        image = one([i for i in driver.list_images(location=zone) if i.name == TEMPLATE], "%s in %s" % (TEMPLATE, zone.name))
        check(image.extra.get("hypervisor") == "Simulator", "template hypervisor %r" % image.extra.get("hypervisor"))
    ok("%s id=%s" % (image.name, image.id))

    step("ex_create_security_group")
    sg_name = "lc-sg-" + RUN
    sg = driver.ex_create_security_group(sg_name, description="libcloud scenario")
    check(sg["name"] == sg_name, "created group %r" % sg)
    ok("id=%s" % sg["id"])

    step("ex_authorize_security_group_ingress")
    res = driver.ex_authorize_security_group_ingress(securitygroupname=sg_name, protocol="TCP",
                                                     cidrlist="0.0.0.0/0", startport=22)
    rules = res.get("ingressrule", [])
    check(any(r["startport"] == 22 and r["endport"] == 22 and r["cidr"] == "0.0.0.0/0" for r in rules),
          "no TCP 22 rule in job result: %r" % rules)
    listed = one([g for g in driver.ex_list_security_groups() if g["name"] == sg_name], "security group")
    check(len(listed.get("ingressrule", [])) == 1, "listed ingressrule %r" % listed.get("ingressrule"))
    ok("TCP 22 from 0.0.0.0/0")

    step("create_key_pair")
    key_name = "lc-key-" + RUN
    kp = driver.create_key_pair(key_name)
    check((kp.private_key or "").startswith("-----BEGIN"), "no private key returned: %r" % kp.private_key)
    check(driver.get_key_pair(key_name).fingerprint == kp.fingerprint, "get_key_pair fingerprint differs")
    ok("fingerprint=%s" % kp.fingerprint)

    # create_node blocks on the deploy job through libcloud's own poller.
    step("create_node")
    nodes = {}
    nodes["basic"] = driver.create_node(name="lc-basic-" + RUN, size=size, image=image, location=zones[BASIC_ZONE],
                                        ex_security_groups=[sg_name], ex_keyname=key_name, ex_userdata=USERDATA,
                                        ex_start_vm=True)
    nodes["advanced"] = driver.create_node(name="lc-adv-" + RUN, size=size, image=image, location=zones[ADVANCED_ZONE],
                                           ex_keyname=key_name, ex_userdata=USERDATA, ex_start_vm=True)
    for where, node in nodes.items():
        check(node.state == NodeState.RUNNING, "%s node state %s" % (where, node.state))
    check(sg_name in nodes["basic"].extra["security_group"], "basic node groups %r" % nodes["basic"].extra["security_group"])
    ok(", ".join(n.name for n in nodes.values()))

    step("list_nodes")
    expect_state(driver, nodes, NodeState.RUNNING)
    ips = {}
    for where, node in nodes.items():
        # ex_get_node builds private/public IPs from the VM's NICs.
        got = driver.ex_get_node(node.id)
        ips[node.name] = got.private_ips + got.public_ips
        check(ips[node.name], "%s node has no NIC IP address" % where)
        # No key-pair check here: libcloud 3.4 reads the pre-4.17 `keypair` field, ACS now sends `keypairs`.
    ok("; ".join("%s %s" % (name, ",".join(a)) for name, a in ips.items()))

    step("ex_stop")
    for node in nodes.values():
        check(driver.ex_stop(node) == "Stopped", "ex_stop did not return Stopped")
    expect_state(driver, nodes, NodeState.STOPPED)
    ok("both stopped")

    step("ex_start")
    for node in nodes.values():
        check(driver.ex_start(node) == "Running", "ex_start did not return Running")
    expect_state(driver, nodes, NodeState.RUNNING)
    ok("both running")

    step("reboot_node")
    for node in nodes.values():
        check(driver.reboot_node(node) is True, "reboot_node failed")
    expect_state(driver, nodes, NodeState.RUNNING)
    ok("both running")

    step("ex_create_tags")
    tags = {"run": RUN, "client": "libcloud"}
    driver.ex_create_tags([n.id for n in nodes.values()], "UserVm", tags)
    for where, node in nodes.items():
        got = driver.ex_get_node(node.id).extra.get("tags")
        check(got == tags, "%s tags %r" % (where, got))
    ok("run=%s client=libcloud" % RUN)

    step("destroy_node ex_expunge=True")
    for node in nodes.values():
        check(driver.destroy_node(node, ex_expunge=True) is True, "destroy_node failed")
    left = [n.name for n in driver.list_nodes() if n.id in {m.id for m in nodes.values()}]
    check(not left, "still listed after expunge: %r" % left)
    ok("both nodes gone")

    step("cleanup")
    driver.delete_key_pair(kp)  # returns success == 'true', so False for JSON true; check the list instead
    try:
        driver.get_key_pair(key_name)
        raise Failure("key pair still listed")
    except KeyPairDoesNotExistError:
        pass
    driver.ex_delete_security_group(sg_name)
    check(not [g for g in driver.ex_list_security_groups() if g["name"] == sg_name], "security group still listed")
    ok("key pair and security group deleted")


def expect_state(driver, nodes, state):
    """list_nodes (listVirtualMachines + IP and forwarding-rule lists) must show every node in `state`."""
    listed = {n.id: n for n in driver.list_nodes()}
    for where, node in nodes.items():
        check(node.id in listed, "%s node %s not listed" % (where, node.name))
        check(listed[node.id].state == state, "%s node is %s, expected %s" % (where, listed[node.id].state, state))


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        _steps.fail("%s" % (e))
        sys.exit(1)
    except (ProviderError, LibcloudError) as e:
        _steps.fail("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
    except Exception as e:  # includes job failures (libcloud raises bare Exception) and shape errors
        import traceback
        traceback.print_exc()
        _steps.fail("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
    print("[libcloud] PASS", flush=True)
