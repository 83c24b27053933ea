-- Runs once, when the postgres container initialises an empty data directory. Each service owns
-- its database; the services create their tables themselves (migrate.cli.ts) before they start.
CREATE DATABASE starling_user;
CREATE DATABASE starling_tweet;
CREATE DATABASE starling_follower;
CREATE DATABASE starling_timeline;
CREATE DATABASE starling_notification;
CREATE DATABASE starling_dm;
CREATE DATABASE starling_media;
