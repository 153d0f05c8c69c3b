export interface Toast { id: number; message: string; tone: 'info' | 'success' | 'error' }

/** Transient messages; errors carry the server's own text (it names the problem and the fix). */
class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;
  show(message: string, tone: Toast['tone'] = 'info', ms = tone === 'error' ? 10_000 : 5_000) {
    const id = this.#next++;
    this.items = [...this.items.slice(-3), { id, message, tone }];
    setTimeout(() => this.dismiss(id), ms);
  }
  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

/** The one error path of the app: show the server's message. */
export function showError(error: unknown) {
  toasts.show(error instanceof Error ? error.message : String(error), 'error');
}
