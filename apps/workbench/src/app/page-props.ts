/** What every page component receives: the parameters of its path (`/hosts/:id` → { id }). */
export interface PageProps {
  params: Record<string, string>;
}
