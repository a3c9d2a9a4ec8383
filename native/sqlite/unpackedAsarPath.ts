/**
 * In the packaged app native files are listed in asarUnpack, but modules still resolve their paths inside
 * `app.asar`; SQLite's dlopen cannot read inside an archive, so point it at `app.asar.unpacked` instead.
 */
export function unpackedAsarPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
