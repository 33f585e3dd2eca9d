"""Alembic environment: runs on the connection APOK hands over, or on APOK_DATABASE_URL from the command line."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == 'sqlite',
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get('connection')
if connection is not None:
    run_on(connection)
else:
    from apok_ui.config import Settings

    with create_engine(Settings.from_env().database_url).begin() as own:
        run_on(own)
