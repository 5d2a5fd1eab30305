// Must come first: configures zod before any protocol schema is used.
import './lib/zod-jitless.js';
import { render } from 'preact';
import { applyTheme } from './model/theme.js';
import { Session } from './model/session.js';
import { App } from './ui/app.js';
import './styles/index.css';

applyTheme();
const session = new Session();
session.restore();
render(<App session={session} />, document.getElementById('app')!);
