import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
import type { PostFilter, PostPageResponse, StreamStatsResponse } from '../types/posts';

/** The stream page's routes, on top of the generic API client. */
export interface PostsApi {
  listPosts(filter: PostFilter, cursor?: string, options?: RequestOptions): Promise<PostPageResponse>;
  streamStats(minutes: number, options?: RequestOptions): Promise<StreamStatsResponse>;
}

export function createPostsApi(client: ApiClient): PostsApi {
  return {
    listPosts: (filter, cursor, options) =>
      client.get<PostPageResponse>('/posts', {
        ...options,
        query: {
          hashtag: filter.hashtag || undefined,
          author: filter.author || undefined,
          cursor,
          limit: 30,
        },
      }),
    streamStats: (minutes, options) =>
      client.get<StreamStatsResponse>('/stream/stats', { ...options, query: { minutes } }),
  };
}

export function usePostsApi(): PostsApi {
  return createPostsApi(useApi());
}
