-- Rate limits as fixed windows: one row per bucket (e.g. 'upload:user:42') and window, counted up by an
-- UPDATE that refuses past the limit. Shared by every instance on one database.
CREATE TABLE rate_limits (
    bucket       VARCHAR(200) NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    hits         INTEGER NOT NULL,
    CONSTRAINT pk_rate_limits PRIMARY KEY (bucket, window_start)
);

CREATE INDEX ix_rate_limits_window_start ON rate_limits (window_start);
