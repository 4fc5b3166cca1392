"""Real editors (Neovim, Emacs + Eglot) driving floe-lsp end to end."""
