"""Demo Phase 2 data for the raw tables: simulated (generate) or loaded from real files."""
