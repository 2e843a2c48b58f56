// The FTS album in-process: libxml2 (WebAssembly) compiles an album version's PassengerDeclaration.xsd with its
// imports once, on first use, and validates every generated ПТД against it. Lazily, because loading libxml2 costs
// a process ~30 ms and ~30 MB and compiling the nine schemas ~60 ms more (measured from dist/ on this kind of
// machine; under tsx, loading takes ~370 ms): a hub that never exports a ПТД (a worker, a CLI command) pays
// nothing, and the first export ~90 ms once.
// The schema files are served to libxml2 from memory under a virtual path per version, so imports resolve
// inside the album folder only and nothing else of the file system is readable through a schemaLocation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The prefixes the builder writes, as the album's PassengerDeclaration.xsd declares them. */
export const PREFIXES = ['pas_d', 'cat_ru', 'catESAD_cu', 'RUScat_ru', 'RUDECLcat'] as const;
export type Prefix = (typeof PREFIXES)[number];
export type Namespaces = Readonly<Record<Prefix, string>>;

export interface XsdProblem {
  readonly message: string;
  readonly line: number;
}

export interface Album {
  readonly version: string;
  readonly namespaces: Namespaces;
  /** The problems libxml2 finds in `xml` (empty: valid). */
  validate(xml: string): XsdProblem[];
}

/** The repository's fts-album/ folder, found by walking up from this file (it runs from src/… and from dist/). */
export function defaultAlbumDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'fts-album'))) return join(dir, 'fts-album');
    if (dirname(dir) === dir) return join(from, 'fts-album');
  }
}

/** The namespaces of the root schema, read from its `xmlns:` declarations (they change per album release). */
export function namespacesOf(xsd: string): Namespaces {
  const head = /<xs:schema\b[^>]*>/.exec(xsd)?.[0] ?? '';
  const found: Record<string, string> = {};
  for (const m of head.matchAll(/xmlns:([A-Za-z_][\w.-]*)="([^"]+)"/g)) found[m[1]!] = m[2]!;
  for (const p of PREFIXES) if (!found[p]) throw new Error(`PassengerDeclaration.xsd declares no namespace for prefix ${p}`);
  return Object.fromEntries(PREFIXES.map((p) => [p, found[p]])) as Namespaces;
}

type Libxml = typeof import('libxml2-wasm');
let libxml: Promise<Libxml> | undefined;
/** Virtual files served to libxml2, by path; one provider for every album of the process. */
const files: Record<string, Uint8Array> = {};

async function loadLibxml(): Promise<Libxml> {
  const lib = await import('libxml2-wasm');
  lib.xmlRegisterInputProvider({
    match: (name) => name in files,
    open: (name) => lib.openBuffer(files[name]!),
    read: (fd, buf) => lib.readBuffer(fd, buf),
    close: (fd) => (lib.closeBuffer(fd), true),
  });
  return lib;
}

async function compile(dir: string, version: string): Promise<Album> {
  const folder = join(dir, version);
  const root = join(folder, 'PassengerDeclaration.xsd');
  if (!existsSync(root) || !statSync(folder).isDirectory()) throw new AlbumNotFoundError(version, folder);
  const lib = await (libxml ??= loadLibxml());
  const base = `/customs-album/${version}/`;
  for (const name of readdirSync(folder)) if (name.endsWith('.xsd')) files[base + name] = readFileSync(join(folder, name));
  const rootText = readFileSync(root, 'utf8');
  const namespaces = namespacesOf(rootText);
  const schemaDoc = lib.XmlDocument.fromBuffer(files[`${base}PassengerDeclaration.xsd`]!, { url: `${base}PassengerDeclaration.xsd` });
  // The compiled schema keeps what it needs; the schema document is kept alive with it (the validator refers to it).
  const validator = lib.XsdValidator.fromDoc(schemaDoc);
  return {
    version,
    namespaces,
    validate(xml: string): XsdProblem[] {
      let doc: InstanceType<Libxml['XmlDocument']> | undefined;
      try {
        doc = lib.XmlDocument.fromString(xml);
        validator.validate(doc);
        return [];
      } catch (err) {
        const details = (err as { details?: Array<{ message: string; line: number }> }).details;
        if (!details) throw err;
        return details.map((d) => ({ message: d.message.trim(), line: d.line }));
      } finally {
        doc?.dispose();
      }
    },
  };
}

export class AlbumNotFoundError extends Error {
  constructor(
    readonly version: string,
    folder: string,
  ) {
    super(`FTS album ${version} not found: no ${join(folder, 'PassengerDeclaration.xsd')}`);
    this.name = 'AlbumNotFoundError';
  }
}

/** Albums compiled on first use, one per version, shared by every export of the process. */
export class AlbumRegistry {
  readonly #albums = new Map<string, Promise<Album>>();

  constructor(readonly dir: string) {}

  get(version: string): Promise<Album> {
    let album = this.#albums.get(version);
    if (!album) {
      album = compile(this.dir, version);
      // A failed compile (a missing version) is not remembered: the folder may appear later.
      album.catch(() => this.#albums.delete(version));
      this.#albums.set(version, album);
    }
    return album;
  }
}
