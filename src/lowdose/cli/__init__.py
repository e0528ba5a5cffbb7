"""The ``lowdose`` command line: Typer wiring over the core. Each command calls a plain function."""
