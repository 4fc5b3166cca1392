"""Asset modules of the example shop pipeline, listed under orchestration.asset_modules."""
