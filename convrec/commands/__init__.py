"""Subcommands of the `convrec` CLI, one module per command group."""
