-- Milestone 5: where a product's image is, once an admin has uploaded one.
ALTER TABLE products ADD COLUMN image_url text;
