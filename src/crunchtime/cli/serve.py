"""`crunchtime serve`: the arcade, a local web app where every slider re-simulates a thousand worlds."""

from __future__ import annotations

import sys
import threading
import webbrowser

import typer

from crunchtime import api
from crunchtime.web import web_app

#: the only host served without a warning: this machine alone can reach it
LOCAL_HOST = "127.0.0.1"
#: seconds after start-up before `--open` opens the browser (uvicorn binds in well under this)
OPEN_DELAY_S = 1.0


def serve(
    port: int = typer.Option(8765, "--port", help="TCP port to listen on (1..65535)."),
    host: str = typer.Option(
        LOCAL_HOST,
        "--host",
        help="Address to bind; anything but 127.0.0.1 is reachable from other machines (a warning is printed).",
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the URL (no request log)."),
    jit: bool = typer.Option(
        False,
        "--jit",
        help="Answer the sliders with the JAX-compiled engine (pip install "
        '"crunchtime[jit]"): on a GPU within the latency target, on a CPU the fastest with --workers; '
        "each new plan compiles first (seconds).",
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        help="Worker processes that split each move's worlds, started once with the server (default: this "
        "machine's cores, at most 8; 1 simulates in the server's process; with --jit on a GPU, 1). The numbers "
        "do not depend on it (under --jit: to about 1e-16).",
        show_default=False,
    ),
) -> None:
    """Start the arcade: a local web page with belief and plan sliders, re-simulated on every move.

    The page compares a plan with a pinned baseline on 1,024 paired worlds per move: outcomes with
    intervals, the paired difference, the Figure 2 timeline, risk by source, and one sampled world played
    month by month. Needs `pip install "crunchtime[web]"`. Stop it with Ctrl-C.

    \b
    Example: crunchtime serve --port 8765 --open
    """
    if not 1 <= port <= 65535:
        raise api.ArgumentError("port", f"must be in 1..65535, got {port}")
    where = api.jit_device() if jit else "cpu"
    on_gpu = jit and not api.jit_on_cpu()
    if workers is None:
        workers = 1 if on_gpu else api.default_workers()
    elif on_gpu and workers > 1:
        raise api.ArgumentError("workers", f"the jit runs on {where}: one process uses it; give 1 (or leave it out)")
    app = web_app(jit=jit, host=host, port=port, workers=workers)
    try:
        import uvicorn
    except ImportError:
        raise api.CrunchtimeError('the web app needs uvicorn: pip install "crunchtime[web]"') from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if host != LOCAL_HOST:
        print(
            f"warning: serving on {host}: anyone who can reach this address can run simulations on this "
            "machine; the app has no login",
            file=sys.stderr,
        )
    print(f"crunchtime arcade: {url}  (Ctrl-C to stop)", flush=True)
    if workers > 1 and not quiet:
        print(f"workers: {workers} warm processes split each move's worlds (--workers)", flush=True)
    if jit:
        what = "pair of plans compiles" if workers == 1 else "plan compiles in every worker"
        print(
            f"jit: the sliders' simulations run compiled on {where}; each new {what} first (seconds)", file=sys.stderr
        )
    if open_browser:
        threading.Timer(OPEN_DELAY_S, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning" if quiet else "info")
    except OSError as exc:
        raise api.CrunchtimeError(f"--port: cannot listen on {host}:{port} ({exc.strerror or exc})") from None
