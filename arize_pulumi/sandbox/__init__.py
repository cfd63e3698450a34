"""An Arize-compatible local API server: ``python -m arize_pulumi.sandbox``.

Importing this package is cheap; the web framework is only loaded by ``app`` and
``__main__``, which need the ``sandbox`` extra (fastapi, uvicorn, pyyaml).
"""
