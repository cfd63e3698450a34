"""A typed client for Arize AX tasks and task runs, usable without Pulumi."""
