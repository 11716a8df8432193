import type { webApi } from '@slack/bolt';
import { uploadFiles } from './upload-file.js';

/** Posts the cost digest to a channel: the text, then the chart in its thread. */
export async function postDigest(client: webApi.WebClient, channel: string, text: string, png: Buffer): Promise<void> {
  const message = await client.chat.postMessage({ channel, text });
  await uploadFiles(client, channel, message.ts, [{ filename: 'cost-digest.png', title: 'Cost digest', data: png }]);
}
