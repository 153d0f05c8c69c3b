export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'brightrun-theme';

/** Light/dark: the system's unless chosen; the choice is stored (app.html applies it before paint). */
class Theme {
  choice = $state<ThemeChoice>('system');
  constructor() {
    if (typeof localStorage !== 'undefined') {
      const saved = localStorage.getItem(KEY);
      if (saved === 'light' || saved === 'dark') this.choice = saved;
    }
  }
  /** What is showing now. */
  get effective(): 'light' | 'dark' {
    if (this.choice !== 'system') return this.choice;
    return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  set(choice: ThemeChoice) {
    this.choice = choice;
    if (choice === 'system') {
      localStorage.removeItem(KEY);
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem(KEY, choice);
      document.documentElement.dataset.theme = choice;
    }
  }
  toggle() {
    this.set(this.effective === 'dark' ? 'light' : 'dark');
  }
}

export const theme = new Theme();
