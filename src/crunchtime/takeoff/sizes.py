"""The takeoff model's limits, apart from its numerics so a command line can show them without loading them."""

MAX_SIE_SAMPLES = 50_000_000  # about a minute on one core; more would run for hours unasked
