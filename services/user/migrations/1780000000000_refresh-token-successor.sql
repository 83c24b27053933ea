-- Up Migration
-- The token a refresh issued in place of this one. A client whose refresh response was lost (a
-- reload mid-request) presents the spent token again: while its successor is unused and within
-- the grace period, that is a retry, not a theft (services/user/src/auth/auth.service.ts).
ALTER TABLE refresh_tokens ADD COLUMN replaced_by UUID;

-- Down Migration
ALTER TABLE refresh_tokens DROP COLUMN replaced_by;
