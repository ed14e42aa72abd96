"""Operator commands behind the CLI: preflight, plan, gaps (+ heatmap), validate, report.

Each module returns plain data (with ``as_dict`` for ``--json``) and text lines; the CLI
only parses arguments and prints.
"""
