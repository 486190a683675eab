"""Custom actions, one module per concern; served by the rasa-sdk action server."""
