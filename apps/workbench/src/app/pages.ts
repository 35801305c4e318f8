// Every page of the workbench: its path, its place in the navigation, and its component, loaded
// lazily into its own chunk. A page is one folder under pages/ and one line here.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PageProps } from './page-props.ts';

export interface Page {
  path: string;
  /** shown in the navigation when set */
  nav?: string;
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

export const pages: Page[] = [
  { path: '/', nav: 'Overview', component: lazy(() => import('../pages/overview/OverviewPage.tsx')) },
  { path: '/alerts', nav: 'Alerts', component: lazy(() => import('../pages/alerts/AlertsPage.tsx')) },
  { path: '/alerts/:id', component: lazy(() => import('../pages/alerts/AlertDetailPage.tsx')) },
  { path: '/silences/new', component: lazy(() => import('../pages/alerts/SilenceNewPage.tsx')) },
  { path: '/hosts/:id', component: lazy(() => import('../pages/host/HostPage.tsx')) },
  { path: '/rules', nav: 'Rules', component: lazy(() => import('../pages/rules/RulesPage.tsx')) },
  { path: '/rules/:id', component: lazy(() => import('../pages/rules/RuleEditorPage.tsx')) },
  { path: '/probes', nav: 'Probes', component: lazy(() => import('../pages/probes/ProbesPage.tsx')) },
  { path: '/probes/:id', component: lazy(() => import('../pages/probes/ProbeBuilderPage.tsx')) },
  { path: '/agents', nav: 'Agents', component: lazy(() => import('../pages/agents/AgentsPage.tsx')) },
  { path: '/notifications', nav: 'Notifications', component: lazy(() => import('../pages/channels/ChannelsPage.tsx')) },
  { path: '/settings', nav: 'Settings', component: lazy(() => import('../pages/settings/SettingsPage.tsx')) },
];
