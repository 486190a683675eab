"""The staff console: a server-rendered web app over the data layer (`knowledge/`) only."""
