import { z } from 'zod';

/**
 * Message reactions. Each member has a set of reactions per message (up to
 * MAX_REACTIONS_PER_USER; bots one, as in Telegram); setting a set replaces
 * the previous one, and the empty set clears it. The emoji are Telegram's
 * standard reactions (the list its Bot API documents for ReactionTypeEmoji),
 * so a bot's reaction and a user's mean the same thing on both platforms.
 */
export const REACTION_EMOJI = [
  '❤', '👍', '👎', '🔥', '🥰', '👏', '😁', '🤔', '🤯', '😱', '🤬', '😢', '🎉', '🤩', '🤮', '💩', '🙏', '👌',
  '🕊', '🤡', '🥱', '🥴', '😍', '🐳', '\u2764\u200D\u{1F525}', '🌚', '🌭', '💯', '🤣', '⚡', '🍌', '🏆', '💔',
  '🤨', '😐', '🍓', '🍾', '💋', '🖕', '😈', '😴', '😭', '🤓', '👻', '\u{1F468}\u200D\u{1F4BB}', '👀', '🎃', '🙈',
  '😇', '😨', '🤝', '✍', '🤗', '🫡', '🎅', '🎄', '☃', '💅', '🤪', '🗿', '🆒', '💘', '🙉', '🦄', '😘', '💊',
  '🙊', '😎', '👾', '\u{1F937}\u200D\u2642', '🤷', '\u{1F937}\u200D\u2640', '😡',
] as const;

export const Reaction = z.enum(REACTION_EMOJI);
export type Reaction = z.infer<typeof Reaction>;

/** Telegram Premium's limit for users; bots may set one (checked by the chat). */
export const MAX_REACTIONS_PER_USER = 3;
export const MAX_REACTIONS_PER_BOT = 1;

export const ReactionCount = z.object({ emoji: Reaction, count: z.number().int().positive() });
export type ReactionCount = z.infer<typeof ReactionCount>;

/** A message's reactions as one viewer sees them. */
export const MessageReactions = z.object({
  /** Every emoji anyone chose, most chosen first (ties: the earliest first). */
  results: z.array(ReactionCount),
  /** The viewer's own reactions, in the order chosen. */
  chosen: z.array(Reaction),
});
export type MessageReactions = z.infer<typeof MessageReactions>;
