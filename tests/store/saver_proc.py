"""Child process for crash and concurrency tests: saves runs in a loop, printing each id once saved."""

from __future__ import annotations

import sys

from store_helpers import make_run

from crunchtime.results.store import RunStore

if __name__ == "__main__":
    home, first_check, count, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    store = RunStore(home, lock_timeout_s=60)
    for check in range(first_check, first_check + count):
        run_id = store.save("run", *make_run(check, rows))
        print(run_id, check, flush=True)
