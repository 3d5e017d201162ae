import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { Lab } from './ui/lab';
import { installTestHook } from './ui/testHook';
import { ScenarioHost } from './ui/scenarioHost';
import { bindLayoutToHash } from './store/layout';
import { guestFromSearch, searchWithGuest } from './store/session';
import './ui/app.css';

// The machines live outside React: a re-render never restarts a worker.
const lab = new Lab({ guest: guestFromSearch(window.location.search) });
// The guest picked is kept in the URL (?guest=linux), the layout hash left as it is.
lab.session.subscribe((s, prev) => {
  if (s.guest === prev.guest) return;
  const { pathname, search, hash } = window.location;
  window.history.replaceState(null, '', `${pathname}${searchWithGuest(search, s.guest)}${hash}`);
});
// The guided scenarios: their workers start when the view is first opened.
const scenarios = new ScenarioHost();
installTestHook(lab, scenarios);
bindLayoutToHash(lab.layout);
void lab.boot('left');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App lab={lab} scenarios={scenarios} />
  </StrictMode>,
);
