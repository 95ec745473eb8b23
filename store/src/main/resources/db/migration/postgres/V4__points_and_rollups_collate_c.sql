-- As V3, for the plain flavour's time-series tables.
ALTER TABLE points
  ALTER COLUMN device_id TYPE text COLLATE "C",
  ALTER COLUMN gateway_id TYPE text COLLATE "C",
  ALTER COLUMN metric TYPE text COLLATE "C";
ALTER TABLE rollups
  ALTER COLUMN scope TYPE text COLLATE "C",
  ALTER COLUMN scope_id TYPE text COLLATE "C",
  ALTER COLUMN resolution TYPE text COLLATE "C",
  ALTER COLUMN metric TYPE text COLLATE "C";
