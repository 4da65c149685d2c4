import '../../shared/dashboard.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { presets, tabs } from 'dashwire';
import { DashwireProvider } from 'dashwire/react';
import { dashboardReconnect, feedUrl } from '../../shared/ares-dashboard.js';
import { Dashboard } from './Dashboard.js';

const url = feedUrl(window.location);
// `?share=tabs`: one connection for all tabs of this dashboard, held by a leader tab;
// `?share=worker`: held by a SharedWorker (the bundler recipe of docs/sharing.md).
const shareMode = new URLSearchParams(window.location.search).get('share');
const share =
  shareMode === 'worker'
    ? tabs({ worker: () => new SharedWorker(new URL('dashwire/shared-worker', import.meta.url), { type: 'module' }) })
    : shareMode === 'tabs'
      ? tabs()
      : undefined;
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// The provider creates, connects and (on unmount) closes the client; StrictMode's double
// mount costs no second socket.
createRoot(root).render(
  <StrictMode>
    <DashwireProvider options={{ url, protocol: presets.ares(), reconnect: dashboardReconnect, share }}>
      <Dashboard url={url} />
    </DashwireProvider>
  </StrictMode>,
);
