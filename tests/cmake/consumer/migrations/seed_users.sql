-- Seed data for local development; not a migration (add_migrations IGNOREs seed_*.sql).
INSERT INTO users (email) VALUES ('dev@example.com');
