"""Code that runs inside the Rasa server's environment: an NLU component and the REST channel."""
