-- Milestones 3, 4 and 6: articles and their favorites. Tags are an array, which keeps their
-- order; a GIN index answers "articles with tag X". Favorites are one row per (article, user),
-- counted, never a counter read and written back.
CREATE TABLE articles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL CONSTRAINT articles_slug_key UNIQUE,
    title       text NOT NULL,
    description text NOT NULL,
    body        text NOT NULL,
    tag_list    text[] NOT NULL DEFAULT '{}',
    author_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_newest ON articles (created_at DESC, id DESC);
CREATE INDEX articles_author ON articles (author_id);
CREATE INDEX articles_tags ON articles USING gin (tag_list);

CREATE TABLE favorites (
    article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX favorites_user ON favorites (user_id);
