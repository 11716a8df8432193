import type { webApi } from '@slack/bolt';

export interface UploadItem {
  filename: string;
  title: string;
  data: Buffer;
}

/** Uploads files into a thread with files.uploadV2 (getUploadURLExternal → POST bytes → completeUploadExternal). */
export async function uploadFiles(
  client: webApi.WebClient,
  channel: string,
  threadTs: string | undefined,
  items: UploadItem[],
  comment?: string,
): Promise<void> {
  if (items.length === 0) return;
  await client.filesUploadV2({
    channel_id: channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(comment ? { initial_comment: comment } : {}),
    file_uploads: items.map((i) => ({ file: i.data, filename: i.filename, title: i.title })),
  });
}
