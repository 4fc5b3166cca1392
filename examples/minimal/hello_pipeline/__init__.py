"""The minimal example's Python code."""
