"""The organisation through the real `cs` client (Debian python3-cs): a domain tree
with a domain admin, roles, a project with members, resource limits, events and
alerts. Reads CLOUDSTACK_ENDPOINT / CLOUDSTACK_KEY / CLOUDSTACK_SECRET, prints one
line per step, exits non-zero at the first failure. Run with /usr/bin/python3.
"""
import os

from cs import CloudStack, CloudStackApiException, CloudStackException

from scenario import BASIC_ZONE, OFFERING, RUN, TEMPLATE, Failure, Steps, check, cs_errors, run

OPTS = dict(poll_interval=0.2, job_timeout=120, timeout=30)
_steps = Steps("cs-org")
step, ok = _steps.step, _steps.ok


def refused(call, status, text):
    """The call must fail with this HTTP status, and its errortext must contain `text`."""
    try:
        call()
    except CloudStackApiException as e:
        got = e.error.get("errortext", "")
        check(e.response.status_code == status and text in got, "expected %s %r, got %s %r" % (status, text, e.response.status_code, got))
        return got
    raise Failure("expected a %s refusal containing %r, the call succeeded" % (status, text))


def main():
    env = os.environ
    endpoint = env["CLOUDSTACK_ENDPOINT"]
    root = CloudStack(endpoint, env["CLOUDSTACK_KEY"], env["CLOUDSTACK_SECRET"], **OPTS)

    def client_for(account, domain_id):
        user = root.listUsers(account=account, domainid=domain_id, fetch_list=True)[0]
        keys = root.registerUserKeys(id=user["id"])["userkeys"]
        return CloudStack(endpoint, keys["apikey"], keys["secretkey"], **OPTS)

    def account(name, domain_id, kind):
        root.createAccount(account=name, username=name, password="pw", email=name + "@example.com", firstname=name, lastname="org",
                           accounttype=kind, domainid=domain_id)
        return client_for(name, domain_id)

    step("createDomain")
    org = root.createDomain(name="org-" + RUN)["domain"]
    team = root.createDomain(name="team", parentdomainid=org["id"])["domain"]
    other = root.createDomain(name="other-" + RUN)["domain"]
    check(team["path"] == "ROOT/org-%s/team" % RUN and team["level"] == 2, "team domain %r" % team)
    ok("%s, %s, %s" % (org["path"], team["path"], other["path"]))

    step("createAccount")
    boss = account("boss-" + RUN, org["id"], 2)
    dev = account("dev-" + RUN, team["id"], 0)
    dev2 = account("dev2-" + RUN, team["id"], 0)
    stranger = account("stranger-" + RUN, other["id"], 0)
    ok("a domain admin, two users below it, one user in a sibling domain")

    step("domain admin scope")
    paths = sorted(d["path"] for d in boss.listDomains(listall=True, fetch_list=True))
    check(paths == ["ROOT/org-%s" % RUN, "ROOT/org-%s/team" % RUN], "domain admin sees %r" % paths)
    names = sorted(a["name"] for a in boss.listAccounts(listall=True, fetch_list=True))
    check(names == sorted(["boss-" + RUN, "dev-" + RUN, "dev2-" + RUN]), "domain admin lists accounts %r" % names)
    refused(lambda: boss.listDomains(id=other["id"]), 531, "does not have permission to operate within domain id=" + other["id"])
    refused(lambda: boss.listAccounts(domainid=other["id"]), 531, "does not have permission")
    ok("sees %s, refused the sibling" % ", ".join(paths))

    step("roles")
    roles = {r["name"]: r for r in root.listRoles(fetch_list=True)}
    check({"Root Admin", "Domain Admin", "User", "Read-Only User - Default"} <= set(roles), "roles %r" % sorted(roles))
    text = refused(lambda: dev.createDomain(name="nope"), 432, "either does not exist, is not available for user")
    check(text == "The given command 'createDomain' either does not exist, is not available for user.", text)
    apis = {a["name"] for a in dev.listApis(fetch_list=True)}
    check("deployVirtualMachine" in apis and "createAccount" not in apis and "createDomain" not in apis, "user listApis %d entries" % len(apis))
    ok("%d roles; a user may call %d commands" % (len(roles), len(apis)))

    step("project")
    project = dev.createProject(name="proj-" + RUN, displaytext="cs project", fetch_result=True)["project"]
    check(project["state"] == "Active" and project["owner"] == [{"account": "dev-" + RUN}], "project %r" % project)
    dev.addAccountToProject(projectid=project["id"], account="dev2-" + RUN, fetch_result=True)
    members = sorted((m["account"], m["role"]) for m in dev.listProjectAccounts(projectid=project["id"], fetch_list=True))
    check(members == sorted([("dev-" + RUN, "Admin"), ("dev2-" + RUN, "Regular")]), "members %r" % members)
    zone = root.listZones(name=BASIC_ZONE, fetch_list=True)[0]
    offering = root.listServiceOfferings(name=OFFERING, fetch_list=True)[0]
    template = [t for t in root.listTemplates(templatefilter="featured", zoneid=zone["id"], fetch_list=True) if t["name"] == TEMPLATE][0]
    vm = dev2.deployVirtualMachine(zoneid=zone["id"], serviceofferingid=offering["id"], templateid=template["id"], projectid=project["id"],
                                   fetch_result=True)["virtualmachine"]
    check(vm.get("projectid") == project["id"] and "account" not in vm, "project VM owner fields %r" % {k: vm.get(k) for k in ("account", "project", "projectid")})
    listed = [v["id"] for v in dev.listVirtualMachines(projectid=project["id"], fetch_list=True)]
    check(listed == [vm["id"]], "the owner lists %r" % listed)
    check(not dev.listVirtualMachines(listall=True, fetch_list=True), "project VMs listed without projectid")
    # ProjectRoleBasedApiAccessChecker refuses an account outside the project before the command runs.
    refused(lambda: stranger.listVirtualMachines(projectid=project["id"]), 432,
            "The API [listVirtualMachines] does not exist or is not available for this account/user in project [%s]." % project["id"])
    ok("%s owns %s; members see it, a stranger is refused" % (project["name"], vm["name"]))

    step("resource limits")
    limit = boss.updateResourceLimit(account="dev-" + RUN, domainid=team["id"], resourcetype=0, max=0)["resourcelimit"]
    check(limit["max"] == 0 and limit["resourcetypename"] == "user_vm", "limit %r" % limit)
    text = refused(lambda: dev.deployVirtualMachine(zoneid=zone["id"], serviceofferingid=offering["id"], templateid=template["id"]), 535,
                   "Maximum amount of resources of Type = 'user_vm' for Account Name = dev-%s" % RUN)
    check(text.endswith("is exceeded: Account Resource Limit = 0, Current Account Resource Amount = 0, Requested Resource Amount = 1."), text)
    mine = {l["resourcetypename"]: l["max"] for l in dev.listResourceLimits(fetch_list=True)}
    check(mine["user_vm"] == 0 and mine["cpu"] == 40, "listResourceLimits %r" % mine)
    counts = {c["resourcetypename"]: c["resourcecount"] for c in boss.updateResourceCount(domainid=team["id"])["resourcecount"]}
    check(counts["user_vm"] == 1 and counts["project"] == 1, "domain counts %r" % counts)
    ok("deploy over the limit: %s" % text)

    step("events")
    events = dev.listEvents(projectid=project["id"], type="VM.CREATE", fetch_list=True)
    check(len(events) == 1 and events[0]["resourceid"] == vm["id"] and events[0]["username"] == "dev2-" + RUN, "events %r" % events)
    ok("VM.CREATE by %s" % events[0]["username"])

    step("alerts")
    root.generateAlert(type=41, name="cs-org-" + RUN, description="raised by the cs scenario", fetch_result=True)
    alerts = root.listAlerts(name="cs-org-" + RUN, fetch_list=True)
    check(len(alerts) == 1 and alerts[0]["description"] == "raised by the cs scenario", "alerts %r" % alerts)
    root.archiveAlerts(ids=alerts[0]["id"])
    check(not root.listAlerts(name="cs-org-" + RUN, fetch_list=True), "archived alert still listed")
    ok("generated, listed and archived %s" % alerts[0]["name"])

    step("cleanup")
    res = root.deleteDomain(id=org["id"], cleanup=True, fetch_result=True)
    check(res.get("success") is True, "deleteDomain %r" % res)
    left = [d["path"] for d in root.listDomains(listall=True, fetch_list=True) if d["path"].startswith("ROOT/org-" + RUN)]
    check(not left, "still listed: %r" % left)
    root.deleteDomain(id=other["id"], cleanup=True, fetch_result=True)
    ok("the domains, their accounts, the project and its VM are gone")


if __name__ == "__main__":
    run(main, _steps, cs_errors(CloudStackApiException, CloudStackException))
