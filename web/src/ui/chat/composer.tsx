import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_LENGTH, type Message } from '../../../../protocol/messages.js';
import type { Peer } from '../../../../protocol/methods.js';
import { describeError } from '../../lib/errors.js';
import { parseMarkdown, toMarkdown } from '../../lib/markdown.js';
import { messagePreview } from '../../lib/rich-text.js';
import type { ChatKey } from '../../model/outbox.js';
import { noteSlowModeWait, slowModeUntil } from '../../model/slow-mode.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Icon } from '../common/icons.js';
import { wrapSelection, type FormatShortcut } from './format-shortcuts.js';
import { RecordingBar } from './recording-bar.js';
import { canRecordVoice, useVoiceRecorder } from './use-voice-recorder.js';

/** Unsent text per chat, kept while the app runs. */
/** Unsent text per chat (and per thread: `chat:<id>:thread:<root>`). */
const drafts = new Map<string, string>();

interface ComposerProps {
  chatKey: ChatKey;
  peer: Peer;
  chatId: number | null;
  replyTo: Message | null;
  /** In a thread's view: its root, which a message answers unless it replies to something else. */
  threadRootId?: number | null;
  /** In a forum topic's view: the topic its messages go to. */
  topicId?: number | null;
  editing: Message | null;
  replyName: string | null;
  onCancel: () => void;
  onSent: () => void;
  /** ArrowUp in an empty composer edits the user's last message, as in Telegram. */
  onEditLast: () => void;
  /** Files picked with the attach button or pasted. */
  onFiles: (files: File[]) => void;
  /** A recorded voice note, ready to send. */
  onVoice: (note: { file: File; duration: number }) => void;
  /** What the empty box says (a bot's keyboard may ask for something specific). */
  placeholder?: string | undefined;
  /** Before the box: a bot's command menu button. */
  leading?: ComponentChildren;
  /** A bot's reply keyboard is available: the button that shows or folds it. */
  keyboard?: { shown: boolean; toggle: () => void } | null;
  /** Slow mode, when the user is held to it (a plain member of a group that has it): seconds between messages. */
  slowModeSeconds?: number;
}


/**
 * The message box: Enter sends, Shift+Enter breaks the line; **bold**,
 * __italic__, ++underline++, ~~strike~~, `code`, ```pre``` and [links](https://…)
 * become entities (Ctrl+B/I/U, Ctrl+Shift+X/M, Ctrl+K wrap the selection).
 */
export function Composer(props: ComposerProps) {
  const messenger = useMessenger();
  const input = useRef<HTMLTextAreaElement>(null);
  const draftKey = props.threadRootId
    ? `${props.chatKey}:thread:${props.threadRootId}`
    : props.topicId
      ? `${props.chatKey}:topic:${props.topicId}`
      : props.chatKey;
  const [text, setText] = useState(() => drafts.get(draftKey) ?? '');
  const [saving, setSaving] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const recorder = useVoiceRecorder(props.onVoice);

  // Entering edit mode fills the box with the message (as markers); leaving it restores the draft.
  const mounted = useRef(false);
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    if (props.editing) setText(toMarkdown(props.editing.text, props.editing.entities));
    else setText(drafts.get(draftKey) ?? '');
    input.current?.focus();
  }, [props.editing?.id]);

  useEffect(() => {
    if (props.replyTo) input.current?.focus();
  }, [props.replyTo?.id]);

  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) input.current?.focus();
    return () => {
      if (props.chatId !== null) messenger.typing.stopped(props.chatId);
    };
  }, []);

  useLayoutEffect(() => {
    const el = input.current!;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 320)}px`;
  }, [text]);

  function update(value: string) {
    setText(value);
    if (!props.editing) drafts.set(draftKey, value);
    if (props.chatId !== null && !props.editing) {
      if (value.trim()) messenger.typing.typing(props.chatId);
      else messenger.typing.stopped(props.chatId);
    }
  }

  async function submit() {
    const { text: plain, entities } = parseMarkdown(text);
    if (!plain.trim()) return;
    if (plain.length > MAX_MESSAGE_LENGTH) {
      showToast(`The message is too long: ${plain.length} of ${MAX_MESSAGE_LENGTH} characters.`);
      return;
    }
    if (props.editing) {
      const editing = props.editing;
      setSaving(true);
      try {
        if (plain !== editing.text || JSON.stringify(entities) !== JSON.stringify(editing.entities)) {
          await messenger.client.api.editMessage({ chat_id: editing.chat_id, id: editing.id, text: plain, ...(entities && { entities }) });
        }
        setText(drafts.get(draftKey) ?? '');
        props.onCancel();
      } catch (error) {
        showToast(describeError(error, 'send'));
      } finally {
        setSaving(false);
      }
      return;
    }
    if ((props.slowModeSeconds ?? 0) > 0 && slowModeUntil(props.chatKey) > Date.now()) return;
    messenger.outbox.send(props.peer, plain, entities, props.replyTo?.id ?? props.threadRootId ?? null, props.topicId ?? null);
    if (props.slowModeSeconds) noteSlowModeWait(props.chatKey, props.slowModeSeconds);
    if (props.chatId !== null) {
      messenger.typing.stopped(props.chatId);
      messenger.dialogs.touch(props.chatId, Date.now());
    }
    drafts.delete(draftKey);
    setText('');
    props.onSent();
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
      return;
    }
    if (event.key === 'Escape' && (props.editing || props.replyTo)) {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
      return;
    }
    if (event.key === 'ArrowUp' && text === '' && !props.editing) {
      event.preventDefault();
      props.onEditLast();
      return;
    }
    const shortcut = shortcutOf(event);
    if (shortcut) {
      event.preventDefault();
      const el = input.current!;
      const result = wrapSelection(text, el.selectionStart, el.selectionEnd, shortcut);
      update(result.text);
      requestAnimationFrame(() => el.setSelectionRange(result.selectionStart, result.selectionEnd));
    }
  }

  function onPaste(event: ClipboardEvent) {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    props.onFiles(files);
  }

  const context = props.editing ?? props.replyTo;
  const slowLeft = useSlowModeLeft(props.chatKey, props.slowModeSeconds ?? 0);
  const canSend = text.trim().length > 0 && !saving && (slowLeft === 0 || props.editing !== null);
  if (recorder.startedAt !== null) return <RecordingBar startedAt={recorder.startedAt} onCancel={recorder.cancel} onSend={recorder.finish} />;
  // Telegram's rule: an empty box offers the microphone where the send button goes.
  const offerVoice = text.trim().length === 0 && !saving && !props.editing && canRecordVoice;
  return (
    <div class="composer">
      {slowLeft > 0 && !props.editing && (
        <p class="composer__slow-mode" role="status">
          Slow mode is on: you can send your next message in <time>{formatCountdown(slowLeft)}</time>
        </p>
      )}
      {props.leading}
      <div class="composer__box">
        {context && (
          <div class="composer__context">
            <Icon name={props.editing ? 'pencil' : 'reply'} class="composer__context-icon" />
            <div class="composer__context-body">
              <span class="composer__context-title">{props.editing ? 'Edit message' : `Reply to ${props.replyName ?? ''}`}</span>
              <span class="composer__context-text">{messagePreview(context)}</span>
            </div>
            <button
              type="button"
              class="icon-button"
              aria-label={props.editing ? 'Cancel editing' : 'Cancel reply'}
              onClick={props.onCancel}
            >
              <Icon name="close" />
            </button>
          </div>
        )}
        <textarea
          ref={input}
          class="composer__input"
          rows={1}
          placeholder={props.placeholder ?? 'Message'}
          aria-label="Message"
          value={text}
          onInput={(e) => update(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {props.keyboard && (
          <button
            type="button"
            class="icon-button composer__keyboard"
            aria-label={props.keyboard.shown ? 'Hide bot keyboard' : 'Show bot keyboard'}
            aria-expanded={props.keyboard.shown}
            title="Bot keyboard"
            onClick={props.keyboard.toggle}
          >
            <Icon name="keyboard" />
          </button>
        )}
        {!props.editing && (
          <>
            <button
              type="button"
              class="icon-button composer__attach"
              aria-label="Attach files"
              title="Attach files"
              onClick={() => picker.current?.click()}
            >
              <Icon name="attach" />
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                const files = [...(e.currentTarget.files ?? [])];
                e.currentTarget.value = '';
                if (files.length > 0) props.onFiles(files);
              }}
            />
          </>
        )}
      </div>
      {offerVoice ? (
        <button
          type="button"
          class="composer__send composer__send--ready"
          aria-label="Record a voice message"
          title="Record a voice message"
          onClick={() => void recorder.start()}
        >
          <Icon name="mic" size={26} />
        </button>
      ) : (
        <button
          type="button"
          class={`composer__send${canSend ? ' composer__send--ready' : ''}`}
          aria-label={props.editing ? 'Save' : 'Send'}
          title={props.editing ? 'Save (Enter)' : 'Send (Enter)'}
          disabled={!canSend}
          onClick={() => void submit()}
        >
          <Icon name={props.editing ? 'check' : 'send'} size={26} />
        </button>
      )}
    </div>
  );
}

/** Seconds left of the chat's slow-mode wait, ticking every second while there is one. */
function useSlowModeLeft(chatKey: string, seconds: number): number {
  const [now, setNow] = useState(Date.now());
  const until = seconds > 0 ? slowModeUntil(chatKey) : 0;
  useEffect(() => {
    setNow(Date.now());
    if (until <= Date.now()) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** 0:27, 4:05, 59:59 */
function formatCountdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function shortcutOf(event: KeyboardEvent): FormatShortcut | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (!event.shiftKey) {
    if (key === 'b') return 'bold';
    if (key === 'i') return 'italic';
    if (key === 'u') return 'underline';
    if (key === 'k') return 'link';
    return null;
  }
  if (key === 'x') return 'strikethrough';
  if (key === 'm') return 'code';
  return null;
}
