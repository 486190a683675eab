"""The data layer: settings, database, FAQ entries and their import. Imports neither Rasa nor Telegram."""
