import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * Where the composer would be, for a subscriber reading a post's comments
 * from outside the discussion group: commenting joins the group (the link
 * opens it to the channel's subscribers), then the composer appears.
 */
export function JoinToComment({ channelId }: { channelId: number }) {
  const messenger = useMessenger();
  const { busy, error, act } = useBusyAction(async () => {}, 'group');
  return (
    <div class="composer composer--disabled">
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        class="button button--primary"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            const { chat } = await messenger.client.api.joinDiscussionGroup({ channel_id: channelId });
            messenger.dialogs.addChat(chat);
          })
        }
      >
        Join the discussion to comment
      </button>
    </div>
  );
}
