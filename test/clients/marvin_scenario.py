"""Builds data centers from Marvin configs with the real `cs` client, in the order
tools/marvin/marvin/deployDataCenter.py sends its calls, then uses them as a tenant would.

Reads CLOUDSTACK_ENDPOINT / CLOUDSTACK_KEY / CLOUDSTACK_SECRET and MARVIN_CFGS (paths joined
by ':'). The polystack it talks to starts without zones. Prints one line per step and exits
non-zero at the first failure. Run with /usr/bin/python3.
"""
import json
import os
import sys

from cs import CloudStack, CloudStackApiException, CloudStackException

from scenario import OFFERING, RUN, TEMPLATE, Failure, Steps, check, one

_steps = Steps("marvin")
step, ok = _steps.step, _steps.ok


def read_cfg(path):
    with open(path) as f:
        return json.loads("\n".join(l for l in f if not l.lstrip().startswith("#")))


class Deployer:
    """deployDataCenter.DeployDataCenters, call for call, over cs."""

    def __init__(self, api):
        self.api = api
        self.calls = []

    def call(self, command, **params):
        self.calls.append(command)
        return getattr(self.api, command)(**params)

    def run(self, command, **params):
        self.calls.append(command)
        return getattr(self.api, command)(fetch_result=True, **params)

    def deploy(self, cfg):
        for g in cfg.get("globalConfig") or []:
            self.call("updateConfiguration", name=g["name"], value=g["value"])
        return [self.zone(z) for z in cfg["zones"]]

    def zone(self, z):
        sg = str(z.get("securitygroupenabled", "false")).lower() == "true"
        zone_id = self.call("createZone", name=z["name"], dns1=z.get("dns1"), dns2=z.get("dns2"), internaldns1=z.get("internaldns1"),
                            internaldns2=z.get("internaldns2"), networktype=z["networktype"],
                            securitygroupenabled=z.get("securitygroupenabled"), localstorageenabled=z.get("localstorageenabled"),
                            domain=z.get("domain"), guestcidraddress=None if sg else z.get("guestcidraddress"))["zone"]["id"]
        for pnet in z.get("physical_networks") or []:
            pnet_id = self.run("createPhysicalNetwork", zoneid=zone_id, name=pnet["name"],
                               isolationmethods=pnet.get("isolationmethods"))["physicalnetwork"]["id"]
            for t in pnet.get("traffictypes") or []:
                self.run("addTrafficType", physicalnetworkid=pnet_id, traffictype=t["typ"], kvmnetworklabel=t.get("kvm"),
                         xennetworklabel=t.get("xen"), vmwarenetworklabel=t.get("vmware"))
            for p in pnet.get("providers") or []:
                self.provider(pnet_id, p["name"])
            self.run("updatePhysicalNetwork", id=pnet_id, state="Enabled", vlan=pnet.get("vlan") or None)
        ranges = z.get("ipranges") or []
        if z["networktype"] == "Basic":
            public = any(t["typ"] == "Public" for t in z["physical_networks"][0].get("traffictypes", []))
            name = z.get("networkofferingname") or ("DefaultSharedNetscalerEIPandELBNetworkOffering" if public else "DefaultSharedNetworkOfferingWithSGService")
            offering = self.call("listNetworkOfferings", name=name)["networkoffering"][0]
            net = self.call("createNetwork", name="guestNetworkForBasicZone", displaytext="guestNetworkForBasicZone", zoneid=zone_id,
                            networkofferingid=offering["id"])["network"]["id"]
            self.pods(z, zone_id, net)
            if public:
                self.ranges(ranges, zone_id, forvirtualnetwork="true")
        elif not sg:
            self.pods(z, zone_id, None)
            self.ranges(ranges, zone_id, forvirtualnetwork="true")
        for s in z.get("secondaryStorages") or []:
            nfs = (s.get("provider") or "").lower() in ("nfs", "smb")
            self.call("addImageStore", url=s["url"], provider=s.get("provider"), zoneid=zone_id if nfs else None)
        if z.get("enabled", "True") == "True":
            self.call("updateZone", id=zone_id, allocationstate="Enabled")
        return zone_id

    def provider(self, pnet_id, name):
        found = self.call("listNetworkServiceProviders", physicalnetworkid=pnet_id, name=name, state="Disabled").get("networkserviceprovider")
        check(found, "no Disabled %s provider on the new physical network" % name)
        nsp = found[0]["id"]
        if name in ("VirtualRouter", "VpcVirtualRouter"):
            el = self.call("listVirtualRouterElements", nspid=nsp)["virtualrouterelement"][0]
            self.run("configureVirtualRouterElement", id=el["id"], enabled="true")
        elif name == "InternalLbVm":
            el = self.call("listInternalLoadBalancerElements", nspid=nsp)["internalloadbalancerelement"][0]
            self.run("configureInternalLoadBalancerElement", id=el["id"], enabled="true")
        self.run("updateNetworkServiceProvider", id=nsp, state="Enabled")

    def pods(self, z, zone_id, network_id):
        for p in z.get("pods") or []:
            pod_id = self.call("createPod", name=p["name"], gateway=p["gateway"], netmask=p["netmask"], startip=p["startip"],
                               endip=p["endip"], zoneid=zone_id)["pod"]["id"]
            if p.get("guestIpRanges") and network_id:
                self.ranges(p["guestIpRanges"], zone_id, forvirtualnetwork="false", podid=pod_id, networkid=network_id)
            for c in p.get("clusters") or []:
                cluster_id = self.call("addCluster", clustername=c["clustername"], clustertype=c.get("clustertype"), hypervisor=c["hypervisor"],
                                       podid=pod_id, zoneid=zone_id)["cluster"][0]["id"]
                for h in c.get("hosts") or []:
                    self.call("addHost", clusterid=cluster_id, hypervisor=c["hypervisor"], password=h.get("password"), podid=pod_id,
                              url=h["url"], username=h.get("username"), zoneid=zone_id, hosttags=h.get("hosttags"))
                hosts = self.call("listHosts", clusterid=cluster_id, zoneid=zone_id).get("host", [])
                check(hosts and all(h["state"] == "Up" for h in hosts), "hosts of %s not Up: %r" % (c["clustername"], hosts))
                for s in c.get("primaryStorages") or []:
                    self.call("createStoragePool", name=s["name"], url=s["url"], tags=s.get("tags"), zoneid=zone_id, podid=pod_id, clusterid=cluster_id)

    def ranges(self, ranges, zone_id, **extra):
        for r in ranges:
            self.call("createVlanIpRange", account=r.get("account"), domainid=r.get("domainid"), endip=r["endip"], gateway=r["gateway"],
                      netmask=r["netmask"], startip=r["startip"], zoneid=zone_id, vlan=r.get("vlan"), **extra)


def check_built(api, zone_id, z):
    zone = one(api.listZones(id=zone_id, fetch_list=True), "zone")
    check(zone["allocationstate"] == "Enabled" and zone["networktype"] == z["networktype"], "zone %r" % zone)
    pnets = api.listPhysicalNetworks(zoneid=zone_id, fetch_list=True)
    check(len(pnets) == len(z["physical_networks"]) and all(p["state"] == "Enabled" for p in pnets), "physical networks %r" % pnets)
    types = sorted(t["traffictype"] for t in api.listTrafficTypes(physicalnetworkid=pnets[0]["id"], fetch_list=True))
    wanted = sorted(set([t["typ"] for t in z["physical_networks"][0]["traffictypes"]] + ["Storage"]))
    check(types == wanted, "traffic types %r, wanted %r (enabling the zone adds Storage)" % (types, wanted))
    providers = {p["name"]: p["state"] for p in api.listNetworkServiceProviders(physicalnetworkid=pnets[0]["id"], fetch_list=True)}
    for p in z["physical_networks"][0]["providers"]:
        check(providers.get(p["name"]) == "Enabled", "provider %s is %r" % (p["name"], providers.get(p["name"])))
    wanted_hosts = sum(len(c.get("hosts", [])) for p in z["pods"] for c in p.get("clusters", []))
    hosts = api.listHosts(zoneid=zone_id, type="Routing", fetch_list=True)
    check(len(hosts) == wanted_hosts and all(h["state"] == "Up" and h["resourcestate"] == "Enabled" for h in hosts), "hosts %r" % hosts)
    pools = api.listStoragePools(zoneid=zone_id, fetch_list=True)
    check(sorted(p["name"] for p in pools) == sorted(s["name"] for p in z["pods"] for c in p["clusters"] for s in c.get("primaryStorages", [])), "pools %r" % pools)
    check(len(api.listImageStores(zoneid=zone_id, fetch_list=True)) == len(z["secondaryStorages"]), "image stores")
    caps = {c["type"]: c for c in api.listCapacity(zoneid=zone_id, fetch_list=True)}
    check(caps[0]["capacitytotal"] == wanted_hosts * 8 * 1024 ** 3 and caps[1]["capacitytotal"] == wanted_hosts * 32000, "capacity %r" % caps)
    return "%s: %d hosts, %d pools, providers %s" % (zone["name"], len(hosts), len(pools), ",".join(sorted(providers)))


def wait_rule(api, res, key):
    rule = res[key]
    check(rule.get("state") in ("Active", "Add"), "%s state %r" % (key, rule.get("state")))
    return rule


def tenant_advanced(api, zone_id, offering, template):
    step("advanced zone: isolated network")
    net_off = one(api.listNetworkOfferings(name="DefaultIsolatedNetworkOfferingWithSourceNatService", fetch_list=True), "isolated offering")
    net = api.createNetwork(name="marvin-net-" + RUN, displaytext="marvin", zoneid=zone_id, networkofferingid=net_off["id"])["network"]
    check(net["type"] == "Isolated" and net["state"] == "Allocated", "network %r" % net)
    vm = api.deployVirtualMachine(zoneid=zone_id, serviceofferingid=offering, templateid=template, networkids=net["id"],
                                  name="marvin-adv-" + RUN, fetch_result=True)["virtualmachine"]
    check(vm["state"] == "Running" and vm["nic"][0]["networkid"] == net["id"], "VM %r" % vm)
    net = one(api.listNetworks(id=net["id"], fetch_list=True), "network")
    check(net["state"] == "Implemented" and net.get("vlan"), "network after deploy %r" % net)
    check(100 <= int(net["vlan"]) <= 200, "guest VLAN %s outside the physical network's 100-200" % net["vlan"])
    ok("VM %s at %s, network VLAN %s" % (vm["name"], vm["nic"][0]["ipaddress"], net["vlan"]))

    step("advanced zone: public IP, port forwarding, firewall")
    ip = api.associateIpAddress(networkid=net["id"], fetch_result=True)["ipaddress"]
    check(ip["ipaddress"].startswith("192.168.2."), "public IP %r not from the zone's 192.168.2.2-200 range" % ip["ipaddress"])
    pf = wait_rule(api, api.createPortForwardingRule(ipaddressid=ip["id"], protocol="tcp", publicport=2222, privateport=22,
                                                     virtualmachineid=vm["id"], fetch_result=True), "portforwardingrule")
    fw = wait_rule(api, api.createFirewallRule(ipaddressid=ip["id"], protocol="tcp", startport=2222, endport=2222, cidrlist="0.0.0.0/0",
                                               fetch_result=True), "firewallrule")
    check(one(api.listPortForwardingRules(ipaddressid=ip["id"], fetch_list=True), "PF rule")["id"] == pf["id"], "PF rule not listed")
    check(one(api.listFirewallRules(ipaddressid=ip["id"], fetch_list=True), "firewall rule")["id"] == fw["id"], "firewall rule not listed")
    ok("%s:2222 -> %s:22, open to 0.0.0.0/0" % (ip["ipaddress"], vm["nic"][0]["ipaddress"]))

    step("advanced zone: load balancer")
    lb_ip = api.associateIpAddress(networkid=net["id"], fetch_result=True)["ipaddress"]
    lb = wait_rule(api, api.createLoadBalancerRule(publicipid=lb_ip["id"], name="marvin-lb-" + RUN, algorithm="roundrobin", publicport=80,
                                                   privateport=80, networkid=net["id"], fetch_result=True), "loadbalancer")
    api.assignToLoadBalancerRule(id=lb["id"], virtualmachineids=vm["id"], fetch_result=True)
    members = api.listLoadBalancerRuleInstances(id=lb["id"], fetch_list=True)
    check([m["id"] for m in members] == [vm["id"]], "LB members %r" % members)
    routers = api.listRouters(networkid=net["id"], listall=True, fetch_list=True)
    check(routers and routers[0]["state"] == "Running", "virtual router %r" % routers)
    ok("%s:80 -> %s, router %s" % (lb_ip["ipaddress"], vm["name"], routers[0]["name"]))


def tenant_basic(api, zone_id, offering, template):
    step("basic zone: security group")
    sg = api.createSecurityGroup(name="marvin-sg-" + RUN, description="marvin")["securitygroup"]
    api.authorizeSecurityGroupIngress(securitygroupid=sg["id"], protocol="TCP", startport=22, endport=22, cidrlist="0.0.0.0/0", fetch_result=True)
    vm = api.deployVirtualMachine(zoneid=zone_id, serviceofferingid=offering, templateid=template, securitygroupids=sg["id"],
                                  name="marvin-basic-" + RUN, fetch_result=True)["virtualmachine"]
    check(vm["state"] == "Running", "VM %r" % vm)
    check(vm["nic"][0]["ipaddress"].startswith("60.147.41."), "basic VM address %r not from the pod's guest range" % vm["nic"][0]["ipaddress"])
    check(sg["id"] in [g["id"] for g in vm.get("securitygroup", [])], "VM not in %s" % sg["name"])
    ok("VM %s at %s in %s" % (vm["name"], vm["nic"][0]["ipaddress"], sg["name"]))


def main():
    env = os.environ
    api = CloudStack(env["CLOUDSTACK_ENDPOINT"], env["CLOUDSTACK_KEY"], env["CLOUDSTACK_SECRET"], poll_interval=0.1, job_timeout=120, timeout=30)
    step("empty data center")
    check(not api.listZones(fetch_list=True), "polystack was expected to start without zones")
    ok("no zones")

    built = {}
    for path in env["MARVIN_CFGS"].split(":"):
        cfg = read_cfg(path)
        kind = cfg["zones"][0]["networktype"]
        # One management server per config in Marvin's CI; here both share one, so the zone names must differ.
        cfg["zones"][0]["name"] += "-" + kind.lower()
        step("deployDataCenter " + os.path.basename(path))
        d = Deployer(api)
        [zone_id] = d.deploy(cfg)
        ok("%d calls: %s" % (len(d.calls), " ".join(dict.fromkeys(d.calls))))
        step("verify " + os.path.basename(path))
        ok(check_built(api, zone_id, cfg["zones"][0]))
        built[kind] = zone_id

    offering = one([o for o in api.listServiceOfferings(fetch_list=True) if o["name"] == OFFERING], OFFERING)["id"]
    template = one([t for t in api.listTemplates(templatefilter="featured", zoneid=built["Advanced"], fetch_list=True) if t["name"] == TEMPLATE], TEMPLATE)["id"]
    tenant_advanced(api, built["Advanced"], offering, template)
    tenant_basic(api, built["Basic"], offering, template)


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        _steps.fail(e)
        sys.exit(1)
    except CloudStackApiException as e:
        _steps.fail("%s HTTP %s error=%r" % (e.args[0] if e.args else "", e.response.status_code, e.error))
        sys.exit(1)
    except CloudStackException as e:
        body = e.response.text[:500] if getattr(e, "response", None) is not None else ""
        _steps.fail("%s %s" % (" ".join(map(str, e.args)), body))
        sys.exit(1)
