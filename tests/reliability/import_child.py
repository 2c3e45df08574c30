"""A process that imports one file into a store, saying how far it has got, to be killed.

    python -m tests.reliability.import_child STORE FILE

Prints `open`, `planned`, `committing`, `committed`, `closed` (one a line, flushed) as it goes,
so a test can kill it (SIGKILL: no clean-up, as a power cut or the OOM killer would) while it
writes. Exit status 0 when the file went in, 3 if it was refused.
"""

from __future__ import annotations

import sys
from pathlib import Path

from impact.auth import Actor
from impact.importing.pipeline import commit, plan_import
from impact.store import Store

ACTOR = Actor("Crash test", "admin")


def say(word: str) -> None:
    print(word, flush=True)


def main(store_path: str, file_path: str) -> int:
    path = Path(file_path)
    store = Store(store_path)
    say("open")
    plan = plan_import(store, path.name, path.read_bytes(), ACTOR, kind="attainment")
    if not plan.ok:
        print(plan.unusable or plan.problems[:3], file=sys.stderr)
        return 3
    say("planned")
    say("committing")
    commit(store, plan, ACTOR)
    say("committed")
    store.close()
    say("closed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
