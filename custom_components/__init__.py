"""Custom integrations (the test plugin needs this package)."""
