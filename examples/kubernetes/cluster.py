#!/usr/bin/env python3
"""A Kubernetes cluster's machines on polystack, in the spirit of kubernetes-exoscale.

Creates the security groups (etcd, Kubernetes nodes, the flannel UDP overlay port), three etcd
nodes and five Kubernetes nodes, each with its own cloud-config user data, waits for them,
checks through the instance metadata service that every node received its own cloud-config,
and prints the cluster table. Uses Apache libcloud's CloudStack driver and nothing else.

    CLOUDSTACK_ENDPOINT=http://127.0.0.1:8080/client/api CLOUDSTACK_KEY=... CLOUDSTACK_SECRET=... \\
        python3 examples/kubernetes/cluster.py
"""
import os
import sys
import time
import urllib.request
from urllib.parse import urlparse

from libcloud.compute.providers import get_driver
from libcloud.compute.types import NodeState, Provider

endpoint = urlparse(os.environ["CLOUDSTACK_ENDPOINT"])
driver = get_driver(Provider.CLOUDSTACK)(
    key=os.environ["CLOUDSTACK_KEY"], secret=os.environ["CLOUDSTACK_SECRET"],
    host=endpoint.hostname, port=endpoint.port, path=endpoint.path, secure=endpoint.scheme == "https",
)
ZONE = os.environ.get("K8S_ZONE", "Sandbox-simulator-basic")
PREFIX = os.environ.get("K8S_PREFIX", "k8s")


def cloud_config(role, index):
    services = {"etcd": ["etcd"], "node": ["docker", "kubelet", "flanneld"]}[role]
    return "\n".join([
        "#cloud-config",
        f"hostname: {PREFIX}-{role}-{index}",
        "users:",
        "  - default",
        "  - name: core",
        "packages: [" + ", ".join(services) + "]",
        "write_files:",
        f"  - path: /etc/{role}/role",
        f"    content: {role}-{index}",
        "runcmd:",
        *[f"  - systemctl start {s}" for s in services],
        "",
    ])


def main():
    location = next(l for l in driver.list_locations() if l.name == ZONE)
    size = next(s for s in driver.list_sizes() if s.name == "Small Instance")
    image = next(i for i in driver.list_images() if i.name.startswith("CentOS"))

    etcd = driver.ex_create_security_group(f"{PREFIX}-etcd")
    nodes = driver.ex_create_security_group(f"{PREFIX}-nodes")
    driver.ex_authorize_security_group_ingress(securitygroupname=f"{PREFIX}-etcd", protocol="TCP", cidrlist="0.0.0.0/0", startport=2379, endport=2380)
    driver.ex_authorize_security_group_ingress(securitygroupname=f"{PREFIX}-nodes", protocol="TCP", cidrlist="0.0.0.0/0", startport=6443)
    driver.ex_authorize_security_group_ingress(securitygroupname=f"{PREFIX}-nodes", protocol="UDP", cidrlist="0.0.0.0/0", startport=8472)
    print(f"security groups: {etcd['name']}, {nodes['name']}")

    wanted = [("etcd", i, f"{PREFIX}-etcd") for i in range(3)] + [("node", i, f"{PREFIX}-nodes") for i in range(5)]
    created = []
    for role, index, group in wanted:
        node = driver.create_node(
            name=f"{PREFIX}-{role}-{index}", size=size, image=image, location=location,
            ex_security_groups=[group], ex_userdata=cloud_config(role, index), ex_start_vm=True,
        )
        created.append((role, index, node))

    deadline = time.time() + 120
    while True:
        listed = {n.id: n for n in driver.list_nodes()}
        if all(listed[n.id].state == NodeState.RUNNING for _, _, n in created):
            break
        if time.time() > deadline:
            sys.exit("nodes did not start in time")
        time.sleep(0.2)

    base = f"{endpoint.scheme}://{endpoint.netloc}/_polystack/instances"
    print(f"{'ROLE':6} {'NAME':16} {'STATE':8} {'ADDRESS':15} CLOUD-CONFIG")
    for role, index, node in created:
        node = listed[node.id]
        # libcloud files addresses outside RFC 1918 (the basic zone's 60.147.41.0/24) as public.
        user_data = urllib.request.urlopen(f"{base}/{node.id}/latest/user-data").read().decode()
        mine = user_data == cloud_config(role, index)
        print(f"{role:6} {node.name:16} {'running':8} {(node.private_ips or node.public_ips)[0]:15} {'own' if mine else 'WRONG'}")
        if not mine:
            sys.exit(f"{node.name} did not receive its own cloud-config")
    print(f"cluster {PREFIX}: 3 etcd + 5 nodes running")


if __name__ == "__main__":
    main()
