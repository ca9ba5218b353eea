"""The app's routers, one module per area. A router imports ``ui.deps``, ``ui.schemas`` and
``ui.pages``, never another router (an import-linter contract in pyproject.toml)."""
