"""convrec.eval: see ARCHITECTURE.md."""
