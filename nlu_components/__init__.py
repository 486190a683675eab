"""Custom components of the Rasa NLU pipeline (run inside the Rasa environment)."""
