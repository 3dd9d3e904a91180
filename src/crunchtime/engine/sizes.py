"""The engine's sizes and limits: plain numbers with no imports, so a command line can show them instantly."""

BLOCK = 256  # samples per random block (the unit of the random stream, never changes)
DEFAULT_CHUNK = 2048  # samples per work unit (a multiple of BLOCK)
QUANTILE_CAP = 20_000  # per-month quantiles use the first this-many trajectories (means use all)
MAX_SAMPLES = 10_000_000  # trajectories per plan in one call
MAX_WORKERS = 256  # local processes in one call
