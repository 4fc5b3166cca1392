"""The ``floe`` command line: validate, fmt, schema and backfill.

It prints what floe_core finds and never imports anything heavy at start-up: the language
server's pygls and the runtime's dagster stay out of ``floe validate`` (the runtime is
imported by ``floe backfill`` only, when it runs).
"""
