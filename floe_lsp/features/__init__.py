"""Language features, one module each. Every module that defines
``register(server: FloeLanguageServer) -> None`` is discovered and registered by
floe_lsp.server, in module-name order."""
