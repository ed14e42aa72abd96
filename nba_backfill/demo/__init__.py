"""Demo Phase 2 data for the raw tables: simulated (generate) and written (write).
Real stats.nba.com files are loaded by ``nba_backfill.ingest`` instead."""
