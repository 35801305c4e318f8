// Every page of the workbench: its path, its place in the navigation, and its component, loaded
// lazily into its own chunk. A page is one folder under pages/ and one line here.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PageProps {
  params: Record<string, string>;
}

export interface Page {
  path: string;
  /** shown in the navigation when set */
  nav?: string;
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

export const pages: Page[] = [
  { path: '/', nav: 'Overview', component: lazy(() => import('../pages/overview/OverviewPage.tsx')) },
];
