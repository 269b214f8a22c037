"""tests/lib/tap.py: the TAP-style lines the Python tests print, and their
closing count (the Python twin of tap.sh).

    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
    from tap import Tap

    t = Tap()
    t.check(cond, "what", "detail")   # "ok - what", or "not ok - what" and "#   detail"
    return t.end()                    # "N passed, M failed"; 0 when none failed, else 1
"""

import sys


class Tap:
    def __init__(self, detail_lines=None):
        """detail_lines: at most this many lines of each failure's detail."""
        self.passed = 0
        self.failed = 0
        self.detail_lines = detail_lines

    def ok(self, what):
        self.passed += 1
        print("ok - " + what, flush=True)

    def not_ok(self, what, *details):
        self.failed += 1
        print("not ok - " + what)
        for d in details:
            lines = str(d).splitlines()
            if self.detail_lines is not None:
                lines = lines[: self.detail_lines]
            for line in lines:
                print("#   " + line)
        sys.stdout.flush()

    def check(self, cond, what, *details):
        """ok() when cond holds, else not_ok() with the details; returns cond."""
        if cond:
            self.ok(what)
        else:
            self.not_ok(what, *(d for d in details if d))
        return cond

    @staticmethod
    def note(msg):
        print("# " + str(msg), flush=True)

    def end(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        return 1 if self.failed else 0
