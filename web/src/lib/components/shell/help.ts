/** The keyboard shortcuts of the app (P01 "Expert: keyboard shortcuts", P02's card keys), shown in the help panel. */
export const SHORTCUTS: { keys: string[]; what: string; where: string }[] = [
  { keys: ['Ctrl/⌘', 'K'], what: 'Search and commands (go anywhere, find datasets, jobs, models)', where: 'Everywhere' },
  { keys: ['?'], what: 'Show or hide this help panel', where: 'Everywhere' },
  { keys: ['Esc'], what: 'Close the open dialog, menu or panel', where: 'Everywhere' },
  { keys: ['Tab'], what: 'Move through the sidebar, cards and controls; Enter activates', where: 'Everywhere' },
  { keys: ['/'], what: 'Focus the dataset search', where: 'Datasets' },
  { keys: ['Enter'], what: 'Open the focused dataset’s details', where: 'Datasets' },
  { keys: ['Shift', 'Enter'], what: 'Open the focused dataset’s details (the spec’s secondary action)', where: 'Datasets' },
  { keys: ['Space'], what: 'Select the focused dataset to compare, two at most (Ctrl/⌘-click or its "Compare" box with a mouse); "Compare" opens them side by side', where: 'Datasets' },
  { keys: ['Page Down', 'Page Up'], what: 'Next / previous dataset card', where: 'Datasets' },
  { keys: ['Home', 'End'], what: 'First / last loaded dataset card', where: 'Datasets' },
];

/** What each section is for, in a sentence or two (the help panel's context). */
export const SECTION_HELP: Record<string, string> = {
  '/': 'The overview: datasets ready for training, jobs by status, this month’s spend and what happened lately.',
  '/datasets': 'Training files (brightrun-lora-v4). A dataset is ready for training when its format is compatible, it has more than 500 trainable pairs and an average quality of at least 3.0. Open one for its scaffolding and quality charts; select two to compare.',
  '/training': 'Training jobs: queued, running and finished, with progress and spend, live.',
  '/models': 'LoRA adapters from completed jobs, their status and quality.',
  '/settings': 'RunPod and Hugging Face credentials (write-only), defaults, the monthly budget, notification targets and API keys.',
};

export function sectionOf(pathname: string): string {
  const top = `/${pathname.split('/')[1] ?? ''}`;
  return top in SECTION_HELP ? top : '/';
}
