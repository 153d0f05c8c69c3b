/** The current page's own breadcrumb (a dataset's name…); pages set it, the header shows it. */
class Crumbs {
  detail = $state<string | null>(null);
}
export const crumbs = new Crumbs();
