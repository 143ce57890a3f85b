-- Milestone 2: who follows whom. The primary key makes a second follow a no-op
-- (ON CONFLICT DO NOTHING) and answers "whom does X follow" (the feed).
CREATE TABLE follows (
    follower_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (follower_id, followee_id)
);
