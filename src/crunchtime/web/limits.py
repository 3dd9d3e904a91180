"""Every bound the web app puts on its inputs, in one place, with the reason for each."""

from __future__ import annotations

#: trajectories per plan the page asks for on each slider move (the issue's "a thousand worlds")
INTERACTIVE_SAMPLES = 1024
#: worlds of a move's first answer (one random block); the refinement adds worlds to it (docs/web.md)
FIRST_SAMPLES = 256
#: first answers kept for their refinement (a few MB each; one per client at a time)
MAX_FIRST_ANSWERS = 8
#: largest `samples` of one /api/compare request: about five seconds of compute here for two plans, so
#: one request cannot hold the (single) compute slot for long
MAX_COMPARE_SAMPLES = 20_000
#: worlds of a move's first answer (one random block); the refinement adds worlds to it (docs/web.md)
FIRST_SAMPLES = 256
#: first answers kept for their refinement (a few MB each; one per client at a time)
MAX_FIRST_ANSWERS = 8
#: largest `samples` of a report job (a background job with a progress bar; about a minute here)
MAX_REPORT_SAMPLES = 50_000
#: default `samples` of the "download report" button: four times the interactive count
REPORT_SAMPLES = 4096
#: plans per request: a plan and its baseline, plus room for scripts comparing a few
MAX_PLANS = 4
#: characters of one plan's YAML text (the longest built-in plan is about 6,000)
MAX_PLAN_TEXT = 64_000
#: bytes of a request body: MAX_PLANS texts plus parameters, with headroom
MAX_BODY_BYTES = 300_000
#: world parameters / actor fields one request may set
MAX_PARAMETERS = 64
#: length of the client id a page sends to have its stale requests dropped
MAX_CLIENT_ID = 64
#: clients whose latest request generation the server remembers (oldest forgotten first)
MAX_CLIENTS = 1024
#: finished report jobs kept for download (oldest deleted first)
MAX_REPORT_JOBS = 8
#: months of one sampled world sent to the page are all months; worlds to choose from are the first
#: this-many trajectories (the result keeps per-month series of its first QUANTILE_CAP trajectories)
MAX_WORLDS = 1024
