"""One module per analysis kind, each with `section(summary, tables) -> crunchtime.report.analysis.Section`."""
