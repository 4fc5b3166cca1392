"""floe_lsp: the floe.yaml language server (``floe-lsp --stdio``), thin handlers over floe_core."""

__version__ = "0.1.0"
