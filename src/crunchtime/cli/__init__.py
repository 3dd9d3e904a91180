"""Command-line shell: thin typer commands over the public Python API."""
