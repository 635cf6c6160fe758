"""What the client scenarios share: named steps, checks, one line per step and the exit status."""
import sys
import traceback


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def one(items, what):
    check(len(items) == 1, "expected exactly one %s, got %d: %r" % (what, len(items), items))
    return items[0]


class Scenario:
    def __init__(self, tag):
        self.tag = tag
        self.current = "setup"

    def step(self, name):
        self.current = name

    def ok(self, detail):
        print("[%s] ok   %s: %s" % (self.tag, self.current, detail), flush=True)

    def fail(self, text):
        print("[%s] FAIL %s: %s" % (self.tag, self.current, text), flush=True)
        sys.exit(1)

    def run(self, main, describe=()):
        """Runs `main`; `describe` pairs client exception types with how to print them in one line."""
        try:
            main()
        except Failure as e:
            self.fail(str(e))
        except Exception as e:  # noqa: BLE001 - every failure ends the scenario with one FAIL line
            for types, text in describe:
                if isinstance(e, types):
                    self.fail(text(e))
            traceback.print_exc()
            self.fail("%s: %s" % (type(e).__name__, e))
        print("[%s] PASS" % self.tag, flush=True)


def cs_errors(api_exception, base_exception):
    """How the `cs` client's exceptions read in a FAIL line."""
    def api(e):
        return "%s HTTP %s error=%r" % (e.args[0] if e.args else "", e.response.status_code, e.error)

    def other(e):
        body = e.response.text[:500] if getattr(e, "response", None) is not None else ""
        return "%s %s" % (" ".join(map(str, e.args)), body)

    return ((api_exception, api), (base_exception, other))
