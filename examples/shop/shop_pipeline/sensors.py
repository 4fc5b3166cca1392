"""Sensor and partition functions named by floe.yaml (local resources only)."""

from pathlib import Path


def check_local_condition(file_path: str, threshold: int = 1000) -> bool:
    """Whether the status file exists and holds at least ``threshold`` bytes."""
    path = Path(file_path)
    return path.exists() and path.stat().st_size >= threshold


def get_active_customers() -> list[str]:
    """The customers whose segments are kept as partitions."""
    return ["c-001", "c-002"]
