-- Milestone 1: users. Emails are unique whatever their case (an index on lower(email)),
-- usernames exactly as written (they are URLs: /api/profiles/{username}).
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL CONSTRAINT users_username_key UNIQUE,
    email         text NOT NULL,
    password_hash text NOT NULL,
    bio           text NOT NULL DEFAULT '',
    image         text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
