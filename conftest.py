"""Every pytest run in this project: notebooks share one mock gateway per session."""

pytest_plugins = ["helpers.notebook_session"]
