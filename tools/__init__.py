"""convrec.tools: see ARCHITECTURE.md."""
