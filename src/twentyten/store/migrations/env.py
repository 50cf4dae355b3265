"""Alembic environment: the caller passes an open connection (``twentyten.store.migrate``)."""

from alembic import context

from twentyten.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through twentyten.store.migrate (it passes the connection)")
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
