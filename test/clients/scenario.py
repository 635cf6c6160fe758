"""What the client scenarios share: the seeded names they use, and step bookkeeping.

Each scenario prints one line per step ("[client] ok   step: detail") and, at the first
failure, "[client] FAIL step: why", then exits non-zero.
"""
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
