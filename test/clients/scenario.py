"""What the client scenarios share: the seeded names they use, and step bookkeeping.

Each scenario prints one line per step ("[client] ok   step: detail") and, at the first
failure, "[client] FAIL step: why", then exits non-zero.
"""
import sys
import traceback
import uuid

BASIC_ZONE = "Sandbox-simulator-basic"
ADVANCED_ZONE = "Sandbox-simulator-advanced"
OFFERING = "Small Instance"
TEMPLATE = "CentOS 5.3(64-bit) no GUI (Simulator)"
RUN = uuid.uuid4().hex[:8]


class Failure(Exception):
    pass


class Steps:
    def __init__(self, label):
        self.label = label
        self.current = "setup"

    def step(self, name):
        self.current = name

    def ok(self, detail):
        print("[%s] ok   %s: %s" % (self.label, self.current, detail), flush=True)

    def fail(self, why):
        print("[%s] FAIL %s: %s" % (self.label, self.current, why), flush=True)


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def one(items, what):
    check(len(items) == 1, "expected exactly one %s, got %d: %r" % (what, len(items), items))
    return items[0]


def run(main, steps, describe=()):
    """Runs a scenario: PASS at the end, or one FAIL line and exit status 1 at the first failure.
    `describe` pairs a client's exception types with how to say what went wrong in one line."""
    try:
        main()
    except Failure as e:
        steps.fail(str(e))
        sys.exit(1)
    except Exception as e:  # every failure ends the scenario with one FAIL line
        for types, say in describe:
            if isinstance(e, types):
                steps.fail(say(e))
                sys.exit(1)
        traceback.print_exc()  # a client-side crash on an unexpected response shape
        steps.fail("%s: %s" % (type(e).__name__, e))
        sys.exit(1)
    print("[%s] PASS" % steps.label, flush=True)


def cs_errors(api_exception, base_exception):
    """How the `cs` client's exceptions read in a FAIL line."""
    def api(e):
        return "%s HTTP %s error=%r" % (e.args[0] if e.args else "", e.response.status_code, e.error)

    def other(e):
        body = e.response.text[:500] if getattr(e, "response", None) is not None else ""
        return "%s %s" % (" ".join(map(str, e.args)), body)

    return ((api_exception, api), (base_exception, other))
