// The posts API's types, from the types generated out of docs/posts-api.yaml (npm run gen:types):
// change the document, not these names.
import type { components, operations } from './generated/posts';

type Schemas = components['schemas'];

export type Post = Schemas['Post'];

export type PostPageResponse = Schemas['PostPage'];

export type MinutePoint = Schemas['MinutePoint'];

export type StreamInfo = Schemas['StreamInfo'];

export type StreamStatsResponse = Schemas['StreamStats'];

/** The query of `GET /posts` the stream page filters by. */
export type PostFilter = Pick<
  NonNullable<operations['listPosts']['parameters']['query']>,
  'hashtag' | 'author'
>;
