"""The channel layer: adapters (Telegram, web chat) that talk to Rasa over its REST channel."""
