"""Results: what a simulation returns (outcomes with their uncertainty, milestones, risk, series), how it reads in a
terminal and a notebook, and the run store (Parquet tables and JSON per run, catalogued in DuckDB)."""
