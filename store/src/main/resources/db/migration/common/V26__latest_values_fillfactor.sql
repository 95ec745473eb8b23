-- Every batch updates the latest value of each device and metric it carries. With room left on
-- each page the update can stay on the page (a HOT update) and skip the primary key index; full
-- pages (the default fillfactor 100) make every update write a new index entry too. Applies to
-- pages written from now on.
ALTER TABLE latest_values SET (fillfactor = 70);
