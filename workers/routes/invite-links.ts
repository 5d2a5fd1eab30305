import { newApp } from '../app.js';

/**
 * The links people share lead into the web client:
 * - `/+<token>`, a group's invite link (Telegram's `t.me/+<hash>`): a
 *   redirect to the app's `#/join/<token>` route. The token moves into the
 *   URL's fragment, which browsers never send to a server nor put in a
 *   Referer, so the bearer secret reaches the server only here;
 * - `/<username>`, a public chat or a person (Telegram's `t.me/<username>`):
 *   a redirect to `#/@<username>`. Only paths no static asset matched get
 *   here, and only a well-formed username is redirected (anything else is
 *   the usual 404).
 * The app checks the link or name and shows what it leads to.
 */
export const inviteLinkRoutes = newApp();

inviteLinkRoutes.get('/:link{\\+[A-Za-z0-9_-]{1,64}}', (c) => c.redirect(`/#/join/${c.req.param('link').slice(1)}`, 302));
inviteLinkRoutes.get('/:name{[A-Za-z][A-Za-z0-9_]{4,31}}', (c) => c.redirect(`/#/@${c.req.param('name')}`, 302));
