-- The tracker store's database, beside the project's (deploy/compose.yml's postgres service).
CREATE DATABASE changzheng_tracker;
