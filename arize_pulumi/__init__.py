"""Arize AX evaluation tasks and task runs as Pulumi resources."""
