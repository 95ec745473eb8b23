-- The fleet's samples per gateway read the gateway rollups of a time range. rollups_bucket
-- (resolution, bucket) finds that range but walks every device's rows of it too (a thousand devices
-- outnumber ten gateways a hundred to one), and the primary key leads with scope_id. A partial index
-- over the gateway rows alone: small, and only the few gateway rows of a batch maintain it
-- (bench queries: samples per gateway over 24 h took ~100 ms with 1,000 devices before it).
CREATE INDEX rollups_gateway_bucket ON rollups (resolution, bucket) WHERE scope = 'gateway';
