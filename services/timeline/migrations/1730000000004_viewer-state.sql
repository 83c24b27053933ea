-- Up Migration
-- Who likes what, kept from like.created / like.deleted, so a page can say which of its tweets
-- the reader likes (viewer.liked). Likes from before this table are known only after the
-- engagements topic is replayed.
CREATE TABLE likes (
  user_id  BIGINT NOT NULL,
  tweet_id BIGINT NOT NULL,
  PRIMARY KEY (user_id, tweet_id)
);
-- viewer.retweeted looks up the reader's retweets among a page's tweets; retweets_user would
-- scan every retweet the reader ever made.
CREATE INDEX retweets_user_tweet ON retweets (user_id, tweet_id);

-- Down Migration
DROP INDEX retweets_user_tweet;
DROP TABLE likes;
