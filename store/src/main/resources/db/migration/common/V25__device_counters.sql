ALTER TABLE devices ADD COLUMN duplicates_discarded bigint NOT NULL DEFAULT 0;
