-- Up Migration
-- The still frame a reporter may attach to a report of a video chat partner
-- (JPEG bytes, at most 150 KB): a column of the report, so it is deleted with
-- the report (REPORT_RETENTION_DAYS) and never outlives it. Reads of reports
-- name it only as frame IS NOT NULL; the bytes are read on their own.
ALTER TABLE reports ADD COLUMN frame bytea CHECK (octet_length(frame) <= 153600);

-- Down Migration
ALTER TABLE reports DROP COLUMN frame;
