"""What every process shares: its settings from the environment, secrets, logging and the town's
clock. Standard library and pydantic only (Rasa's environment imports it too)."""
