/**
 * The form fields the user changed since a preset filled the form: the keys of `filled` whose value in
 * `settings` differs (compared with ===; the pixel views' settings are flat primitives). Shared by the
 * Latent space and Visual foresight preset pickers.
 */
export function editedFields<S extends object>(filled: S, settings: S): Array<keyof S> {
  return (Object.keys(filled) as Array<keyof S>).filter((k) => settings[k] !== filled[k]);
}
