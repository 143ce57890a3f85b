-- Milestone 8: an article's cover image, the URL of its object in the bucket; NULL until set.
ALTER TABLE articles ADD COLUMN image text;
