# Loaded by Python at start-up when this folder is on PYTHONPATH (scripts/conformance/run.ts puts it there
# for the test suite's Marvin subset only). Marvin paces itself for real hardware: it sleeps 30 s after each
# VM it deploys before programming SSH over NAT, polls async jobs once a second, and waits out the cleanup
# intervals it reads from the cloud. A simulated VM is up when its deploy job answers, so most of a subset
# run was spent asleep (180 of test_accounts' 194 s). POLYSTACK_MARVIN_SLEEP_SCALE shrinks every sleep of
# the process by that factor; the calls made, their order and their checks are Marvin's own.
import os
import sys
import time

_scale = float(os.environ.get("POLYSTACK_MARVIN_SLEEP_SCALE", "1"))
if 0 < _scale < 1:
    _sleep = time.sleep

    def _scaled_sleep(seconds):
        _sleep(seconds * _scale)

    time.sleep = _scaled_sleep

# The sitecustomize this one hides (Debian's installs an apport hook), run as it would have been.
_here = os.path.dirname(os.path.abspath(__file__))
for _dir in sys.path:
    _other = os.path.join(_dir or ".", "sitecustomize.py")
    if os.path.abspath(_dir or ".") != _here and os.path.isfile(_other):
        with open(_other) as _f:
            exec(compile(_f.read(), _other, "exec"), {"__name__": "sitecustomize", "__file__": _other})
        break
