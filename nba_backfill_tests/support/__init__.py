"""Helpers shared by the tests (plain modules, no tests and no fixtures: those live in conftest.py files)."""
