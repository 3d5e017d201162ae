import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { Lab } from './ui/lab';
import { installTestHook } from './ui/testHook';
import { bindLayoutToHash } from './store/layout';
import './ui/app.css';

// The machines live outside React: a re-render never restarts a worker.
const lab = new Lab();
installTestHook(lab);
bindLayoutToHash(lab.layout);
void lab.boot('left');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App lab={lab} />
  </StrictMode>,
);
