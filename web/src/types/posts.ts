/** Shapes of the stream page API (functions/posts/handlers/posts-api.ts). */

export interface Post {
  id: string;
  text: string;
  createdAt: string;
  authorId: string;
  authorUsername: string;
  authorName?: string;
  lang: string;
  hashtags: string[];
  mentions: string[];
  source: string;
  receivedAt: string;
}

export interface PostPageResponse {
  posts: Post[];
  nextCursor: string | null;
}

export interface MinutePoint {
  minute: string;
  posts: number;
  perSecond: number;
  activeShards: number;
}

export interface StreamInfo {
  streamName: string;
  status: string;
  openShardCount: number;
  retentionPeriodHours?: number;
  encryption?: string;
}

export interface StreamStatsResponse {
  generatedAt: string;
  stream: StreamInfo | null;
  series: MinutePoint[];
  rateSource: string;
}

export interface PostFilter {
  hashtag?: string;
  author?: string;
}
