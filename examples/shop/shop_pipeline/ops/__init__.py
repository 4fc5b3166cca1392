"""Maintenance functions run by the example's ops jobs."""
