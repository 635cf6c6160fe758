#!/usr/bin/env bash
# Installs the real clients the tests drive: Debian's python3-cs and
# python3-libcloud (CloudStack), awscli, python3-boto3 and python3-boto (EC2),
# python3-cryptography (to decrypt EC2 password data in a test), python3-googleapi
# (google-api-python-client 1.x, for the GCE front), chromium (headless, driven by playwright-core
# in the web console's browser tests), ansible (its ngine_io.cloudstack collection runs the Ansible
# page of the docs) with python3-sshpubkeys (which its cs_sshkeypair needs), and the Python modules Marvin
# (CloudStack's own test library, for test/conformance/marvin-subset.test.ts) imports. Idempotent: apt-get (and its
# index refresh) only runs when a package is missing, so CI re-runs are cheap.
# The tests call /usr/bin/python3 because a pyenv python3 on PATH does not see
# Debian's dist-packages.
set -euo pipefail

packages=(python3-cs python3-libcloud awscli python3-boto3 python3-boto python3-cryptography python3-googleapi chromium ansible python3-sshpubkeys)
marvin=(python3-requests python3-paramiko python3-ddt python3-netaddr python3-dnspython python3-pymysql python3-tz python3-nose
  python3-retry python3-pyvmomi python3-pycryptodome python3-lxml python3-kubernetes)
packages+=("${marvin[@]}" ipmitool python3-pyghmi)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  echo "install-test-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Fail here, not in the middle of the test run, if the modules are unusable.
/usr/bin/python3 -c 'import cs, libcloud.compute.drivers.cloudstack, boto3, boto, cryptography, googleapiclient.discovery, google.oauth2.credentials, sshpubkeys' \
  || { echo "install-test-deps: /usr/bin/python3 cannot import cs/libcloud/boto3/boto/cryptography/googleapiclient/sshpubkeys" >&2; exit 1; }
/usr/bin/python3 -c 'import requests, paramiko, ddt, netaddr, dns.resolver, pymysql, pytz, nose, retry, pyVmomi, Cryptodome, lxml.etree, kubernetes' \
  || { echo "install-test-deps: /usr/bin/python3 cannot import Marvin's modules (${marvin[*]})" >&2; exit 1; }
# test/harness/ipmisim on /usr/bin/python3's path: a .pth file naming this checkout's folder (rewritten when the
# checkout moves, as a CI clone does).
here=$(cd "$(dirname "$0")/.." && pwd)
site=$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')
pth="$site/polystack-ipmisim.pth"
if [ "$(cat "$pth" 2>/dev/null)" != "$here/test/harness/ipmisim" ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  "${sudo[@]}" mkdir -p "$site"
  echo "$here/test/harness/ipmisim" | "${sudo[@]}" tee "$pth" >/dev/null
fi
(cd / && /usr/bin/python3 -c 'from ipmisim.ipmisim import IpmiServerContext, IpmiServer, ThreadedIpmiServer; import pyghmi.ipmi.command') \
  || { echo "install-test-deps: /usr/bin/python3 cannot import ipmisim (from $here/test/harness/ipmisim) or pyghmi" >&2; exit 1; }
command -v ipmitool >/dev/null || { echo 'install-test-deps: ipmitool is missing' >&2; exit 1; }
command -v aws >/dev/null || { echo 'install-test-deps: aws (awscli) is missing' >&2; exit 1; }
command -v ansible-playbook >/dev/null || { echo 'install-test-deps: ansible-playbook (ansible) is missing' >&2; exit 1; }
timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null 2>&1 \
  || { echo 'install-test-deps: chromium does not start headless' >&2; exit 1; }
echo "install-test-deps: python3-cs, python3-libcloud, awscli, python3-boto3, python3-boto, python3-googleapi, chromium, ansible, python3-sshpubkeys, Marvin's modules, ipmitool, python3-pyghmi and ipmisim are ready"
