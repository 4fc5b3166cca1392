"""The example shop pipeline's Python code: assets, ops and sensor functions named by floe.yaml."""
