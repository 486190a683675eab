"""The project's database: typed models, the engine, Alembic migrations, and one repository
module per kind of record (suggestions, staff, outbox, audit, analytics …). Imports neither Rasa
nor Telegram."""
