/** How sync-up treats a candidate commit (a non-merge commit of upstream/main..main). */
export type CommitClass =
  /** touches no private zone, carries no secret: replayed as is */
  | 'public'
  /** touches only private zones (or is held back by policy): stays in the mirror */
  | 'private'
  /** touches both: its public paths are replayed (split), or it is held back with --no-split */
  | 'mixed'
  /** a secret or private identifier in what it adds or in its message, or private content carried into a public path */
  | 'blocked'
  /** its change is already in upstream/main */
  | 'upstream'
  /** changes nothing */
  | 'empty'
  /** left out with `mirror skip` (or `sync-up --skip`) by an earlier run: stays out until `--retry-skipped` */
  | 'skipped';

export interface ChangeEntry {
  status: string;
  path: string;
  fromPath?: string;
  oldMode: string;
  oldOid: string;
  newOid: string;
  newMode: string;
}

export interface Candidate {
  oid: string;
  subject: string;
  message: string;
  entries: ChangeEntry[];
  /** parent commit ids (absent in tables that do not need the graph) */
  parents?: string[];
}

export interface Classified {
  oid: string;
  subject: string;
  class: CommitClass;
  reasons: string[];
  /** will be replayed (public, or mixed when splitting) */
  replay: boolean;
  /** paths whose change is left out when replaying a mixed commit */
  dropPaths: string[];
  /** the message as it may go public */
  publicMessage: string;
  /** --squash-fixed: earlier (blocked) commits replayed together with this one, as one commit */
  squash?: string[];
}
