"""Shared widgets of the officer and public screens."""
