"""Renderers of ``floe validate`` results: text for people, JSON (LSP) and GitHub annotations
for machines."""
