import { newApp } from '../app.js';

/**
 * `/+<token>`, the invite link people share (Telegram's `t.me/+<hash>`),
 * leads into the web client: a redirect to its `#/join/<token>` route. The
 * token moves into the URL's fragment, which browsers never send to a server
 * nor put in a Referer, so the bearer secret reaches the server only here.
 * The app checks the link and shows what it leads to.
 */
export const inviteLinkRoutes = newApp();

inviteLinkRoutes.get('/:link{\\+[A-Za-z0-9_-]{1,64}}', (c) => c.redirect(`/#/join/${c.req.param('link').slice(1)}`, 302));
