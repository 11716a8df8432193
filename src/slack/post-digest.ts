import type { webApi } from '@slack/bolt';
import type { PostMessage } from './pace-channel.js';
import { uploadFiles } from './upload-file.js';

/** Posts the cost digest to a channel: the text (through `post`, at the process's pace), then the chart in its thread. */
export async function postDigest(
  client: webApi.WebClient,
  post: PostMessage,
  channel: string,
  text: string,
  png: Buffer,
): Promise<void> {
  const message = await post({ channel, text });
  await uploadFiles(client, channel, message.ts, [{ filename: 'cost-digest.png', title: 'Cost digest', data: png }]);
}
