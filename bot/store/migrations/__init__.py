"""Alembic migrations of the supportbot database (run by ``Store.migrate``)."""
