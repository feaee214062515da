"""SQLAlchemy Core adapter: one schema, repositories, SQLite and PostgreSQL engines."""
