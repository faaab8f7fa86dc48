"""convrec.agent: see ARCHITECTURE.md."""
