-- Jobs that must run on one instance at a time (the clean-up) hold this lease while they run. last_owner keeps
-- the run that last took it from taking it again within the same run.
CREATE TABLE job_leases (
    job          VARCHAR(32) PRIMARY KEY,
    lease_owner  VARCHAR(100),
    leased_until TIMESTAMP WITH TIME ZONE,
    last_owner   VARCHAR(100)
);

-- What the clean-up removed, per run.
ALTER TABLE job_runs ADD COLUMN removed_files BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE job_runs ADD COLUMN removed_bytes BIGINT DEFAULT 0 NOT NULL;

-- Set when the clean-up removed the original (a long-FAILED avatar's, or a READY one's with keep-originals off).
ALTER TABLE avatars ADD COLUMN original_removed_at TIMESTAMP WITH TIME ZONE;
