-- One run history for every job on the engine; the runs before this were all the thumbnail job's.
ALTER TABLE job_runs ADD COLUMN job VARCHAR(32) DEFAULT 'thumbnails' NOT NULL;
ALTER TABLE job_runs DROP CONSTRAINT ck_job_runs_trigger;
ALTER TABLE job_runs ADD CONSTRAINT ck_job_runs_trigger
    CHECK (run_trigger IN ('SCHEDULE', 'CLI', 'API', 'STARTUP', 'UPLOAD'));
CREATE INDEX ix_job_runs_job_started_at ON job_runs (job, started_at);
