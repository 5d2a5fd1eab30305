import { useEffect, useRef, useState } from 'preact/hooks';
import type { BotCommand } from '../../../../protocol/bots.js';
import { useMessenger } from '../context.js';
import { Menu } from '../common/menu.js';

/** The browser's language as Telegram's `language_code` (two letters), so a bot's menu comes in it when the bot has one. */
function appLanguage(): { language_code?: string } {
  const code = navigator.language.slice(0, 2).toLowerCase();
  return /^[a-z]{2}$/.test(code) ? { language_code: code } : {};
}

/** Commands per bot, fetched once a session: a bot changes its menu rarely. */
const cache = new Map<number, Promise<BotCommand[]>>();

function useBotCommands(botId: number): BotCommand[] {
  const { client } = useMessenger();
  const [commands, setCommands] = useState<BotCommand[]>([]);
  useEffect(() => {
    let live = true;
    if (!cache.has(botId)) {
      const request = client.call('getBotCommands', { bot_id: botId, ...appLanguage() }).then((r) => r.commands);
      // A failure is forgotten, so the next chat open asks again.
      request.catch(() => cache.delete(botId));
      cache.set(botId, request);
    }
    cache.get(botId)!.then(
      (list) => live && setCommands(list),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [botId]);
  return commands;
}

/**
 * The "/" button of a chat with a bot: its command menu (what it set with
 * setMyCommands). Choosing a command sends it, as in Telegram. Nothing shows
 * for a bot without commands.
 */
export function BotCommandsButton({ botId, onCommand }: { botId: number; onCommand: (text: string) => void }) {
  const commands = useBotCommands(botId);
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  if (commands.length === 0) return null;
  return (
    <>
      <button
        ref={button}
        type="button"
        class="icon-button composer__commands"
        aria-label="Bot commands"
        aria-haspopup="menu"
        aria-expanded={open}
        title="Bot commands"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">/</span>
      </button>
      {open && (
        <Menu
          label="Bot commands"
          at={{ anchor: button.current!, placement: 'above-start' }}
          onClose={() => setOpen(false)}
          items={commands.map((c) => ({ label: `/${c.command} — ${c.description}`, icon: 'chat' as const, onSelect: () => onCommand(`/${c.command}`) }))}
        />
      )}
    </>
  );
}
