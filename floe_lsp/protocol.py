"""The cattrs converter floe-lsp reads and writes JSON-RPC messages with.

pygls' default converter validates in detail: the code cattrs generates for every message
type collects all the errors of a malformed message instead of stopping at the first. That
makes the first message of each type (``initialize``, with the client's whole capability
tree, above all) several times slower to read, and every later one slower too, for error
reports nobody reads: pygls logs a malformed message and drops it either way (the server
reports it with ``window/logMessage``). This converter stops at the first error.
"""

from __future__ import annotations

import cattrs
from lsprotocol import converters
from pygls.protocol import (
    JsonRPCNotification,
    JsonRPCRequestMessage,
    JsonRPCResponseMessage,
    _params_field_structure_hook,
    _result_field_structure_hook,
)


def fast_converter() -> cattrs.Converter:
    """pygls' converter (lsprotocol's hooks and the JSON-RPC envelopes), without detailed
    validation."""
    converter = converters.get_converter(cattrs.Converter(detailed_validation=False))
    converter.register_structure_hook(JsonRPCRequestMessage, _params_field_structure_hook)
    converter.register_structure_hook(JsonRPCResponseMessage, _result_field_structure_hook)
    converter.register_structure_hook(JsonRPCNotification, _params_field_structure_hook)
    return converter
