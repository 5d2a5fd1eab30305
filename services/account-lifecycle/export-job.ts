import { database } from '../../d1/db.js';
import { findAccountById, findAccountsByIds } from '../../d1/queries/accounts.js';
import { listContacts } from '../../d1/queries/contacts.js';
import { endExport, finishExport, findExport, saveExportProgress, type ExportRow } from '../../d1/queries/data-exports.js';
import { findFile } from '../../d1/queries/files.js';
import type { Dialog, Message } from '../../protocol/messages.js';
import type { Env } from '../../durable-objects/env.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { partSizeFrom } from '../../r2/plan.js';
import { putStreamed, zipStream, type ArchiveEntry } from './export-archive.js';
import { runSteps, type Step } from './steps.js';

/** The archive's link works this long after it is built (DATA_EXPORT_LINK_TTL_MS); then the archive is deleted. */
export const DEFAULT_EXPORT_LINK_TTL_MS = 24 * 3600_000;
/** Pages one alarm run does before it hands the rest to the next run. */
const PAGES_PER_RUN = 50;
/** Messages read per page of a chat's history (the history read's own maximum). */
const MESSAGES_PER_PAGE = 100;

export function exportLinkTtlMs(env: Pick<Env, 'DATA_EXPORT_LINK_TTL_MS'>): number {
  const ms = Number(env.DATA_EXPORT_LINK_TTL_MS);
  return env.DATA_EXPORT_LINK_TTL_MS && Number.isSafeInteger(ms) && ms > 0 ? ms : DEFAULT_EXPORT_LINK_TTL_MS;
}

export const archiveKey = (exportId: string) => `exports/${exportId}/archive.zip`;
const stagePrefix = (exportId: string) => `exports/${exportId}/stage/`;
/** Zero-padded, so R2's lexicographic listing returns chats and pages in order. */
const pad = (n: number) => String(n).padStart(12, '0');
const pageKey = (exportId: string, chatId: number, page: number) => `${stagePrefix(exportId)}chats/${pad(chatId)}/${pad(page)}.json`;
const dialogsKey = (exportId: string) => `${stagePrefix(exportId)}dialogs.json`;

/** A chat as result.json lists it. */
type ChatEntry = { id: number; kind: string; title: string | null; peer?: { id: number; name: string } | null; messages_file: string };

export type ExportHost = {
  env: Env;
  accountId: number;
  now: () => number;
  /** Every dialog of the account, newest first (its mailbox's own list). */
  dialogs(): Promise<Dialog[]>;
};

const encoder = new TextEncoder();
async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield encoder.encode(text);
}

/**
 * The export's steps (ARCHITECTURE.md, "Data export"), each page idempotent
 * (a page rewrites the same staged object):
 * 1. dialogs: the account's chats the caller is still in, staged as one list;
 * 2. chats: each chat's history as the account sees it, read through the
 *    ChatRoom's history verb (the same authorization as any read), a page
 *    of 100 messages per staged object; a chat that refuses is skipped;
 * 3. archive: the zip streamed from the staged pages, contacts and the
 *    media of the staged messages (read from R2) into one R2 object.
 */
export function exportSteps(host: ExportHost, row: ExportRow): Array<readonly [string, Step]> {
  const { env, accountId } = host;
  const db = database(env.DB);
  const bucket = env.MEDIA;
  const exportId = row.id;

  const dialogs: Step = async () => {
    const chats = (await host.dialogs()).filter((d) => d.is_member).map((d) => d.chat);
    const peerIds = chats.flatMap((c) => (c.kind === 'private' ? c.member_ids.filter((id) => id !== accountId) : []));
    const peers = new Map((await findAccountsByIds(db, peerIds)).map((a) => [a.id, a.deletedAt ? 'Deleted Account' : a.displayName]));
    const list: ChatEntry[] = chats.map((c) => {
      const peerId = c.kind === 'private' ? (c.member_ids.find((id) => id !== accountId) ?? accountId) : null;
      return {
        id: c.id,
        kind: c.kind,
        title: c.title,
        ...(peerId !== null ? { peer: { id: peerId, name: peerId === accountId ? 'Saved Messages' : (peers.get(peerId) ?? '') } } : {}),
        messages_file: `chats/chat_${c.id}/messages.jsonl`,
      };
    });
    await bucket.put(dialogsKey(exportId), JSON.stringify(list));
    await saveExportProgress(db, exportId, { step: 'dialogs', cursor: null, chatsTotal: list.length });
    return { done: true };
  };

  let chatList: ChatEntry[] | undefined;
  const readChatList = async (): Promise<ChatEntry[]> => {
    chatList ??= JSON.parse((await (await bucket.get(dialogsKey(exportId)))?.text()) ?? '[]') as ChatEntry[];
    return chatList;
  };

  /** Cursor: `<chat index>:<last message id>:<page>:<messages so far>`. */
  const chats: Step = async (cursor) => {
    const list = await readChatList();
    const [index, afterId, page, counted] = (cursor ?? '0:0:0:0').split(':').map(Number) as [number, number, number, number];
    const chat = list[index];
    if (!chat) return { done: true };
    const read = await chatRoom(env, chat.id).getHistory(accountId, { offset_id: afterId, direction: 'after', limit: MESSAGES_PER_PAGE });
    const messages = read.ok ? read.value : [];
    if (messages.length > 0) await bucket.put(pageKey(exportId, chat.id, page), JSON.stringify(messages));
    const total = counted + messages.length;
    const chatDone = messages.length < MESSAGES_PER_PAGE;
    const next = chatDone ? `${index + 1}:0:0:${total}` : `${index}:${messages.at(-1)!.id}:${page + 1}:${total}`;
    await saveExportProgress(db, exportId, { step: 'chats', cursor: next, chatsDone: chatDone ? index + 1 : index, messages: total });
    return chatDone && index + 1 >= list.length ? { done: true } : { done: false, cursor: next };
  };

  const archive: Step = async () => {
    const list = await readChatList();
    const size = await putStreamed(bucket, archiveKey(exportId), zipStream(archiveEntries(host, exportId, list)), partSizeFrom(env.MEDIA_PART_SIZE), 'application/zip');
    await saveExportProgress(db, exportId, { step: 'archive', cursor: String(size) });
    return { done: true };
  };

  return [
    ['dialogs', dialogs],
    ['chats', chats],
    ['archive', archive],
  ];
}

/** The staged page objects of one chat, in order. */
async function* stagedPages(bucket: R2Bucket, exportId: string, chatId: number): AsyncGenerator<Message[]> {
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: `${stagePrefix(exportId)}chats/${pad(chatId)}/`, ...(cursor ? { cursor } : {}) });
    for (const object of listed.objects) {
      const body = await bucket.get(object.key);
      if (body) yield JSON.parse(await body.text()) as Message[];
    }
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
}

/** A name safe inside a zip path: no separators, no dot-only names. */
function safeName(name: string | null, fallback: string): string {
  const cleaned = (name ?? '').replace(/[\\/\u0000-\u001f]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return cleaned || fallback;
}

async function* archiveEntries(host: ExportHost, exportId: string, list: ChatEntry[]): AsyncGenerator<ArchiveEntry> {
  const { env, accountId } = host;
  const db = database(env.DB);
  const account = await findAccountById(db, accountId);
  const contacts = await listContacts(db, accountId);
  const result = {
    about: 'Edgegram data export: your account, contacts and chats. Each chat’s messages are JSON lines in its messages_file; media sit under media/.',
    exported_at: host.now(),
    account: account ? { id: account.id, username: account.username, display_name: account.displayName, about: account.about, created_at: account.createdAt } : null,
    contacts: contacts.map((c) => ({ user_id: c.contactId, first_name: c.firstName, last_name: c.lastName, mutual: c.mutual, added_at: c.addedAt })),
    chats: list,
  };
  yield { name: 'result.json', compress: true, chunks: once(JSON.stringify(result, null, 2)) };
  const media = new Map<string, string>();
  for (const chat of list) {
    const lines = async function* () {
      for await (const page of stagedPages(env.MEDIA, exportId, chat.id)) {
        for (const m of page) {
          for (const file of [m.media?.file, m.media?.thumb]) if (file) media.set(file.id, safeName(file.file_name, 'file'));
        }
        yield encoder.encode(page.map((m) => `${JSON.stringify(m)}\n`).join(''));
      }
    };
    yield { name: chat.messages_file, compress: true, chunks: lines() };
  }
  // Media the account can see in its chats, copied from their R2 objects (a file freed meanwhile is left out).
  for (const [fileId, name] of media) {
    const file = await findFile(db, fileId);
    const object = file ? await env.MEDIA.get(file.r2Key) : null;
    if (!object) continue;
    yield { name: `media/${fileId}/${name}`, compress: false, chunks: object.body as unknown as AsyncIterable<Uint8Array> };
  }
}

/**
 * The mailbox alarm's export job: builds a running export from its recorded
 * step to the end; deletes an archive whose link expired. Answers when to
 * run again (the expiry of a finished one), else null.
 */
export async function runDataExport(host: ExportHost): Promise<number | null> {
  const db = database(host.env.DB);
  const row = await findExport(db, host.accountId);
  if (!row) return null;
  const now = host.now();
  if (row.state === 'done') {
    if (row.expiresAt !== null && row.expiresAt > now) return row.expiresAt;
    await host.env.MEDIA.delete(archiveKey(row.id));
    await endExport(db, row.id, 'expired');
    return null;
  }
  if (row.state !== 'running') return null;
  const finished = await runSteps(
    {
      load: async () => ({ step: row.step, cursor: row.cursor }),
      save: (p) => saveExportProgress(db, row.id, { step: p.step, cursor: p.cursor }),
    },
    exportSteps(host, row),
    PAGES_PER_RUN,
  );
  // The rest in the next alarm run, at once: each run's subrequests stay bounded.
  if (!finished) return host.now();
  const head = await host.env.MEDIA.head(archiveKey(row.id));
  const expiresAt = host.now() + exportLinkTtlMs(host.env);
  await finishExport(db, row.id, head?.size ?? 0, host.now(), expiresAt);
  await deleteStaged(host.env.MEDIA, row.id);
  console.log(JSON.stringify({ event: 'data_export_done', accountId: host.accountId, size: head?.size ?? 0 }));
  return expiresAt;
}

async function deleteStaged(bucket: R2Bucket, exportId: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const listed = await bucket.list({ prefix: stagePrefix(exportId), ...(cursor ? { cursor } : {}) });
    if (listed.objects.length > 0) await bucket.delete(listed.objects.map((o) => o.key));
    cursor = listed.truncated ? listed.cursor : undefined;
  } while (cursor);
}
