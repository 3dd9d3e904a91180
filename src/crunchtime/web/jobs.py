"""Report jobs: simulate at a higher sample count, save the run, write the HTML report; poll for progress.

One job runs at a time in a worker thread; the page polls `GET /api/report/{job}` and downloads the file
when it is done. Finished reports live in a temporary folder, the oldest deleted beyond MAX_REPORT_JOBS.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crunchtime import api
from crunchtime.web import limits
from crunchtime.web.inputs import CompareRequest

log = logging.getLogger("crunchtime.web")
#: share of the progress bar for simulating (the rest is drawing the report)
SIMULATE_SHARE = 0.8


@dataclass
class Job:
    id: str
    samples: int
    state: str = "queued"  # queued, running, done, error
    progress: float = 0.0
    error: str | None = None
    run_id: str | None = None
    path: Path | None = None
    filename: str = "crunchtime-report.html"
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "job": self.id,
            "state": self.state,
            "progress": round(self.progress, 3),
            "samples": self.samples,
            "error": self.error,
            "run_id": self.run_id,
        }


class ReportJobs:
    """Queue of report jobs, one worker thread, a bounded set of finished files."""

    def __init__(self, home: str | None = None):
        self._jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crunchtime-report")
        self._dir = Path(tempfile.mkdtemp(prefix="crunchtime-web-"))
        self._home = home
        self._lock = threading.Lock()

    def submit(self, req: CompareRequest) -> Job:
        job = Job(uuid.uuid4().hex[:12], req.samples)
        with self._lock:
            self._jobs[job.id] = job
            self._prune()
        self._pool.submit(self._run, job, req)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def _prune(self) -> None:
        done = [j for j in self._jobs.values() if j.state in ("done", "error")]
        for j in done[: max(0, len(self._jobs) - limits.MAX_REPORT_JOBS)]:
            if j.path is not None:
                j.path.unlink(missing_ok=True)
            del self._jobs[j.id]

    def _run(self, job: Job, req: CompareRequest) -> None:
        job.state = "running"
        try:

            def sim_progress(done: int, total: int) -> None:
                job.progress = SIMULATE_SHARE * done / max(total, 1)

            def draw_progress(done: int, total: int) -> None:
                job.progress = SIMULATE_SHARE + (1 - SIMULATE_SHARE) * done / max(total, 1)

            cmp = api.compare(
                req.scenario,
                list(req.plans),
                samples=req.samples,
                seed=req.seed,
                progress=sim_progress,
                design=req.design(),
            )
            job.run_id = api.save_run(cmp, home=self._home)
            path = self._dir / f"{job.id}.html"
            api.write_report(job.run_id, path, home=self._home, progress=draw_progress)
            job.path, job.progress, job.state = path, 1.0, "done"
            job.filename = f"crunchtime-{'-vs-'.join(cmp.plans)}-{req.samples}.html"
        except api.CrunchtimeError as exc:
            job.state, job.error = "error", " ".join(str(exc).split())
        except Exception as exc:
            job.state, job.error = "error", f"internal error ({type(exc).__name__}); see the server's log"
            log.exception("report job %s failed", job.id)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._dir, ignore_errors=True)
