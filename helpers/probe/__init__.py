"""`python -m helpers.probe`: small checks against the configured gateway, one per [guess] of the
mock a user's key can observe, printed as a table and written as a JSON report."""
