from floe_runtime import load_definitions

defs = load_definitions("floe.yaml")
