"""Tests in a real browser: scripts/develop's Home Assistant, driven through its UI."""
