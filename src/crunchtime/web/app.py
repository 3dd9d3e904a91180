"""The FastAPI application: the page, its static files and the JSON API.

Routes
------
GET  /                      the page (static/index.html)
GET  /api/meta              scenarios, plans, labels, limits
GET  /api/scenario/{name}   the belief sliders of a built-in scenario
GET  /api/plan/{name}       a built-in plan: params (with slider ranges) and YAML
POST /api/plan              plan YAML text -> the same, or {"error": line}
POST /api/compare           what `crunchtime compare --json` prints, plus a `page` key for the charts
POST /api/compiled          the same body -> {"compiled": bool}: false while `--jit` must compile first
POST /api/report            start a report job -> {"job": id, ...}
GET  /api/report/{id}       the job's state and progress
GET  /api/report/{id}/html  the finished report (a download)
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from crunchtime import api
from crunchtime.web import extras, inputs, limits, sliders
from crunchtime.web.jobs import ReportJobs
from crunchtime.web.security import DEFAULT_HOSTS, BodyLimit, HostOriginGuard, SecurityHeaders
from crunchtime.web.stale import ComputeSlot, FirstAnswers, Generations

log = logging.getLogger("crunchtime.web")
STATIC = resources.files("crunchtime.web") / "static"
_CLIENT_RE = re.compile(rf"^[A-Za-z0-9_-]{{1,{limits.MAX_CLIENT_ID}}}$")


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split()), **extra}, status_code=status)


def _stale_headers(request: Request) -> tuple[str | None, int | None]:
    client, gen = request.headers.get("x-client"), request.headers.get("x-generation")
    if client is None or gen is None:
        return None, None
    if not _CLIENT_RE.match(client) or not gen.isdigit() or len(gen) > 15:
        raise inputs.WebInputError(
            "X-Client / X-Generation: expected an id of letters, digits, - or _ and a whole number"
        )
    return client, int(gen)


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise inputs.WebInputError("body: not valid JSON") from None


def compare_payload(
    req: inputs.CompareRequest,
    jit: bool = False,
    first: Any = None,
    keep: Callable[[Any], None] | None = None,
    pool: api.WorkerPool | None = None,
) -> dict[str, Any]:
    """Simulate and answer: `crunchtime compare --json --no-save`'s JSON plus the page's extras.

    `first` (a kept first answer of the same comparison) is refined by adding worlds (`api.refine`) instead
    of simulating all of them; `keep` is handed the comparison (to refine it later). `pool` (warm worker
    processes, `api.worker_pool`) runs the worlds' chunks; the numbers are the same without it.
    """
    if first is not None and first.results[first.plans[0]].samples < req.samples:
        cmp = api.refine(first, req.samples, design=req.design(), jit=jit, pool=pool)
    else:
        cmp = api.compare(
            req.scenario, list(req.plans), samples=req.samples, seed=req.seed, design=req.design(), jit=jit, pool=pool
        )
    if keep is not None:
        keep(cmp)
    return cmp.summary() | {"parameters": req.parameters, "page": extras.page_data(cmp, req.world)}


def create_app(
    home: str | None = None,
    max_samples: int = limits.MAX_COMPARE_SAMPLES,
    jit: bool = False,
    allowed_hosts: Sequence[str] | None = None,
    workers: int = 1,
) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    home : str, optional
        The run store that report jobs save into (default as for `api.save_run`).
    max_samples : int
        Cap on `samples` of /api/compare.
    jit : bool
        Answer /api/compare with the JAX-compiled engine (`api.compare(jit=True)`); report downloads keep numpy.
    allowed_hosts : sequence of str, optional
        The `Host` header values answered (`security.served_hosts(host, port)` for a bound address); others
        get HTTP 421, and POSTs from another origin HTTP 403. Default: loopback names on any port and the
        TestClient's `testserver`.
    workers : int
        Worker processes for /api/compare: 1 simulates in the server's process; more start a pool of warm
        processes (`api.worker_pool`) when the app starts up (its lifespan: uvicorn, or a TestClient used as
        a context manager) and close it when it shuts down. With `jit` each worker compiles the model
        (`api.worker_pool(jit=True)`). The numbers do not depend on it.

    Returns
    -------
    FastAPI
        Serve it with uvicorn (`crunchtime serve` does), or drive it with `fastapi.testclient.TestClient`.
    """
    generations, slot, jobs = Generations(), ComputeSlot(), ReportJobs(home)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the pool starts with the server (its workers warm up in the background while it begins to listen)
        app.state.pool = api.worker_pool(workers, jit=jit) if workers > 1 else None
        try:
            yield
        finally:
            jobs.close()
            if app.state.pool is not None:
                app.state.pool.close()

    app = FastAPI(title="crunchtime arcade", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.generations, app.state.jobs, app.state.pool = generations, jobs, None
    app.add_middleware(BodyLimit, max_bytes=limits.MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostOriginGuard, allowed_hosts=tuple(allowed_hosts or DEFAULT_HOSTS))  # outermost
    _add_error_handlers(app)
    _add_page_routes(app, max_samples, jit)
    _add_compute_routes(app, max_samples, jit, generations, slot)
    _add_report_routes(app, jobs)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every refusal is one JSON line `{"error": ...}`: 400 for bad input, the HTTP status otherwise, 500 logged."""

    @app.exception_handler(inputs.WebInputError)
    async def _bad_input(request: Request, exc: inputs.WebInputError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(api.CrunchtimeError)
    async def _crunchtime_error(request: Request, exc: api.CrunchtimeError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        return _error(400, f"{'.'.join(str(x) for x in first['loc'])}: {first['msg']}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, exc.detail if isinstance(exc.detail, str) else "request refused")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s", request.url.path)
        return _error(500, f"internal error ({type(exc).__name__}); see the server's log")


def _add_page_routes(app: FastAPI, max_samples: int, jit: bool) -> None:
    """The page and what it reads to build itself: metadata, a scenario's sliders, a plan's params."""

    @app.get("/")
    async def index() -> Response:
        return Response((STATIC / "index.html").read_bytes(), media_type="text/html; charset=utf-8")

    @app.get("/api/meta")
    async def meta() -> dict[str, Any]:
        return {
            "version": api.__version__,
            "scenarios": [{"name": n, "description": d} for n, d in api.list_scenarios()],
            "plans": [{"name": n, "description": d} for n, d in api.list_plans()],
            "outcomes": list(api.OUTCOME_ORDER),
            "milestones": list(api.MILESTONES),
            "sources": list(api.SOURCES),
            "world_outcomes": list(api.WORLD_ORDER),
            "magma_paths": list(api.PATH_ORDER),
            "horizon_risk_months": api.HORIZON_RISK_MONTHS,
            "labels": {
                "outcomes": api.OUTCOME_LABELS,
                "milestones": api.MILESTONE_LABELS,
                "sources": api.SOURCE_LABELS,
                "world_outcomes": api.WORLD_LABELS,
                "magma_paths": api.PATH_LABELS,
            },
            "colors": {
                "outcomes": api.OUTCOME_COLORS,
                "sources": api.SOURCE_COLORS,
                "world_outcomes": api.WORLD_COLORS,
                "magma_paths": api.PATH_COLORS,
            },
            "limits": {
                "interactive_samples": limits.INTERACTIVE_SAMPLES,
                "max_samples": max_samples,
                "report_samples": limits.REPORT_SAMPLES,
                "max_report_samples": limits.MAX_REPORT_SAMPLES,
                "max_plan_text": limits.MAX_PLAN_TEXT,
            },
            "beliefs_note": api.BELIEFS_NOTE,
            "engine": "jit" if jit else "numpy",
        }

    @app.get("/api/scenario/{name}")
    async def scenario(name: str) -> dict[str, Any]:
        sc = inputs.scenario(name)
        return {
            "name": sc.name,
            "description": sc.description,
            "start": sc.start,
            "horizon_months": sc.horizon_months,
            "actors": list(sc.actor_names),
            "sliders": sliders.sliders(sc),
        }

    @app.get("/api/plan/{name}")
    async def plan_by_name(name: str) -> dict[str, Any]:
        if name not in [n for n, _ in api.list_plans()]:
            raise inputs.WebInputError(f"plan: no built-in plan {name[:60]!r}")
        return sliders.plan_info(api.load_plan(name))

    @app.post("/api/plan")
    async def plan_from_text(request: Request) -> dict[str, Any]:
        body = await _json(request)
        if not isinstance(body, dict):
            raise inputs.WebInputError("body: expected a JSON object {yaml, params, name}")
        text = body.get("yaml")
        if not isinstance(text, str) or ":" not in text:
            raise inputs.WebInputError("yaml: expected plan YAML text")
        plan = inputs.plan(text, "plan")
        if body.get("params") is None and body.get("name") is None:
            return sliders.plan_info(plan)
        return sliders.plan_info(inputs.retuned(plan, body.get("params") or {}, body.get("name")))


def _add_compute_routes(
    app: FastAPI,
    max_samples: int,
    jit: bool,
    generations: Generations,
    slot: ComputeSlot,
) -> None:
    """The slider moves: one paired comparison per request, stale requests dropped; a move's first answer
    (256 worlds) is kept so that its refinement under the same generation only adds worlds. Under `--jit` in
    one process every answer is simulated whole (the compiled programs are cached by whole-run chunk shapes;
    on a pool they run one block at a time, so refinement works there too). With a worker pool, a newer move
    of the client whose move is computing cancels that move's queued chunks."""
    firsts = FirstAnswers()
    app.state.first_answers = firsts

    @app.post("/api/compare")
    async def compare(request: Request) -> Response:
        client, gen = _stale_headers(request)
        body = await _json(request)
        req = inputs.compare_request(body, max_samples)
        pool = request.app.state.pool
        key = None if jit and pool is None else FirstAnswers.key(client, gen, body)
        generations.register(client, gen)
        if pool is not None and slot.running is not None and generations.superseded(*slot.running):
            pool.cancel()  # the move computing now is this client's older one: drop its queued chunks
        async with slot.lock:
            if generations.superseded(client, gen) or await request.is_disconnected():
                return _error(409, "superseded by a newer request", superseded=True)
            first = firsts.get(key) if req.samples > limits.FIRST_SAMPLES else None
            keep = (lambda cmp: firsts.put(key, cmp)) if key and req.samples == limits.FIRST_SAMPLES else None
            slot.running = (client, gen)
            try:
                payload = await anyio.to_thread.run_sync(compare_payload, req, jit, first, keep, pool)
            except api.RunCancelled:
                return _error(409, "superseded by a newer request", superseded=True)
            finally:
                slot.running = None
        return JSONResponse(payload)

    @app.post("/api/compiled")
    async def compiled(request: Request) -> dict[str, Any]:
        """Whether /api/compare with this body answers without compiling first (always, under numpy)."""
        req = inputs.compare_request(await _json(request), max_samples)
        ready = not jit or api.jit_ready(req.scenario, list(req.plans), req.samples, pool=request.app.state.pool)
        return {"compiled": ready, "engine": "jit" if jit else "numpy"}


def _add_report_routes(app: FastAPI, jobs: ReportJobs) -> None:
    """Report downloads: a background job per request, its state, and its finished file."""

    @app.post("/api/report")
    async def report(request: Request) -> dict[str, Any]:
        body = await _json(request)
        if isinstance(body, dict) and "samples" not in body:
            body = {**body, "samples": limits.REPORT_SAMPLES}
        req = inputs.compare_request(body, limits.MAX_REPORT_SAMPLES)
        return jobs.submit(req).to_dict()

    @app.get("/api/report/{job_id}")
    async def report_state(job_id: str) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise StarletteHTTPException(404, f"no report job {job_id[:20]!r}")
        return job.to_dict()

    @app.get("/api/report/{job_id}/html")
    async def report_file(job_id: str) -> Response:
        job = jobs.get(job_id)
        if job is None or job.state != "done" or job.path is None:
            raise StarletteHTTPException(404, f"no finished report {job_id[:20]!r}")
        name = re.sub(r"[^A-Za-z0-9._-]", "_", job.filename)
        return FileResponse(job.path, media_type="text/html", filename=name)
