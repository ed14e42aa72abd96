"""Real Phase 2 data: stats.nba.com exports (CSV files written from nba_api) loaded into
the raw tables, the way the demo generator fills them with simulated games.

``nba_api`` checks every file and writes whole dates (``nba-backfill load``);
``csv_formats`` parses the exports' value formats. docs/real-data.md has the how-to.
"""
