"""``python -m floe_lsp``: the same as the ``floe-lsp`` command."""

from floe_lsp.main import main

raise SystemExit(main())
