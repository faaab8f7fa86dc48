"""convrec.ui: see ARCHITECTURE.md."""
