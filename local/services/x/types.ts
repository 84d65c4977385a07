/** A post (tweet) as the X API v2 describes it, with every field the local API can return. */
export interface XPost {
  id: string;
  text: string;
  edit_history_tweet_ids: string[];
  author_id: string;
  created_at: string;
  lang: string;
  conversation_id: string;
  possibly_sensitive: boolean;
  source: string;
  entities?: XEntities;
  referenced_tweets?: { type: 'retweeted' | 'quoted' | 'replied_to'; id: string }[];
  public_metrics: {
    retweet_count: number;
    reply_count: number;
    like_count: number;
    quote_count: number;
    bookmark_count: number;
    impression_count: number;
  };
}

/** Entities with code-point offsets into the text, as X gives them. */
export interface XEntities {
  hashtags?: { start: number; end: number; tag: string }[];
  mentions?: { start: number; end: number; username: string; id: string }[];
  urls?: { start: number; end: number; url: string; expanded_url: string; display_url: string }[];
}

/** An author. */
export interface XUser {
  id: string;
  name: string;
  username: string;
  created_at: string;
  description: string;
  verified: boolean;
  protected: boolean;
  public_metrics: {
    followers_count: number;
    following_count: number;
    tweet_count: number;
    listed_count: number;
  };
}

/** A filtered-stream rule. */
export interface StreamRule {
  id: string;
  value: string;
  tag?: string;
}
