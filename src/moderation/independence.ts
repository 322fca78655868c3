/**
 * Which reporters count towards an automatic suspension. Three throwaway
 * identities of one person must not weigh as three people, so a reporter
 * counts only when it is *established* (its identity was first seen at least
 * REPORT_MIN_IDENTITY_AGE_MS before it reported and has sent at least
 * REPORT_MIN_IDENTITY_MESSAGES messages), and reporters that share an address
 * count once: two reporters are one person when any address hash links them —
 * the one each reported from, or the latest one its identity connected from
 * (so reporters later seen on one address merge, and a suspension they caused
 * can be lifted). Addresses are keyed hashes (IPv6 by /64). Pure code.
 */
import type { IdentityStanding, ReportRecord } from '../store/moderation-store';

export interface IndependencePolicy {
  readonly reportMinIdentityAgeMs: number;
  readonly reportMinIdentityMessages: number;
}

export interface Independence {
  /** Distinct reporters. */
  reporters: number;
  /** Distinct addresses they reported from (a report without one counts as its own). */
  addresses: number;
  /** Reporters once those linked by an address count as one: fewer than `reporters` means some share one. */
  people: number;
  /** Established reporters, counted once per linked address group: what suspends. */
  independent: number;
}

/** Union-find over reporter ids, linking those that share an address. */
class People {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(id, root);
    return root;
  }

  link(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

export function judgeReporters(reports: readonly ReportRecord[], standings: readonly IdentityStanding[], policy: IndependencePolicy): Independence {
  const standingOf = new Map(standings.map((s) => [s.userId, s]));
  const people = new People();
  const firstOnAddress = new Map<string, string>();
  const addresses = new Set<string>();
  const established = new Set<string>();
  // With neither rule set, every reporter is established, whether or not its standing was written yet.
  const noRule = policy.reportMinIdentityAgeMs <= 0 && policy.reportMinIdentityMessages <= 0;
  const linkVia = (hash: string | null, reporterId: string) => {
    if (hash === null) return;
    const known = firstOnAddress.get(hash);
    if (known === undefined) firstOnAddress.set(hash, reporterId);
    else people.link(known, reporterId);
  };
  for (const r of reports) {
    const standing = standingOf.get(r.reporterId);
    people.find(r.reporterId);
    addresses.add(r.reporterIpHash ?? `report:${r.id}`);
    linkVia(r.reporterIpHash, r.reporterId);
    linkVia(standing?.lastIpHash ?? null, r.reporterId);
    if (
      noRule ||
      (standing && standing.firstSeen <= r.createdAt - policy.reportMinIdentityAgeMs && standing.messages >= policy.reportMinIdentityMessages)
    ) {
      established.add(r.reporterId);
    }
  }
  const reporters = new Set(reports.map((r) => r.reporterId));
  return {
    reporters: reporters.size,
    addresses: addresses.size,
    people: new Set([...reporters].map((id) => people.find(id))).size,
    independent: new Set([...established].map((id) => people.find(id))).size,
  };
}
