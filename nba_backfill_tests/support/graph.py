"""The asset graph as plain data, for the snapshot test (test_definitions.py): every change
to assets, dependencies, partition mappings, checks, jobs, schedules or sensors shows up
in review as a diff of ``nba_backfill_tests/snapshots/definitions.json``."""

from __future__ import annotations

import dagster as dg


def snapshot(defs: dg.Definitions) -> dict:
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        checks = {
            check_key.name: {"blocking": graph.get_check_spec(check_key).blocking}
            for check_key in sorted(node.check_keys, key=lambda k: k.name)
        }
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "kinds": sorted(node.kinds),
            "materializable": node.is_materializable,
            "partitions": type(node.partitions_def).__name__ if node.partitions_def else None,
            "deps": {
                parent.to_user_string(): _mapping(graph, key, parent)
                for parent in sorted(node.parent_keys, key=lambda k: k.to_user_string())
            },
            "lookbacks": dict(node.metadata.get("lookbacks") or {}),
            "checks": checks,
        }
    return {
        "assets": assets,
        "jobs": sorted(job.name for job in defs.jobs or ()),
        "schedules": {s.name: {"cron": s.cron_schedule, "job": s.job_name} for s in defs.schedules or ()},
        "sensors": {s.name: {"interval_seconds": s.minimum_interval_seconds,
                             "default_status": s.default_status.value} for s in defs.sensors or ()},
    }


def _mapping(graph, child: dg.AssetKey, parent: dg.AssetKey) -> str:
    mapping = graph.get_partition_mapping(child, parent)
    return repr(mapping) if mapping is not None else "none"
