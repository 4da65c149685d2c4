import '../../shared/dashboard.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { presets } from 'dashwire';
import { DashwireProvider } from 'dashwire/react';
import { dashboardReconnect, feedUrl } from '../../shared/ares-dashboard.js';
import { Dashboard } from './Dashboard.js';

const url = feedUrl(window.location);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// The provider creates, connects and (on unmount) closes the client; StrictMode's double
// mount costs no second socket.
createRoot(root).render(
  <StrictMode>
    <DashwireProvider options={{ url, protocol: presets.ares(), reconnect: dashboardReconnect }}>
      <Dashboard url={url} />
    </DashwireProvider>
  </StrictMode>,
);
