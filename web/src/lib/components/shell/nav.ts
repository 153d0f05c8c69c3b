import type { IconName } from '../Icon.svelte';

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

/** The spec's primary navigation (P01 "Sidebar Navigation"). */
export const NAV: NavItem[] = [
  { href: '/', label: 'Dashboard', icon: 'dashboard' },
  { href: '/datasets', label: 'Datasets', icon: 'datasets' },
  { href: '/training', label: 'Training Jobs', icon: 'training' },
  { href: '/models', label: 'Models', icon: 'models' },
  { href: '/settings', label: 'Settings', icon: 'settings' },
];

export const isActive = (href: string, pathname: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));
