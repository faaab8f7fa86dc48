"""convrec.memory: see ARCHITECTURE.md."""
