"""Helpers for make: the demo, and the Pulumi CLI (ensure-pulumi)."""
