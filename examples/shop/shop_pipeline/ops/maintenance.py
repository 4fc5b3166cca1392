"""Warehouse maintenance: vacuum old snapshots, send alerts, special processing."""


def vacuum_old_snapshots(retention_days: int = 30, dry_run: bool = False) -> int:
    """Remove snapshots older than ``retention_days``; return how many were (or would be)."""
    del retention_days, dry_run
    return 0


def send_alert(channel: str = "data-team") -> None:
    """Tell the team that a run failed."""
    print(f"alerting {channel}")


def special_process() -> None:
    """Process the special flag file once it appears."""
    print("processing")
